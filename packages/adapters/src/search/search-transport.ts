import type { SearchAdapter } from '@dreamdeck/core';
import type { TransportOptions } from '../shared/adapter-options.js';
import { type ProviderInfo, toProviderError } from '../shared/provider-errors.js';
import { createResilientFetch } from '../shared/resilient-fetch.js';
import { retryPolicy } from '../shared/retry-policy.js';
import { SEARCH_DEFAULT_TIMEOUT_MS, type SearchResult, searchLimit } from './search-results.js';

/** What one search request needs: the wrapped fetch, the clamped limit and the caller's signal. */
export interface SearchCall {
  fetch: typeof fetch;
  query: string;
  limit: number;
  signal: AbortSignal | undefined;
}

/**
 * Builds a {@link SearchAdapter} over `run`: the fetch it gets has the model adapters' timeout
 * (default 10 s), retries (default 2, `Retry-After` honoured) and error mapping, and any failure
 * that escapes `run` becomes a `DreamdeckError` naming the service. An aborted search rejects with
 * the caller's abort reason.
 */
export function createSearchAdapter(
  name: string,
  provider: ProviderInfo,
  options: TransportOptions,
  run: (call: SearchCall) => Promise<SearchResult[]>,
): SearchAdapter {
  const fetch = createResilientFetch({
    provider,
    timeoutMs: options.timeoutMs ?? SEARCH_DEFAULT_TIMEOUT_MS,
    retry: retryPolicy({ ...options.retry, maxRetries: options.maxRetries ?? 2 }),
    fetch: options.fetch,
  });
  return {
    name,
    async search(query, searchOptions = {}) {
      const signal = searchOptions.signal;
      try {
        return await run({ fetch, query: query.trim(), limit: searchLimit(searchOptions.limit), signal });
      } catch (error) {
        throw signal?.aborted ? error : toProviderError(provider, error);
      }
    },
  };
}
