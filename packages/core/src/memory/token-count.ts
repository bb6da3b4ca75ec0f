/**
 * Token counts for prompt budgets, with a real BPE tokenizer that needs no network: OpenAI's
 * `cl100k_base` ranks, shipped inside the `gpt-tokenizer` package (loaded once, lazily, on the
 * first count: about 0.2 s and 11 MB). Other models tokenize differently by a few percent; budgets
 * are budgets, not exact bills.
 */

/** Tokens a chat message costs beyond its text (role and separators, as OpenAI's chat format counts them). */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/** Counts tokens of a text, synchronously (see {@link loadTokenCounter}). */
export type TokenCounter = (text: string) => number;

/** Cached counts: the same strings (messages, persona prompts, memories) are counted on every turn. */
const CACHE_LIMIT = 20_000;
/** Short strings are counted again rather than cached (cheaper than the map entry). */
const CACHE_FROM_LENGTH = 24;

let loading: Promise<TokenCounter> | undefined;

/**
 * The token counter, loading the tokenizer on the first call. Counts are cached by text (a least
 * recently used map of 20,000 entries), so a window that is counted again on every turn costs a
 * map lookup per message, not a tokenization.
 */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= import('gpt-tokenizer/encoding/cl100k_base').then(({ countTokens }) => cachedCounter(countTokens));
  return loading;
}

/** Wraps a raw counter with the cache. */
function cachedCounter(raw: (text: string) => number): TokenCounter {
  const cache = new Map<string, number>();
  return (text) => {
    if (text.length < CACHE_FROM_LENGTH) return text ? raw(text) : 0;
    const known = cache.get(text);
    if (known !== undefined) {
      // refresh: a Map iterates in insertion order, so the first key is the least recently used
      cache.delete(text);
      cache.set(text, known);
      return known;
    }
    const count = raw(text);
    cache.set(text, count);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    return count;
  };
}

/**
 * The longest start of `text` that fits in `budget` tokens, cut at a word boundary where one is
 * near (a binary search over lengths: a handful of counts, whatever the text's size).
 */
export function truncateToTokens(count: TokenCounter, text: string, budget: number): string {
  if (budget <= 0) return '';
  if (count(text) <= budget) return text;
  let low = 0;
  let high = Math.min(text.length, budget * 12);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (count(text.slice(0, mid)) <= budget) low = mid;
    else high = mid - 1;
  }
  const cut = text.slice(0, low);
  const space = cut.lastIndexOf(' ');
  return space > low * 0.8 ? cut.slice(0, space) : cut;
}
