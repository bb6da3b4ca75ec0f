import type { SearchAdapter } from '@dreamdeck/core';
import { type TransportOptions, trimBaseUrl } from '../shared/adapter-options.js';
import type { ProviderInfo } from '../shared/provider-errors.js';
import { collectResults, readJsonObject, resultArray, toResult } from './search-results.js';
import { createSearchAdapter } from './search-transport.js';

/** Options for {@link createSearxngSearch}. */
export interface SearxngSearchOptions extends TransportOptions {
  /** The instance's URL, for example `http://127.0.0.1:8888` (JSON must be among its `search.formats`). */
  baseUrl: string;
  /** Search categories (`general`, `news`, …), sent as `categories`; the instance's default when unset. */
  categories?: string[];
  /** Result language (`en`, `de-DE`, `all`), sent as `language`; the instance's default when unset. */
  language?: string;
  /** Safe search level: 0 off, 1 moderate, 2 strict (default 1). */
  safeSearch?: 0 | 1 | 2;
}

/**
 * Creates a search adapter for a SearXNG instance (the self-hosted metasearch engine): `GET
 * /search?q=…&format=json`, which answers `{ results: [{ title, url, content }] }`. The instance
 * must allow the JSON format (`search.formats: [html, json]` in its `settings.yml`; otherwise it
 * answers 403, reported with that hint). Timeouts (default 10 s), retries (default 2) and error
 * mapping are those of the model adapters.
 *
 * @example
 * const search = createSearxngSearch({ baseUrl: 'http://127.0.0.1:8888' });
 * const dd = await createDreamdeck({ search, config: { features: { webSearch: true } } });
 */
export function createSearxngSearch(options: SearxngSearchOptions): SearchAdapter {
  const baseUrl = trimBaseUrl(options.baseUrl);
  const provider: ProviderInfo = {
    id: 'searxng',
    label: 'SearXNG',
    baseUrl,
    unreachableHint: 'is the SearXNG instance running?',
    authHint:
      'allow the JSON format in its settings.yml (`search.formats: [html, json]`) and check any proxy credentials',
  };
  return createSearchAdapter('searxng', provider, options, async ({ fetch, query, limit, signal }) => {
    const params = new URLSearchParams({ q: query, format: 'json', safesearch: String(options.safeSearch ?? 1) });
    if (options.categories?.length) params.set('categories', options.categories.join(','));
    if (options.language) params.set('language', options.language);
    const response = await fetch(`${baseUrl}/search?${params}`, {
      headers: { accept: 'application/json' },
      signal,
    });
    const body = await readJsonObject(provider, response, signal);
    return collectResults(resultArray(provider, body, 'results'), limit, (item) =>
      toResult(item.title, item.url, item.content),
    );
  });
}
