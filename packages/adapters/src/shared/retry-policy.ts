/** How a model or image adapter retries transient failures. */
export interface RetryOptions {
  /** Retries after the first attempt (default 2). `0` disables retrying. */
  maxRetries?: number;
  /** First backoff delay in ms; doubles each retry (default 500). */
  baseDelayMs?: number;
  /** Largest backoff delay in ms (default 8000). */
  maxDelayMs?: number;
  /** Longest `Retry-After` the adapter waits for before giving up instead (default 60000). */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** Fills in the defaults of {@link RetryOptions}. */
export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxRetries: Math.max(0, options.maxRetries ?? 2),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? 500),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? 8000),
    maxRetryAfterMs: Math.max(0, options.maxRetryAfterMs ?? 60_000),
  };
}

/**
 * Exponential backoff with full jitter (AWS architecture blog): a random delay between half and
 * all of `min(maxDelayMs, baseDelayMs * 2^retry)`. `retry` counts from 0.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Reads `Retry-After` (seconds or an HTTP date) and OpenAI's `retry-after-ms`, in ms. Undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Waits `ms`, rejecting with the signal's reason if it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
