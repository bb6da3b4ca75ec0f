import type { SearchAdapter } from '@dreamdeck/core';
import { type TransportOptions, trimBaseUrl } from '../shared/adapter-options.js';
import { malformedError, type ProviderInfo } from '../shared/provider-errors.js';
import { collectResults, readJsonObject, toResult } from './search-results.js';
import { createSearchAdapter } from './search-transport.js';

/** Options for {@link createSerpApiSearch}. */
export interface SerpApiSearchOptions extends TransportOptions {
  /** Your SerpApi key, sent as the `api_key` query parameter (as SerpApi requires). */
  apiKey: string;
  /** The API's URL (default `https://serpapi.com`); tests point it at a loopback server. */
  baseUrl?: string;
  /** SerpApi engine (default `google`). */
  engine?: string;
  /** Google domain (`google.com`, `google.de`); SerpApi's default when unset. */
  googleDomain?: string;
  /** Interface language (`hl`, for example `en`). */
  language?: string;
  /** Country (`gl`, for example `us`). */
  country?: string;
}

/**
 * Creates a search adapter for SerpApi (the original app's search): `GET
 * /search.json?engine=google&q=…&api_key=…&num=…`, which answers `{ organic_results: [{ title,
 * link, snippet }] }`. A search Google found nothing for (an `error` beside a `Success` status, no
 * `organic_results`) is an empty list, not a failure. Timeouts (default 10 s), retries (default 2)
 * and error mapping are those of the model adapters.
 *
 * @example
 * const search = createSerpApiSearch({ apiKey: process.env.SERPAPI_API_KEY! });
 */
export function createSerpApiSearch(options: SerpApiSearchOptions): SearchAdapter {
  const baseUrl = trimBaseUrl(options.baseUrl ?? 'https://serpapi.com');
  const provider: ProviderInfo = {
    id: 'serpapi',
    label: 'SerpApi',
    baseUrl,
    authHint: 'check SERPAPI_API_KEY (serpapi.com/manage-api-key)',
  };
  return createSearchAdapter('serpapi', provider, options, async ({ fetch, query, limit, signal }) => {
    const params = new URLSearchParams({
      engine: options.engine ?? 'google',
      q: query,
      api_key: options.apiKey,
      num: String(limit),
      output: 'json',
    });
    if (options.googleDomain) params.set('google_domain', options.googleDomain);
    if (options.language) params.set('hl', options.language);
    if (options.country) params.set('gl', options.country);
    const response = await fetch(`${baseUrl}/search.json?${params}`, {
      headers: { accept: 'application/json' },
      signal,
    });
    const body = await readJsonObject(provider, response, signal);
    const organic = body.organic_results;
    if (organic === undefined) {
      // "Google hasn't returned any results for this query." comes with status Success: no results
      const status = (body.search_metadata as { status?: unknown } | undefined)?.status;
      if (status === 'Success' || typeof body.error === 'string') {
        if (status !== 'Success') throw malformedError(provider, String(body.error));
        return [];
      }
      throw malformedError(provider, 'the search response has no `organic_results` list');
    }
    if (!Array.isArray(organic)) throw malformedError(provider, '`organic_results` is not a list');
    return collectResults(organic, limit, (item) => toResult(item.title, item.link, item.snippet));
  });
}
