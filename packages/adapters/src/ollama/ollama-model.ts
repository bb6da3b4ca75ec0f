import type { DreamdeckError, ModelAdapter } from '@dreamdeck/core';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { ChatModelStreamEvent } from '@langchain/core/language_models/event';
import type { BaseMessage } from '@langchain/core/messages';
import type { ChatGenerationChunk } from '@langchain/core/outputs';
import type { ChatOllama, ChatOllamaInput } from '@langchain/ollama';
import { type TransportOptions, trimBaseUrl } from '../shared/adapter-options.js';
import { oncePerBase } from '../shared/optional-module.js';
import { type ProviderInfo, toProviderError } from '../shared/provider-errors.js';
import { createResilientFetch } from '../shared/resilient-fetch.js';
import { retryPolicy } from '../shared/retry-policy.js';
import { loadOllamaDriver } from './load-ollama.js';

/** Options for {@link createOllamaModel}. */
export interface OllamaModelOptions extends TransportOptions {
  /** Model name as `ollama list` shows it, for example `llama3.1` or `qwen2.5:7b`. */
  model: string;
  /** Ollama's URL. Default: `OLLAMA_BASE_URL`, else `http://127.0.0.1:11434`. */
  baseUrl?: string;
  /** Sampling temperature. */
  temperature?: number;
}

/** Where Ollama listens by default. */
export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

/** Default timeout: generous, because Ollama loads a model into memory on its first request. */
export const OLLAMA_DEFAULT_TIMEOUT_MS = 120_000;

type OllamaClient = ChatOllama['client'];

/**
 * Defines `DreamdeckChatOllama` on the loaded `ChatOllama`: a `ChatOllama` with what it lacks:
 * every call gets its own view of the Ollama client whose `fetch` follows the call's `AbortSignal`
 * (ChatOllama never passes it on, and its `abort()` would cancel every concurrent stream of the
 * shared client), plus timeouts, retries and DreamdeckErrors from the resilient fetch. Defined
 * lazily because `@langchain/ollama` is an optional peer loaded only by {@link createOllamaModel}.
 */
function defineDreamdeckChatOllama(Base: typeof ChatOllama) {
  return class DreamdeckChatOllama extends Base {
    readonly #fetch: typeof fetch;
    readonly #toError: (error: unknown) => DreamdeckError;

    constructor(fields: ChatOllamaInput, transport: typeof fetch, toError: (error: unknown) => DreamdeckError) {
      super({ ...fields, fetch: transport });
      this.#fetch = transport;
      this.#toError = toError;
    }

    /** This model with a per-call client whose requests end when `signal` aborts. */
    #forCall(signal: AbortSignal | undefined): this {
      const transport = this.#fetch;
      const fetchForCall: typeof fetch = (input, init = {}) =>
        transport(input, {
          ...init,
          signal: signal && init.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init.signal),
        });
      const client: OllamaClient = Object.create(this.client, {
        fetch: { value: fetchForCall },
        ongoingStreamedRequests: { value: [] },
      });
      return Object.create(this, { client: { value: client } });
    }

    override async *_streamResponseChunks(
      messages: BaseMessage[],
      options: this['ParsedCallOptions'],
      runManager?: CallbackManagerForLLMRun,
    ): AsyncGenerator<ChatGenerationChunk> {
      try {
        yield* Base.prototype._streamResponseChunks.call(this.#forCall(options.signal), messages, options, runManager);
      } catch (error) {
        throw options.signal?.aborted ? error : this.#toError(error);
      }
    }

    override async *_streamChatModelEvents(
      messages: BaseMessage[],
      options: this['ParsedCallOptions'],
      runManager?: CallbackManagerForLLMRun,
    ): AsyncGenerator<ChatModelStreamEvent> {
      try {
        yield* Base.prototype._streamChatModelEvents.call(this.#forCall(options.signal), messages, options, runManager);
      } catch (error) {
        throw options.signal?.aborted ? error : this.#toError(error);
      }
    }
  };
}

/** The `DreamdeckChatOllama` subclass of `Base`, defined once per base class. */
const dreamdeckChatOllama = oncePerBase(defineDreamdeckChatOllama);

/**
 * Creates a model adapter on `ChatOllama` (`@langchain/ollama`) for a local Ollama. Narration
 * streams token by token from `/api/chat`; structured output uses Ollama's `format` (JSON schema).
 *
 * ChatOllama ignores timeouts and retries, so this adapter adds both: a timeout to first byte
 * and between streamed chunks (`AbortSignal.timeout`-style, combined with the caller's signal),
 * and retries with exponential backoff and jitter for refused connections, timeouts, 5xx and 429.
 * The caller's `AbortSignal` closes the upstream connection. When Ollama is not running, the error
 * says so: "Ollama is not reachable at http://127.0.0.1:11434 — is `ollama serve` running?".
 *
 * `@langchain/ollama` is loaded on the first call; without it this throws `CONFIG_INVALID`
 * naming the install command.
 *
 * @example
 * const model = createOllamaModel({ model: 'llama3.1' }); // OLLAMA_BASE_URL or 127.0.0.1:11434
 */
export function createOllamaModel(options: OllamaModelOptions): ModelAdapter {
  const baseUrl = trimBaseUrl(options.baseUrl ?? process.env.OLLAMA_BASE_URL ?? OLLAMA_DEFAULT_BASE_URL);
  const provider: ProviderInfo = {
    id: 'ollama',
    label: 'Ollama',
    baseUrl,
    unreachableHint: 'is `ollama serve` running?',
    authHint: 'check the credentials your Ollama proxy expects',
  };
  const toError = (error: unknown) => {
    const mapped = toProviderError(provider, error);
    const status = mapped.details?.status;
    if (status !== 404) return mapped;
    // Ollama answers 404 for a model it has not pulled.
    return Object.assign(mapped, {
      message: `${mapped.message.replace(/\.$/, '')} — run \`ollama pull ${options.model}\`.`,
    });
  };
  const transport = createResilientFetch({
    provider,
    timeoutMs: options.timeoutMs ?? OLLAMA_DEFAULT_TIMEOUT_MS,
    retry: retryPolicy({ ...options.retry, maxRetries: options.maxRetries }),
    fetch: options.fetch,
  });
  const DreamdeckChatOllama = dreamdeckChatOllama(loadOllamaDriver().ChatOllama);
  const model = new DreamdeckChatOllama(
    { model: options.model, baseUrl, temperature: options.temperature },
    transport,
    toError,
  );
  return { name: `ollama:${options.model}`, model, toError };
}
