import type { SearchAdapter } from '@dreamdeck/core';
import { malformedError, type ProviderInfo } from '../shared/provider-errors.js';

/** One web search result, as every search adapter returns it. */
export type SearchResult = Awaited<ReturnType<SearchAdapter['search']>>[number];

/** Results asked for when the caller names no `limit`. */
export const DEFAULT_SEARCH_LIMIT = 5;

/** The most results one search returns, whatever `limit` asks. */
export const MAX_SEARCH_LIMIT = 20;

/** Default timeout of one search request, in ms: a search that takes longer is not worth waiting for mid-story. */
export const SEARCH_DEFAULT_TIMEOUT_MS = 10_000;

const MAX_TITLE = 300;
const MAX_SNIPPET = 1_000;
const MAX_URL = 2_048;

/** `limit` clamped to 1..{@link MAX_SEARCH_LIMIT} (default {@link DEFAULT_SEARCH_LIMIT}). */
export function searchLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_SEARCH_LIMIT;
  return Math.min(MAX_SEARCH_LIMIT, Math.max(1, Math.floor(limit)));
}

/**
 * Untrusted text from a search service as plain text: tags dropped (services send `<b>` highlights),
 * control characters removed, whitespace collapsed, cut to `max` characters. Never HTML afterwards:
 * a UI still shows it as text.
 */
export function plainText(value: unknown, max: number): string {
  if (typeof value !== 'string') return '';
  const text = value
    .replace(/<[^>]*>/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * One result from a service's raw fields, or `undefined` when it has no usable address. The
 * address is kept as given (trimmed, at most 2,048 characters) when it parses as a URL: a UI
 * decides which schemes become links (Dreamdeck's widget links only `http(s)`).
 */
export function toResult(title: unknown, url: unknown, snippet: unknown): SearchResult | undefined {
  if (typeof url !== 'string') return undefined;
  const address = url.trim();
  if (!address || address.length > MAX_URL || !URL.canParse(address)) return undefined;
  return { title: plainText(title, MAX_TITLE) || address, url: address, snippet: plainText(snippet, MAX_SNIPPET) };
}

/** Reads a JSON object body; a body that is not JSON (or not an object) is a malformed response. */
export async function readJsonObject(
  provider: ProviderInfo,
  response: Response,
  signal: AbortSignal | undefined,
): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw malformedError(provider, 'the search response is not JSON', error);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformedError(provider, 'the search response is not a JSON object');
  }
  return body as Record<string, unknown>;
}

/** The array under `key`, or a malformed-response error when it is missing or not an array. */
export function resultArray(provider: ProviderInfo, body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw malformedError(provider, `the search response has no \`${key}\` list`);
  return value;
}

/** Maps raw items with `pick`, drops unusable ones, and keeps the first `limit`. */
export function collectResults(
  items: unknown[],
  limit: number,
  pick: (item: Record<string, unknown>) => SearchResult | undefined,
): SearchResult[] {
  const results: SearchResult[] = [];
  for (const item of items) {
    if (results.length >= limit) break;
    if (typeof item !== 'object' || item === null) continue;
    const result = pick(item as Record<string, unknown>);
    if (result) results.push(result);
  }
  return results;
}
