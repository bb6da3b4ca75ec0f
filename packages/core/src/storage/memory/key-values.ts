import type { KeyValueStorage } from '../domains/key-value-storage.js';
import { mergePreferences } from '../record-rules.js';
import { clone, type MemoryStorageRaw } from './memory-raw.js';

/** Thread data, preferences and flag overrides in memory. */
export function createMemoryKeyValues(raw: MemoryStorageRaw): KeyValueStorage {
  return {
    async getThreadData(threadId) {
      return clone(Object.fromEntries(raw.threadData.get(threadId) ?? []));
    },
    async setThreadData(threadId, key, value) {
      const data = raw.threadData.get(threadId) ?? new Map<string, unknown>();
      if (value === undefined) data.delete(key);
      else data.set(key, clone(value));
      raw.threadData.set(threadId, data);
    },
    async getPreferences(userId) {
      return clone(raw.preferences.get(userId) ?? {});
    },
    async setPreferences(userId, patch) {
      const next = mergePreferences(raw.preferences.get(userId) ?? {}, clone(patch));
      raw.preferences.set(userId, next);
      return clone(next);
    },

    async getFlagOverrides(scope = {}) {
      return { ...(raw.flags.get(scope.userId ?? '') ?? {}) };
    },
    async setFlagOverride(name, value, scope = {}) {
      const key = scope.userId ?? '';
      const flags = { ...(raw.flags.get(key) ?? {}) };
      if (value === null) delete flags[name];
      else flags[name] = value;
      raw.flags.set(key, flags);
    },
  };
}
