import { DreamdeckError } from '@dreamdeck/core';
import {
  connectionError,
  isRetryableStatus,
  malformedError,
  type ProviderInfo,
  statusError,
  timeoutError,
} from './provider-errors.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy, sleep } from './retry-policy.js';

/** Options for {@link createResilientFetch}. */
export interface ResilientFetchOptions {
  provider: ProviderInfo;
  /** Longest wait for response headers, and for each chunk of a streamed body, in ms. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** The fetch to wrap (default: global fetch). */
  fetch?: typeof fetch;
  /** Random source for jitter (tests make it deterministic). */
  random?: () => number;
}

type Framing = 'sse' | 'ndjson' | undefined;

function framingOf(contentType: string | null): Framing {
  if (!contentType) return undefined;
  if (contentType.includes('text/event-stream')) return 'sse';
  if (contentType.includes('ndjson')) return 'ndjson';
  return undefined;
}

/**
 * Wraps `fetch` with what model SDKs leave out or get wrong:
 * - a timeout per attempt (`AbortSignal` combined with the caller's, via `AbortSignal.any`), which
 *   also applies between chunks of a streamed body, so a hung connection fails instead of waiting forever;
 * - retries with exponential backoff and jitter for connection failures, timeouts, 408/409/5xx,
 *   and 429 honouring `Retry-After` / `retry-after-ms`, up to `retry.maxRetries`;
 * - failures as `DreamdeckError`s (`MODEL_UNAVAILABLE`; 401/403 not retryable, with a hint);
 * - stream checks: an SSE `data:` line or NDJSON line that is not JSON, or a stream that ends
 *   without its terminator (`data: [DONE]`, `"done": true`), errors the body with a DreamdeckError
 *   instead of silently ending the reply.
 * The caller's abort is never retried and cancels the upstream request (the socket closes).
 * Requests are retried only before any of the body reached the caller.
 */
export function createResilientFetch(options: ResilientFetchOptions): typeof fetch {
  const baseFetch = options.fetch ?? globalThis.fetch;
  const { provider, timeoutMs, retry } = options;
  const random = options.random ?? Math.random;

  return async function resilientFetch(input: string | URL | Request, init: RequestInit = {}): Promise<Response> {
    const callerSignal = init.signal ?? (input instanceof Request ? input.signal : undefined);
    for (let attempt = 0; ; attempt++) {
      callerSignal?.throwIfAborted();
      const timeout = new AbortController();
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
      let timer = setTimeout(() => timeout.abort(), timeoutMs);
      let failure: DreamdeckError;
      try {
        const response = await baseFetch(input, { ...init, signal });
        if (response.ok) {
          clearTimeout(timer);
          return guardResponse(response, { provider, timeoutMs, abort: () => timeout.abort(), callerSignal });
        }
        clearTimeout(timer);
        timer = setTimeout(() => timeout.abort(), timeoutMs);
        const detail = await errorDetail(response);
        clearTimeout(timer);
        const retryAfterMs = parseRetryAfter(response.headers);
        failure = statusError(provider, response.status, detail, retryAfterMs);
        if (!isRetryableStatus(response.status) || attempt >= retry.maxRetries) throw failure;
        if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) throw failure;
        await sleep(retryAfterMs ?? backoffDelay(attempt, retry, random), callerSignal ?? undefined);
        continue;
      } catch (error) {
        clearTimeout(timer);
        if (callerSignal?.aborted) throw error;
        if (DreamdeckError.isInstance(error)) throw error;
        failure = timeout.signal.aborted ? timeoutError(provider, timeoutMs) : connectionError(provider, error);
        if (attempt >= retry.maxRetries) throw failure;
      }
      await sleep(backoffDelay(attempt, retry, random), callerSignal ?? undefined);
    }
  };
}

async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    // OpenAI: { error: { message } }; Ollama, SerpApi: { error }; A1111: { error, detail, errors }.
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown; errors?: unknown; message?: unknown };
    const error = body.error as { message?: unknown } | string | undefined;
    // Tavily: { detail: { error } }
    const detail = (body.detail as { error?: unknown } | undefined)?.error ?? body.detail;
    const parts = [typeof error === 'string' ? error : error?.message, detail, body.errors, body.message];
    const message = parts.filter((part): part is string => typeof part === 'string' && part !== '').join(': ');
    if (message) return message.slice(0, 300);
  } catch {
    // not JSON: use the text
  }
  return text.slice(0, 300);
}

interface GuardOptions {
  provider: ProviderInfo;
  timeoutMs: number;
  abort: () => void;
  callerSignal: AbortSignal | null | undefined;
}

/** Returns `response` with its body guarded by an idle timeout, stream checks and error mapping. */
function guardResponse(response: Response, options: GuardOptions): Response {
  if (!response.body) return response;
  const { provider, timeoutMs } = options;
  const framing = framingOf(response.headers.get('content-type'));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let terminated = framing === undefined;
  let idle = false;

  /** Checks complete lines; returns an error message for the first broken one. */
  const checkLines = (text: string): string | undefined => {
    pending += text;
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
      if (!line) continue;
      let payload: string;
      if (framing === 'sse') {
        if (!line.startsWith('data:')) continue;
        payload = line.slice(5).trim();
        if (payload === '[DONE]') {
          terminated = true;
          continue;
        }
      } else payload = line;
      try {
        const value = JSON.parse(payload) as { done?: unknown };
        if (framing === 'ndjson' && value.done === true) terminated = true;
      } catch {
        return `a stream chunk is not JSON (${payload.slice(0, 60)})`;
      }
    }
    return undefined;
  };

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const timer = setTimeout(() => {
        idle = true;
        options.abort();
      }, timeoutMs);
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        if (options.callerSignal?.aborted) return controller.error(error);
        return controller.error(
          idle ? timeoutError(provider, timeoutMs, true) : connectionError(provider, error, true),
        );
      } finally {
        clearTimeout(timer);
      }
      if (result.done) {
        if (framing && (!terminated || pending.trim())) {
          return controller.error(malformedError(provider, 'the reply stream ended before it was complete'));
        }
        return controller.close();
      }
      if (framing) {
        const broken = checkLines(decoder.decode(result.value, { stream: true }));
        if (broken) {
          void reader.cancel().catch(() => {});
          return controller.error(malformedError(provider, broken));
        }
      }
      controller.enqueue(result.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
