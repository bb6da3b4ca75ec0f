import { DreamdeckError } from '../errors.js';
import type { Persona } from '../personas/personas.js';
import { newId } from '../storage/ids.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { type ImportedEntry, parseCharacterCard, parseWorldInfo } from './character-card.js';
import { readUpload } from './import-files.js';
import {
  deleteLore,
  deleteUserPersona,
  forgetThreadLore,
  MAX_LORE_ENTRIES,
  MAX_USER_PERSONAS,
  readLore,
  readLoreEntry,
  readUserPersonas,
  USER_PERSONA_PREFIX,
  writeLore,
  writeUserPersona,
} from './lore-book.js';
import { cleanEntryFields } from './lore-text.js';
import type { DreamdeckLore, StoredLoreEntry } from './lore-types.js';

/** What `dd.lore` works with. */
export interface LoreDeps {
  storage: StorageAdapter;
}

/** Builds `dd.lore` over the storage's `BaseStore` (see {@link DreamdeckLore}). */
export function createDreamdeckLore({ storage }: LoreDeps): DreamdeckLore {
  const store = storage.store;

  const checkUser = (userId: string) => {
    if (typeof userId !== 'string' || !userId) throw new DreamdeckError('INVALID_INPUT', 'Name the user (userId).');
  };
  /** The user's own thread, else NOT_FOUND (never revealing that another user's exists). */
  const checkThread = async (userId: string, threadId: unknown) => {
    const thread = typeof threadId === 'string' && threadId ? await storage.getThread(threadId) : null;
    if (!thread || thread.userId !== userId) throw new DreamdeckError('NOT_FOUND', 'That story does not exist.');
  };
  const own = async (userId: string, id: string): Promise<StoredLoreEntry> => {
    checkUser(userId);
    const entry = typeof id === 'string' && id ? await readLoreEntry(store, userId, id) : undefined;
    if (!entry) throw new DreamdeckError('NOT_FOUND', 'That lore entry does not exist.');
    return entry;
  };
  const checkRoom = async (userId: string, adding: number) => {
    const count = (await readLore(store, userId)).length;
    if (count + adding > MAX_LORE_ENTRIES)
      throw new DreamdeckError(
        'INVALID_INPUT',
        `A player keeps at most ${MAX_LORE_ENTRIES} lore entries (you have ${count}; this adds ${adding}).`,
      );
  };
  const toStored = (
    userId: string,
    fields: ImportedEntry,
    source: StoredLoreEntry['source'],
    scope: { scope: 'user' } | { scope: 'thread'; threadId: string } = { scope: 'user' },
  ): StoredLoreEntry => {
    const now = new Date().toISOString();
    return {
      id: newId('lore'),
      userId,
      keys: fields.keys,
      content: fields.content,
      ...(fields.constant && { constant: true }),
      ...(fields.priority !== undefined && fields.priority !== 0 && { priority: fields.priority }),
      ...scope,
      source,
      createdAt: now,
      updatedAt: now,
    };
  };
  /** Writes imported entries (and a persona) all or nothing: on a failure, what was written goes again. */
  const storeAll = async (userId: string, entries: StoredLoreEntry[], persona?: Persona) => {
    try {
      await writeLore(store, entries);
      if (persona) await writeUserPersona(store, userId, persona);
    } catch (error) {
      await deleteLore(
        store,
        userId,
        entries.map((entry) => entry.id),
      ).catch(() => {});
      if (persona) await deleteUserPersona(store, userId, persona.id).catch(() => {});
      throw DreamdeckError.from(error, 'STORAGE_ERROR');
    }
  };

  return {
    async list(userId, options = {}) {
      checkUser(userId);
      if (options.threadId !== undefined) await checkThread(userId, options.threadId);
      return readLore(store, userId, options.threadId);
    },

    async add(userId, input) {
      checkUser(userId);
      if (!input || typeof input !== 'object') throw new DreamdeckError('INVALID_INPUT', 'Give the entry to add.');
      const fields = cleanEntryFields(input, '');
      const scope = input.scope ?? (input.threadId ? 'thread' : 'user');
      if (scope !== 'user' && scope !== 'thread')
        throw new DreamdeckError('INVALID_INPUT', 'A lore entry\'s scope is "user" or "thread".');
      if (scope === 'thread' && !input.threadId)
        throw new DreamdeckError('INVALID_INPUT', 'A thread entry needs the threadId of its story.');
      if (input.threadId !== undefined) await checkThread(userId, input.threadId);
      await checkRoom(userId, 1);
      const entry = toStored(
        userId,
        fields,
        'manual',
        scope === 'thread' ? { scope, threadId: input.threadId as string } : { scope },
      );
      await writeLore(store, [entry]);
      return entry;
    },

    async update(userId, id, patch) {
      const entry = await own(userId, id);
      if (!patch || typeof patch !== 'object') throw new DreamdeckError('INVALID_INPUT', 'Give the fields to change.');
      const fields = cleanEntryFields(
        {
          keys: patch.keys ?? entry.keys,
          content: patch.content ?? entry.content,
          constant: patch.constant ?? entry.constant ?? false,
          priority: patch.priority === undefined ? entry.priority : patch.priority,
        },
        '',
      );
      const { constant: _constant, priority: _priority, ...rest } = entry;
      const next: StoredLoreEntry = {
        ...rest,
        keys: fields.keys,
        content: fields.content,
        ...(fields.constant && { constant: true }),
        ...(fields.priority !== undefined && fields.priority !== 0 && { priority: fields.priority }),
        updatedAt: new Date().toISOString(),
      };
      await writeLore(store, [next]);
      return next;
    },

    async remove(userId, id) {
      await own(userId, id);
      await deleteLore(store, userId, [id]);
    },

    async importCard(userId, data) {
      checkUser(userId);
      const card = parseCharacterCard(readUpload(data));
      if ((await readUserPersonas(store, userId)).length >= MAX_USER_PERSONAS)
        throw new DreamdeckError('INVALID_INPUT', `A player keeps at most ${MAX_USER_PERSONAS} imported personas.`);
      await checkRoom(userId, card.entries.length);
      const persona: Persona = { id: newId(USER_PERSONA_PREFIX.slice(0, -1)), ...card.persona };
      const entries = card.entries.map((fields) => toStored(userId, fields, 'card'));
      await storeAll(userId, entries, persona);
      return { persona, entries, skipped: card.skipped };
    },

    async importWorldInfo(userId, json) {
      checkUser(userId);
      const parsed = parseWorldInfo(readUpload(json));
      await checkRoom(userId, parsed.entries.length);
      const entries = parsed.entries.map((fields) => toStored(userId, fields, 'world-info'));
      await storeAll(userId, entries);
      return { entries, skipped: parsed.skipped };
    },

    async personas(userId) {
      checkUser(userId);
      return readUserPersonas(store, userId);
    },

    async removePersona(userId, personaId) {
      checkUser(userId);
      const mine = (await readUserPersonas(store, userId)).some((persona) => persona.id === personaId);
      if (!mine) throw new DreamdeckError('NOT_FOUND', 'That persona does not exist.');
      await deleteUserPersona(store, userId, personaId);
    },

    async forgetThread(userId, threadId) {
      checkUser(userId);
      await forgetThreadLore(store, userId, threadId);
    },
  };
}
