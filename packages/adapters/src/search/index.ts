/**
 * `@dreamdeck/adapters/search`: web search for `/search` and the GM, over SearXNG (self-hosted),
 * Tavily and SerpApi, with the model adapters' timeouts, retries and error mapping, and
 * `searchFromEnv()` to choose one from `DREAMDECK_SEARCH`. No extra dependency.
 * @packageDocumentation
 */
export type { TransportOptions } from '../shared/adapter-options.js';
export type { RetryOptions } from '../shared/retry-policy.js';
export type { SearchChoice, SearchEnvironment } from './search-from-env.js';
export { searchFromEnv } from './search-from-env.js';
export type { SearchResult } from './search-results.js';
export {
  DEFAULT_SEARCH_LIMIT,
  MAX_SEARCH_LIMIT,
  SEARCH_DEFAULT_TIMEOUT_MS,
} from './search-results.js';
export type { SearxngSearchOptions } from './searxng-search.js';
export { createSearxngSearch } from './searxng-search.js';
export type { SerpApiSearchOptions } from './serpapi-search.js';
export { createSerpApiSearch } from './serpapi-search.js';
export type { TavilySearchOptions } from './tavily-search.js';
export { createTavilySearch } from './tavily-search.js';
