import type { DreamdeckError, ModelAdapter } from '@dreamdeck/core';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseLanguageModelInput } from '@langchain/core/language_models/base';
import type { AIMessageChunk, BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk, ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import type { ChatOpenAI, ChatOpenAICallOptions, ChatOpenAIFields } from '@langchain/openai';
import type { TransportOptions } from '../shared/adapter-options.js';
import { oncePerBase } from '../shared/optional-module.js';
import { toProviderError } from '../shared/provider-errors.js';
import { createResilientFetch } from '../shared/resilient-fetch.js';
import { retryPolicy } from '../shared/retry-policy.js';
import { loadOpenAIDriver } from './load-openai.js';
import { OPENAI_DEFAULT_TIMEOUT_MS, openAIConnection } from './openai-provider.js';

/** Options for {@link createOpenAIModel}. */
export interface OpenAIModelOptions extends TransportOptions {
  /** Model name, for example `gpt-4o-mini`, or whatever an OpenAI-compatible server serves. */
  model: string;
  /** API key. Default: `OPENAI_API_KEY`. OpenAI-compatible servers that need none accept any value. */
  apiKey?: string;
  /**
   * Base URL of the API including `/v1`. Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`.
   * Point it at vLLM, LM Studio, llama.cpp's server or any other OpenAI-compatible server.
   */
  baseURL?: string;
  /** Sampling temperature. */
  temperature?: number;
  /** Upper bound on tokens in a reply. */
  maxTokens?: number;
}

/**
 * Defines `DreamdeckChatOpenAI` on the loaded `ChatOpenAI`: a `ChatOpenAI` whose failures surface
 * as DreamdeckErrors, so code that uses the model directly (streaming, `withStructuredOutput`)
 * sees the same errors the engine does. Defined lazily because `@langchain/openai` is an optional
 * peer loaded only by {@link createOpenAIModel}.
 */
function defineDreamdeckChatOpenAI(Base: typeof ChatOpenAI) {
  return class DreamdeckChatOpenAI extends Base {
    readonly #toError: (error: unknown) => DreamdeckError;

    constructor(fields: ChatOpenAIFields, toError: (error: unknown) => DreamdeckError) {
      super(fields);
      this.#toError = toError;
    }

    /** Keeps the error mapping on configured copies (ChatOpenAI's own makes a plain ChatOpenAI). */
    override withConfig(
      config: Partial<ChatOpenAICallOptions>,
    ): Runnable<BaseLanguageModelInput, AIMessageChunk, ChatOpenAICallOptions> {
      const next = new DreamdeckChatOpenAI(this.fields ?? {}, this.#toError);
      next.defaultOptions = { ...this.defaultOptions, ...config };
      return next;
    }

    override async *_streamResponseChunks(
      messages: BaseMessage[],
      options: this['ParsedCallOptions'],
      runManager?: CallbackManagerForLLMRun,
    ): AsyncGenerator<ChatGenerationChunk> {
      try {
        yield* super._streamResponseChunks(messages, options, runManager);
      } catch (error) {
        throw options.signal?.aborted ? error : this.#toError(error);
      }
    }

    override async _generate(
      messages: BaseMessage[],
      options: this['ParsedCallOptions'],
      runManager?: CallbackManagerForLLMRun,
    ): Promise<ChatResult> {
      try {
        return await super._generate(messages, options, runManager);
      } catch (error) {
        throw options.signal?.aborted ? error : this.#toError(error);
      }
    }
  };
}

/** The `DreamdeckChatOpenAI` subclass of `Base`, defined once per base class. */
const dreamdeckChatOpenAI = oncePerBase(defineDreamdeckChatOpenAI);

/**
 * Creates a model adapter on `ChatOpenAI` (`@langchain/openai` 1.5.8) for OpenAI or any
 * OpenAI-compatible server. Narration streams token by token with usage; structured output
 * (the router, storyboards) uses JSON schema or tool calls as `withStructuredOutput` picks.
 *
 * Requests go through a fetch that adds a timeout (to first byte and between streamed chunks),
 * retries with exponential backoff and jitter (connection failures, timeouts, 5xx, and 429
 * honouring `Retry-After`) and checks the SSE stream is well formed and complete. Failures are
 * `DreamdeckError`s with code `MODEL_UNAVAILABLE`; 401/403 are not retryable.
 *
 * `@langchain/openai` is loaded on the first call; without it this throws `CONFIG_INVALID`
 * naming the install command.
 *
 * @example
 * const model = createOpenAIModel({ model: 'gpt-4o-mini' }); // OPENAI_API_KEY from the environment
 * const dd = await createDreamdeck({ model });
 */
export function createOpenAIModel(options: OpenAIModelOptions): ModelAdapter {
  const { baseURL, apiKey, provider } = openAIConnection(options, 'createOpenAIModel');
  const DreamdeckChatOpenAI = dreamdeckChatOpenAI(loadOpenAIDriver().ChatOpenAI);
  const toError = (error: unknown) => toProviderError(provider, error);
  const fetch = createResilientFetch({
    provider,
    timeoutMs: options.timeoutMs ?? OPENAI_DEFAULT_TIMEOUT_MS,
    retry: retryPolicy({ ...options.retry, maxRetries: options.maxRetries }),
    fetch: options.fetch,
  });
  const model = new DreamdeckChatOpenAI(
    {
      model: options.model,
      apiKey: apiKey ?? 'not-needed', // OpenAI-compatible servers often need no key
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      streamUsage: true,
      // Timeouts and retries live in the fetch wrapper; neither the SDK nor LangChain retries again.
      maxRetries: 0,
      configuration: { baseURL, fetch },
    },
    toError,
  );
  return { name: `openai:${options.model}`, model, toError };
}
