import { describeStorageAdapter } from '../testing/describe-storage-adapter.js';
import type { StorageInspector } from '../testing/storage/storage-inspector.js';
import { createMemoryStorage } from './memory-storage.js';

type MemoryStorage = ReturnType<typeof createMemoryStorage>;

/** Raw reads of the memory adapter's maps. */
function memoryInspector(adapter: MemoryStorage): StorageInspector {
  const { raw } = adapter;
  const saver = adapter.checkpointer as unknown as { storage: Record<string, Record<string, Record<string, unknown>>> };
  const store = adapter.store as unknown as { data: Map<string, Map<string, { value: Record<string, unknown> }>> };
  return {
    async user(id) {
      return raw.users.get(id) ?? null;
    },
    async thread(id) {
      const row = raw.threads.get(id);
      return row
        ? {
            id: row.id,
            userId: row.userId,
            title: row.title,
            persona: row.persona,
            deleted: row.deleted,
            ...(row.parentThreadId && { parentThreadId: row.parentThreadId }),
            ...(row.branchedFromMessageId && { branchedFromMessageId: row.branchedFromMessageId }),
          }
        : null;
    },
    async messages(threadId) {
      return structuredClone(raw.messages.get(threadId) ?? []);
    },
    async feedback(messageId, userId) {
      return raw.feedback.get(`${messageId}\u0000${userId}`) ?? null;
    },
    async threadData(threadId) {
      return Object.fromEntries(raw.threadData.get(threadId) ?? []);
    },
    async preferences(userId) {
      return raw.preferences.get(userId) ?? {};
    },
    async flags(userId) {
      return raw.flags.get(userId ?? '') ?? {};
    },
    async counter(key) {
      const counter = raw.counters.get(key);
      return counter ? { used: counter.used } : null;
    },
    async knowledge(source) {
      return raw.knowledge.filter((chunk) => chunk.source === source).map((chunk) => chunk.text);
    },
    async audit() {
      return raw.audit;
    },
    async usage(userId) {
      return [...raw.usage.values()].filter((row) => row.userId === userId);
    },
    async storeItem(namespace, key) {
      return store.data.get(namespace.join(':'))?.get(key)?.value ?? null;
    },
    async checkpoints(threadId) {
      return Object.values(saver.storage[threadId] ?? {}).reduce((sum, ns) => sum + Object.keys(ns).length, 0);
    },
    async lease(key) {
      const lease = raw.leases.get(key);
      return lease ? { holder: lease.holder, expiresInMs: lease.expiresAt - Date.now() } : null;
    },
  };
}

describeStorageAdapter({ name: 'memory', create: () => createMemoryStorage(), inspect: memoryInspector });
