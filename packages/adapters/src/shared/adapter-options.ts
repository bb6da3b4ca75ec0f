import type { RetryOptions } from './retry-policy.js';

/** Transport options every HTTP model and image adapter accepts. */
export interface TransportOptions {
  /** Longest wait for the server to answer, and for each chunk of a streamed reply, in ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for transient failures (default 2). */
  maxRetries?: number;
  /** Backoff tuning: base and maximum delay, and the longest `Retry-After` worth waiting for. */
  retry?: Omit<RetryOptions, 'maxRetries'>;
  /** Your own `fetch` (a proxy agent, instrumentation); the adapter wraps it with timeouts and retries. */
  fetch?: typeof fetch;
}

/** Removes trailing slashes from a base URL. */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
