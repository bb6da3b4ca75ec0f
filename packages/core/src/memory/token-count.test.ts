import { describe, expect, it } from 'vitest';
import { loadTokenCounter, truncateToTokens } from './token-count.js';

describe('token counts', () => {
  it('counts with the cl100k_base tokenizer offline, the same text the same way', async () => {
    const count = await loadTokenCounter();
    // known cl100k counts: "hello world" is 2 tokens, "The quick brown fox jumps over the lazy dog." is 10
    expect(count('hello world')).toBe(2);
    expect(count('The quick brown fox jumps over the lazy dog.')).toBe(10);
    const long = 'Mira lifts the lantern of Saint Bell above the drowned stair. '.repeat(40);
    expect(count(long)).toBe(count(long));
    expect(count(long)).toBeGreaterThan(300);
    expect(count('')).toBe(0);
  });

  it('truncates to a budget at a word boundary', async () => {
    const count = await loadTokenCounter();
    const text = 'word '.repeat(5000);
    const cut = truncateToTokens(count, text, 100);
    expect(count(cut)).toBeLessThanOrEqual(100);
    expect(count(cut)).toBeGreaterThan(90);
    expect(cut.endsWith('word')).toBe(true);
    expect(truncateToTokens(count, 'short', 100)).toBe('short');
    expect(truncateToTokens(count, 'anything', 0)).toBe('');
  });
});
