import { DreamdeckError, type SearchAdapter } from '@dreamdeck/core';
import { createSearxngSearch } from './searxng-search.js';
import { createSerpApiSearch } from './serpapi-search.js';
import { createTavilySearch } from './tavily-search.js';

/** What {@link searchFromEnv} chose; `adapter` is undefined for `none`. */
export interface SearchChoice {
  /** The search backend to pass to `createDreamdeck({ search })`; `undefined` when none is configured. */
  adapter: SearchAdapter | undefined;
  /** One line for logs and startup banners, for example `SearXNG at http://127.0.0.1:8888`. */
  description: string;
}

/** The environment to read (default `process.env`). */
export type SearchEnvironment = Record<string, string | undefined>;

const FORMS = 'none | searxng:<url> | tavily | serpapi';

function invalid(message: string, variable: string, value: string): DreamdeckError {
  return new DreamdeckError('CONFIG_INVALID', `[dreamdeck] ${message}`, { details: { variable, value } });
}

/**
 * Picks the web search backend from `DREAMDECK_SEARCH`: `none` (default), `searxng:<url>` (or
 * `searxng` with `SEARXNG_URL`), `tavily` (uses `TAVILY_API_KEY`, optional `TAVILY_BASE_URL`) or
 * `serpapi` (uses `SERPAPI_API_KEY`, optional `SERPAPI_BASE_URL`). A missing key or URL, or a value
 * it does not know, fails with `CONFIG_INVALID` naming what to set. Search still needs the
 * `webSearch` feature flag switched on.
 *
 * @example
 * const search = await searchFromEnv();
 * console.log(`search: ${search.description}`);
 * const dd = await createDreamdeck({ search: search.adapter });
 */
export async function searchFromEnv(env: SearchEnvironment = process.env): Promise<SearchChoice> {
  const text = (env.DREAMDECK_SEARCH ?? '').trim() || 'none';
  const colon = text.indexOf(':');
  const kind = (colon === -1 ? text : text.slice(0, colon)).toLowerCase();
  const rest = colon === -1 ? '' : text.slice(colon + 1).trim();
  switch (kind) {
    case 'none':
      return {
        adapter: undefined,
        description: 'no web search (set DREAMDECK_SEARCH to searxng:<url>, tavily or serpapi)',
      };
    case 'searxng': {
      const baseUrl = rest || env.SEARXNG_URL?.trim();
      if (!baseUrl || !URL.canParse(baseUrl)) {
        throw invalid(
          `DREAMDECK_SEARCH=searxng needs the instance's URL: searxng:<url> or SEARXNG_URL.`,
          'DREAMDECK_SEARCH',
          text,
        );
      }
      return { adapter: createSearxngSearch({ baseUrl }), description: `SearXNG at ${baseUrl}` };
    }
    case 'tavily': {
      const apiKey = env.TAVILY_API_KEY?.trim();
      if (!apiKey) throw invalid('DREAMDECK_SEARCH=tavily needs TAVILY_API_KEY.', 'TAVILY_API_KEY', '');
      const baseUrl = env.TAVILY_BASE_URL?.trim() || undefined;
      return {
        adapter: createTavilySearch({ apiKey, baseUrl }),
        description: `Tavily at ${baseUrl ?? 'https://api.tavily.com'}`,
      };
    }
    case 'serpapi': {
      const apiKey = env.SERPAPI_API_KEY?.trim();
      if (!apiKey) throw invalid('DREAMDECK_SEARCH=serpapi needs SERPAPI_API_KEY.', 'SERPAPI_API_KEY', '');
      const baseUrl = env.SERPAPI_BASE_URL?.trim() || undefined;
      return {
        adapter: createSerpApiSearch({ apiKey, baseUrl }),
        description: `SerpApi (Google) at ${baseUrl ?? 'https://serpapi.com'}`,
      };
    }
    default:
      throw invalid(`DREAMDECK_SEARCH="${text}" is not understood; use one of: ${FORMS}.`, 'DREAMDECK_SEARCH', text);
  }
}
