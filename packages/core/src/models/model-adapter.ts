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
  /** What to paint: a scene description written by the storyboard step. */
  prompt: string;
  /** What to keep out of the image, for backends that support it (the engine sends none). */
  negativePrompt?: string;
  /** Width in pixels; the adapter's default when absent (the engine sends none). */
  width?: number;
  /** Height in pixels; the adapter's default when absent (the engine sends none). */
  height?: number;
  /** Seed for a repeatable image, for backends that support it; random when absent. */
  seed?: number;
  /** Aborted when the turn is stopped; stop work and reject when it fires. */
  signal?: AbortSignal;
}

/** An image as bytes or as a URL. */
export type ImageResult =
  /** The image's bytes; the engine stores them as a `data:` URL. */
  | {
      /** The encoded image file. */
      data: Uint8Array;
      /** Its media type, for example `image/png`. */
      mimeType: string;
    }
  /** An image the backend already hosts. */
  | {
      /** Where the player's browser can load it. */
      url: string;
      /** Its media type, for example `image/png`. */
      mimeType: string;
    };

/** Paints storyboard images. */
export interface ImageAdapter {
  /** Short name for logs and the `image-generated` event, for example `a1111`. */
  readonly name: string;
  /**
   * Paints one image. Reject with a `DreamdeckError` (`RATE_LIMITED`, `MODEL_UNAVAILABLE`, …) to
   * say why; any other error counts as `MODEL_UNAVAILABLE`. A failed image never ends the turn.
   */
  generate(request: ImageRequest): Promise<ImageResult>;
}

/** Optional web search for `/search`. */
export interface SearchAdapter {
  /** Short name for logs, for example `searxng`. */
  readonly name: string;
  /** Searches the web for `query`; `limit` caps the results and `signal` aborts the search. */
  search(
    query: string,
    options?: { limit?: number; signal?: AbortSignal },
  ): Promise<
    Array<{
      /** The page's title. */
      title: string;
      /** The page's address. */
      url: string;
      /** A short extract of the page that matches the query. */
      snippet: string;
    }>
  >;
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
