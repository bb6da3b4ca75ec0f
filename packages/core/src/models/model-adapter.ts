import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { DreamdeckError } from '../errors.js';

/**
 * A chat model with the error mapping and retries Dreamdeck needs. Adapters in
 * `@dreamdeck/adapters/*` return one; any LangChain `BaseChatModel` passed to `createDreamdeck`
 * is wrapped as one with default error mapping.
 */
export interface ModelAdapter {
  /** Short name for logs and `modelFromEnv()`, for example `openai:gpt-4o-mini`. */
  readonly name: string;
  /** The LangChain chat model: streams narration, answers structured output for the router. */
  readonly model: BaseChatModel;
  /** Turns a provider failure into a DreamdeckError (`MODEL_UNAVAILABLE`, retryable or not). */
  toError?(error: unknown): DreamdeckError;
}

/** Input for {@link ImageAdapter.generate}. */
export interface ImageRequest {
  prompt: string;
  negativePrompt?: string;
  width?: number;
  height?: number;
  seed?: number;
  signal?: AbortSignal;
}

/** An image as bytes or as a URL. */
export type ImageResult = { data: Uint8Array; mimeType: string } | { url: string; mimeType: string };

/** Paints storyboard images. */
export interface ImageAdapter {
  readonly name: string;
  generate(request: ImageRequest): Promise<ImageResult>;
}

/** Optional web search for `/search`. */
export interface SearchAdapter {
  readonly name: string;
  search(
    query: string,
    options?: { limit?: number; signal?: AbortSignal },
  ): Promise<Array<{ title: string; url: string; snippet: string }>>;
}

/** True when `value` looks like a LangChain chat model rather than a {@link ModelAdapter}. */
function isChatModel(value: unknown): value is BaseChatModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as BaseChatModel).stream === 'function' &&
    typeof (value as BaseChatModel)._llmType === 'function'
  );
}

/** Wraps a LangChain chat model as a {@link ModelAdapter}; adapters pass through unchanged. */
export function toModelAdapter(model: ModelAdapter | BaseChatModel): ModelAdapter {
  if (!isChatModel(model)) return model;
  return { name: `langchain:${model._llmType()}`, model };
}

/** Maps a model failure to a DreamdeckError using the adapter's mapping when it has one. */
export function modelError(adapter: ModelAdapter, error: unknown): DreamdeckError {
  if (DreamdeckError.isInstance(error)) return error;
  if (adapter.toError) return adapter.toError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new DreamdeckError('MODEL_UNAVAILABLE', `[dreamdeck] [${adapter.name}] the model failed: ${message}`, {
    cause: error,
  });
}
