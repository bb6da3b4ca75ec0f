import type { SearchAdapter } from '@dreamdeck/core';
import { type TransportOptions, trimBaseUrl } from '../shared/adapter-options.js';
import type { ProviderInfo } from '../shared/provider-errors.js';
import { collectResults, readJsonObject, resultArray, toResult } from './search-results.js';
import { createSearchAdapter } from './search-transport.js';

/** Options for {@link createTavilySearch}. */
export interface TavilySearchOptions extends TransportOptions {
  /** Your Tavily API key (`tvly-…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** The API's URL (default `https://api.tavily.com`); tests point it at a loopback server. */
  baseUrl?: string;
  /** `basic` (default, 1 credit) or `advanced` (2 credits, better snippets). */
  searchDepth?: 'basic' | 'advanced';
  /** `general` (default) or `news`. */
  topic?: 'general' | 'news';
}

/**
 * Creates a search adapter for Tavily (`POST /search` with `Authorization: Bearer <apiKey>` and a
 * JSON body `{ query, max_results, search_depth, topic }`), which answers `{ results: [{ title,
 * url, content, score }] }`. Timeouts (default 10 s), retries (default 2; a 429's `Retry-After` is
 * honoured) and error mapping are those of the model adapters.
 *
 * @example
 * const search = createTavilySearch({ apiKey: process.env.TAVILY_API_KEY! });
 */
export function createTavilySearch(options: TavilySearchOptions): SearchAdapter {
  const baseUrl = trimBaseUrl(options.baseUrl ?? 'https://api.tavily.com');
  const provider: ProviderInfo = {
    id: 'tavily',
    label: 'Tavily',
    baseUrl,
    authHint: 'check TAVILY_API_KEY (a `tvly-` key from app.tavily.com)',
  };
  return createSearchAdapter('tavily', provider, options, async ({ fetch, query, limit, signal }) => {
    const response = await fetch(`${baseUrl}/search`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${options.apiKey}`,
      },
      body: JSON.stringify({
        query,
        max_results: limit,
        search_depth: options.searchDepth ?? 'basic',
        topic: options.topic ?? 'general',
        include_answer: false,
        include_raw_content: false,
        include_images: false,
      }),
      signal,
    });
    const body = await readJsonObject(provider, response, signal);
    return collectResults(resultArray(provider, body, 'results'), limit, (item) =>
      toResult(item.title, item.url, item.content),
    );
  });
}
