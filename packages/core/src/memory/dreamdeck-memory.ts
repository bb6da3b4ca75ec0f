import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { DreamdeckConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { deleteMemory, newMemory, normalizeFact, readMemories, readMemory, writeMemory } from './memory-book.js';
import { rankMemories } from './memory-ranking.js';
import { cleanMemoryText } from './memory-text.js';
import type { DreamdeckMemory, MemoryRecord } from './memory-types.js';
import { clearThreadMemory } from './summary-state.js';

/** What `dd.memory` works with. */
export interface MemoryDeps {
  storage: StorageAdapter;
  config: () => DreamdeckConfig;
  embeddings?: EmbeddingsInterface | undefined;
}

const MAX_LIST = 1000;

/** Builds `dd.memory` over the storage's `BaseStore` (see {@link DreamdeckMemory}). */
export function createDreamdeckMemory(deps: MemoryDeps): DreamdeckMemory {
  const { storage } = deps;
  const store = storage.store;

  const checkUser = (userId: string) => {
    if (typeof userId !== 'string' || !userId) throw new DreamdeckError('INVALID_INPUT', 'Name the user (userId).');
  };
  /** The user's own thread, else NOT_FOUND (never revealing that another user's exists). */
  const checkThread = async (userId: string, threadId: string) => {
    const thread = typeof threadId === 'string' ? await storage.getThread(threadId) : null;
    if (!thread || thread.userId !== userId) throw new DreamdeckError('NOT_FOUND', 'That story does not exist.');
  };
  const own = async (userId: string, id: string): Promise<MemoryRecord> => {
    checkUser(userId);
    const record = typeof id === 'string' && id ? await readMemory(store, userId, id) : undefined;
    if (!record) throw new DreamdeckError('NOT_FOUND', 'That memory does not exist.');
    return record;
  };

  return {
    async list(userId, options = {}) {
      checkUser(userId);
      const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIST);
      if (options.threadId !== undefined) await checkThread(userId, options.threadId);
      const records = await readMemories(store, userId, options.threadId);
      if (!options.query?.trim()) return records.slice(0, limit);
      const ranked = await rankMemories(records, options.query, {
        cacheKey: `list\u0000${userId}\u0000${options.threadId ?? ''}`,
        ...(deps.embeddings && { embeddings: deps.embeddings }),
      });
      return ranked.slice(0, limit);
    },

    async remember(userId, input) {
      checkUser(userId);
      const text = cleanMemoryText(input?.text);
      const scope = input.scope ?? (input.threadId ? 'thread' : 'user');
      if (scope !== 'user' && scope !== 'thread')
        throw new DreamdeckError('INVALID_INPUT', 'A memory\'s scope is "user" or "thread".');
      if (scope === 'thread' && !input.threadId)
        throw new DreamdeckError('INVALID_INPUT', 'A thread memory needs the threadId of its story.');
      if (input.threadId !== undefined) await checkThread(userId, input.threadId);
      const existing = (await readMemories(store, userId, input.threadId)).find(
        (record) =>
          normalizeFact(record.text) === normalizeFact(text) &&
          record.scope === scope &&
          (scope === 'user' || record.threadId === input.threadId),
      );
      if (existing) return existing;
      return writeMemory(
        store,
        newMemory({
          userId,
          scope,
          ...(input.threadId && { threadId: input.threadId }),
          text,
          source: 'player',
        }),
      );
    },

    async update(userId, id, patch) {
      const record = await own(userId, id);
      const text = cleanMemoryText(patch?.text);
      return writeMemory(store, { ...record, text, updatedAt: new Date().toISOString() });
    },

    async forget(userId, id) {
      const record = await own(userId, id);
      await deleteMemory(store, userId, id);
      // the "remembered" mark on the message it came from goes too
      const source = record.messageId ? await storage.getMessage(record.messageId) : null;
      if (source?.parts?.some((part) => part.type === 'remembered' && part.memoryId === id)) {
        const parts = source.parts.filter((part) => part.type !== 'remembered' || part.memoryId !== id);
        await storage.updateMessage(source.id, { parts });
      }
    },

    async forgetThread(userId, threadId) {
      checkUser(userId);
      const records = await readMemories(store, userId);
      for (const record of records) {
        if (record.scope === 'thread' && record.threadId === threadId) await deleteMemory(store, userId, record.id);
      }
      await clearThreadMemory(storage, threadId);
    },
  };
}
