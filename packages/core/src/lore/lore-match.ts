import type { StoredLoreEntry } from './lore-types.js';

// Which lore entries a turn's prompt holds: SillyTavern's world-info activation, without recursion.
// A key matches as a whole word (letters, digits and `_` may not touch it on either side),
// ignoring case; a key that is only punctuation matches anywhere.

const patterns = new Map<string, RegExp>();

/** The whole-word, case-insensitive pattern of a key (cached: the same keys are matched every turn). */
function patternOf(key: string): RegExp {
  let pattern = patterns.get(key);
  if (!pattern) {
    const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${escaped}(?![\\p{L}\\p{N}_])`, 'iu');
    if (patterns.size > 10_000) patterns.clear();
    patterns.set(key, pattern);
  }
  return pattern;
}

/** True when `key` appears in `text` as a whole word, ignoring case. */
export function keyMatches(key: string, text: string): boolean {
  const trimmed = key.trim();
  return trimmed.length > 0 && patternOf(trimmed).test(text);
}

/**
 * The entries that enter a prompt, highest priority first: every `constant` entry, and every
 * entry one of whose keys appears in `messages` (the last `scanDepth` messages, newest last).
 * `entries` come sorted by priority; the assembly keeps as many as `lore.budgetTokens` holds.
 */
export function activeLore(entries: StoredLoreEntry[], messages: string[], scanDepth: number): StoredLoreEntry[] {
  const scanned = scanDepth > 0 ? messages.slice(-scanDepth).join('\n') : '';
  return entries.filter((entry) => entry.constant || entry.keys.some((key) => keyMatches(key, scanned)));
}
