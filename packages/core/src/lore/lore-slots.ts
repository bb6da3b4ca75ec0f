import type { DreamdeckConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { PromptSlots } from '../memory/prompt-assembly.js';
import { loadTokenCounter, truncateToTokens } from '../memory/token-count.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { readLore } from './lore-book.js';
import { activeLore } from './lore-match.js';
import { cleanField } from './lore-text.js';

// The prompt's `lore` and `authors-note` sections, and where the author's note lives: the thread's
// key/values (encrypted at rest with the adapter's `encryptionKey`, like messages).

/** Thread data key of the author's note. */
export const AUTHORS_NOTE_KEY = 'dreamdeck:authors-note';
/** Longest author's note, in characters. */
export const MAX_AUTHORS_NOTE = 1000;
/** Tokens of the note the prompt holds at most (the section's budget is 200, its heading included). */
const NOTE_TOKENS = 180;

/** A note as stored: cleaned and checked; `null` (or only spaces) clears it. */
export function cleanAuthorsNote(text: unknown): string | null {
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string')
    throw new DreamdeckError('INVALID_INPUT', "The author's note is text (or null to clear it).");
  return cleanField(text, "The author's note", MAX_AUTHORS_NOTE) || null;
}

/** The thread's author's note, or null. */
export async function readAuthorsNote(storage: StorageAdapter, threadId: string): Promise<string | null> {
  return authorsNoteOf(await storage.getThreadData(threadId));
}

/** The author's note in a thread's data as read (`getThreadData`), or null. */
function authorsNoteOf(data: Readonly<Record<string, unknown>>): string | null {
  const value = data[AUTHORS_NOTE_KEY];
  return typeof value === 'string' && value ? value : null;
}

/** Sets (or with null, clears) the thread's author's note. */
export async function writeAuthorsNote(storage: StorageAdapter, threadId: string, text: string | null): Promise<void> {
  await storage.setThreadData(threadId, AUTHORS_NOTE_KEY, text ?? undefined);
}

/**
 * The fillers of the prompt's `lore` section (the entries whose keys appear in the last
 * `lore.scanDepth` messages, and the constant ones, highest priority first) and `authors-note`
 * section (the thread's note).
 */
export function createLoreSlots(deps: {
  storage: StorageAdapter;
  config: () => DreamdeckConfig;
}): Required<Pick<PromptSlots, 'lore' | 'authors-note'>> {
  return {
    lore: async ({ userId, threadId, text, recent }) => {
      const entries = await readLore(deps.storage.store, userId, threadId);
      if (entries.length === 0) return [];
      const messages = [...recent.map((message) => message.content), text];
      return activeLore(entries, messages, deps.config().lore.scanDepth).map((entry) => entry.content);
    },
    'authors-note': async ({ threadData }) => {
      const note = authorsNoteOf(threadData);
      if (!note) return [];
      return [truncateToTokens(await loadTokenCounter(), note, NOTE_TOKENS)];
    },
  };
}
