import type { StorageInspector } from '@dreamdeck/core/testing';
import type { EncryptionKeyOption } from '../../src/crypto/encryption-keys.js';
import { createFieldCipher } from '../../src/crypto/field-cipher.js';
import type { SqliteStorage } from '../../src/sqlite/sqlite-storage.js';
import { namespacePath } from '../../src/sqlite/sqlite-store.js';

type Row = Record<string, unknown>;

/** Raw SQL reads of a SQLite adapter's file, decrypting with `encryptionKey` when given. */
export function sqliteInspector(adapter: SqliteStorage, encryptionKey?: EncryptionKeyOption): StorageInspector {
  const db = adapter.database;
  const cipher = createFieldCipher(encryptionKey, 'inspect');
  const json = (text: unknown) => (text === null ? undefined : cipher.decryptJson(text as string));
  const one = (sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as Row | undefined;
  const all = (sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as Row[];
  return {
    async user(id) {
      const row = one('SELECT * FROM dd_users WHERE id = ?', id);
      return row
        ? {
            id: row.id as string,
            roles: JSON.parse(row.roles as string),
            ...(row.display_name !== null && { displayName: row.display_name as string }),
          }
        : null;
    },
    async thread(id) {
      const row = one('SELECT * FROM dd_threads WHERE id = ?', id);
      return row
        ? {
            id: row.id as string,
            userId: row.user_id as string,
            title: row.title as string,
            persona: row.persona as string,
            deleted: row.deleted_at !== null,
            ...(row.parent_thread_id != null && { parentThreadId: row.parent_thread_id as string }),
            ...(row.branched_from_message_id != null && {
              branchedFromMessageId: row.branched_from_message_id as string,
            }),
          }
        : null;
    },
    async messages(threadId) {
      return all('SELECT * FROM dd_messages WHERE thread_id = ? ORDER BY seq', threadId).map((row) => ({
        id: row.id as string,
        threadId: row.thread_id as string,
        role: row.role as string,
        kind: row.kind as string,
        content: cipher.decrypt(row.content as string),
        status: row.status as string,
        ...(row.persona !== null && { persona: row.persona as string }),
        ...(row.parts !== null && { parts: json(row.parts) as unknown[] }),
        ...(row.alternatives !== null && { alternatives: json(row.alternatives) as unknown[] }),
        ...(row.alternative_index != null && { alternativeIndex: Number(row.alternative_index) }),
        ...(row.rewound_at != null && { rewoundAt: row.rewound_at as string }),
      }));
    },
    async feedback(messageId, userId) {
      const row = one('SELECT * FROM dd_feedback WHERE message_id = ? AND user_id = ?', messageId, userId);
      return row
        ? {
            value: row.value as number,
            ...(row.comment !== null && { comment: cipher.decrypt(row.comment as string) }),
            ...(row.persona !== null && { persona: row.persona as string }),
          }
        : null;
    },
    async threadData(threadId) {
      return Object.fromEntries(
        all('SELECT key, value FROM dd_thread_data WHERE thread_id = ?', threadId).map((row) => [
          row.key,
          json(row.value),
        ]),
      );
    },
    async preferences(userId) {
      const row = one('SELECT value FROM dd_preferences WHERE user_id = ?', userId);
      return row ? (json(row.value) as Record<string, unknown>) : {};
    },
    async flags(userId) {
      return Object.fromEntries(
        all('SELECT name, value FROM dd_flags WHERE scope = ?', userId ?? '').map((row) => [row.name, row.value === 1]),
      );
    },
    async counter(key) {
      const row = one('SELECT used FROM dd_counters WHERE key = ?', key);
      return row ? { used: row.used as number } : null;
    },
    async knowledge(source) {
      return all('SELECT text FROM dd_knowledge WHERE source = ? ORDER BY position', source).map(
        (row) => row.text as string,
      );
    },
    async audit() {
      return all('SELECT type, user_id FROM dd_audit ORDER BY seq').map((row) => ({
        type: row.type as string,
        ...(row.user_id !== null && { userId: row.user_id as string }),
      }));
    },
    async usage(userId) {
      return all('SELECT metric, count FROM dd_usage WHERE user_id = ?', userId) as Array<{
        metric: string;
        count: number;
      }>;
    },
    async storeItem(namespace, key) {
      const row = one('SELECT value FROM dd_store WHERE path = ? AND key = ?', namespacePath(namespace), key);
      return row ? (json(row.value) as Record<string, unknown>) : null;
    },
    async checkpoints(threadId) {
      return (one('SELECT count(*) AS n FROM checkpoints WHERE thread_id = ?', threadId)?.n as number) ?? 0;
    },
    async lease(key) {
      const row = one('SELECT holder, expires_at FROM dd_leases WHERE key = ?', key);
      return row ? { holder: row.holder as string, expiresInMs: (row.expires_at as number) - Date.now() } : null;
    },
  };
}
