import type { Persona } from '../personas/personas.js';

/** Who a lore entry follows: the player in every story (`user`), or one story (`thread`). */
export type LoreScope = 'user' | 'thread';

/**
 * A lorebook entry (world info, as SillyTavern has it): `content` enters the prompt's `lore`
 * section when one of its `keys` appears in the last `lore.scanDepth` messages, or always when
 * `constant`. Kept per user in the storage adapter's LangGraph `BaseStore`.
 */
export interface LoreEntry {
  /** Unique id (`lore_…`). */
  id: string;
  /** Words that trigger it, matched whole-word and case-insensitively (at most 50 keys of 100 characters). */
  keys: string[];
  /** What enters the prompt (at most 8,000 characters). */
  content: string;
  /** Always in the prompt, whatever the keys (default `false`). */
  constant?: boolean;
  /** Higher comes first when the entries that match pass `lore.budgetTokens` (default 0). */
  priority?: number;
  /** `user`: in every story of the player; `thread`: in `threadId` only. */
  scope: LoreScope;
  /** The story of a `thread` entry. */
  threadId?: string;
}

/** A lore entry as stored: the entry, its owner and its timestamps. */
export interface StoredLoreEntry extends LoreEntry {
  /** The player it belongs to. */
  userId: string;
  /** Where it came from: typed in (`manual`), a character card (`card`) or a world-info file (`world-info`). */
  source: 'manual' | 'card' | 'world-info';
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

/** What {@link DreamdeckLore.add} stores. */
export interface NewLoreEntry {
  /** Trigger words (at least one unless `constant`). */
  keys?: string[];
  /** The text for the prompt. */
  content: string;
  /** Always in the prompt. */
  constant?: boolean;
  /** Higher first when the budget is short (an integer from -10,000 to 10,000). */
  priority?: number;
  /** Default `thread` when `threadId` is given, else `user`. */
  scope?: LoreScope;
  /** The story of a `thread` entry (it must be the user's). */
  threadId?: string;
}

/** What {@link DreamdeckLore.update} changes (scope and thread stay). */
export type LoreEntryPatch = Partial<Pick<LoreEntry, 'keys' | 'content' | 'constant' | 'priority'>>;

/** Options for {@link DreamdeckLore.list}. */
export interface ListLoreOptions {
  /** Only the entries that apply in this story: the player's `user` entries and this thread's. */
  threadId?: string;
}

/** What {@link DreamdeckLore.importCard} made: a persona for the user and the card's lorebook. */
export interface CardImport {
  /** The character as a persona only this user sees (`persona_…` id). */
  persona: Persona;
  /** The card's `character_book` entries, as `user` lore entries. */
  entries: StoredLoreEntry[];
  /** Entries of the file left out: disabled, empty, with regex keys, or with no key and not constant. */
  skipped: number;
}

/** What {@link DreamdeckLore.importWorldInfo} made. */
export interface WorldInfoImport {
  /** The file's entries, as `user` lore entries. */
  entries: StoredLoreEntry[];
  /** Entries of the file left out: disabled, empty, or with no key and not constant. */
  skipped: number;
}

/**
 * The lorebook (`dd.lore`): world-info entries per user, the user's own personas imported from
 * character cards, and imports. Owner-only: another user's entry id answers `NOT_FOUND`.
 */
export interface DreamdeckLore {
  /** The user's entries, highest priority first (with `threadId`, only those that apply there). */
  list(userId: string, options?: ListLoreOptions): Promise<StoredLoreEntry[]>;
  /** Adds an entry. */
  add(userId: string, entry: NewLoreEntry): Promise<StoredLoreEntry>;
  /** Changes an entry's keys, content, `constant` or priority. */
  update(userId: string, id: string, patch: LoreEntryPatch): Promise<StoredLoreEntry>;
  /** Deletes an entry for good. */
  remove(userId: string, id: string): Promise<void>;
  /**
   * Reads a Character Card V2 (`chara_card_v2`) or V3 (`chara_card_v3`): JSON text or bytes, or a
   * PNG with the card, base64, in its `ccv3` or `chara` tEXt chunk. Makes a persona for the user
   * and stores the card's `character_book` entries as lore. `INVALID_INPUT` naming what is wrong
   * for a bad file; nothing is stored then.
   */
  importCard(userId: string, data: Uint8Array | string): Promise<CardImport>;
  /**
   * Reads a SillyTavern world-info JSON (`{ entries: { [uid]: { key, content, constant, order, disable, … } } }`)
   * into lore entries (disabled ones are skipped). All or nothing, like {@link DreamdeckLore.importCard}.
   */
  importWorldInfo(userId: string, json: Uint8Array | string): Promise<WorldInfoImport>;
  /** The personas the user imported from cards. */
  personas(userId: string): Promise<Persona[]>;
  /** Deletes one of the user's imported personas. */
  removePersona(userId: string, personaId: string): Promise<void>;
  /**
   * Deletes the entries of one story (its `thread` entries). The HTTP API calls it when a thread is
   * deleted.
   */
  forgetThread(userId: string, threadId: string): Promise<void>;
}
