import type { StorageInspector } from '@dreamdeck/core/testing';
import type { EncryptionKeyOption } from '../../src/crypto/encryption-keys.js';
import { createFieldCipher } from '../../src/crypto/field-cipher.js';
import type { PostgresStorage } from '../../src/postgres/postgres-storage.js';
import { escapeLabel } from '../../src/storage-shared/namespace-escaping-store.js';

type Row = Record<string, unknown>;

/** Raw SQL reads of a PostgreSQL adapter's schema, decrypting with `encryptionKey` when given. */
export function postgresInspector(adapter: PostgresStorage, encryptionKey?: EncryptionKeyOption): StorageInspector {
  const s = `"${adapter.schema}"`;
  const cipher = createFieldCipher(encryptionKey, 'inspect');
  const json = (text: unknown) => (text === null ? undefined : cipher.decryptJson(text as string));
  const all = async (sql: string, ...params: unknown[]) => (await adapter.pool.query(sql, params)).rows as Row[];
  const one = async (sql: string, ...params: unknown[]) => (await all(sql, ...params))[0];
  return {
    async user(id) {
      const row = await one(`SELECT * FROM ${s}.dd_users WHERE id = $1`, id);
      return row
        ? {
            id: row.id as string,
            roles: row.roles as string[],
            ...(row.display_name !== null && { displayName: row.display_name as string }),
          }
        : null;
    },
    async thread(id) {
      const row = await one(`SELECT * FROM ${s}.dd_threads WHERE id = $1`, id);
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
      return (await all(`SELECT * FROM ${s}.dd_messages WHERE thread_id = $1 ORDER BY seq`, threadId)).map((row) => ({
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
      const row = await one(`SELECT * FROM ${s}.dd_feedback WHERE message_id = $1 AND user_id = $2`, messageId, userId);
      return row
        ? {
            value: row.value as number,
            ...(row.comment !== null && { comment: cipher.decrypt(row.comment as string) }),
            ...(row.persona !== null && { persona: row.persona as string }),
          }
        : null;
    },
    async threadData(threadId) {
      const rows = await all(`SELECT key, value FROM ${s}.dd_thread_data WHERE thread_id = $1`, threadId);
      return Object.fromEntries(rows.map((row) => [row.key, json(row.value)]));
    },
    async preferences(userId) {
      const row = await one(`SELECT value FROM ${s}.dd_preferences WHERE user_id = $1`, userId);
      return row ? (json(row.value) as Record<string, unknown>) : {};
    },
    async flags(userId) {
      const rows = await all(`SELECT name, value FROM ${s}.dd_flags WHERE scope = $1`, userId ?? '');
      return Object.fromEntries(rows.map((row) => [row.name, row.value as boolean]));
    },
    async counter(key) {
      const row = await one(`SELECT used FROM ${s}.dd_counters WHERE key = $1`, key);
      return row ? { used: row.used as number } : null;
    },
    async knowledge(source) {
      return (await all(`SELECT text FROM ${s}.dd_knowledge WHERE source = $1 ORDER BY position`, source)).map(
        (row) => row.text as string,
      );
    },
    async audit() {
      return (await all(`SELECT type, user_id FROM ${s}.dd_audit ORDER BY seq`)).map((row) => ({
        type: row.type as string,
        ...(row.user_id !== null && { userId: row.user_id as string }),
      }));
    },
    async usage(userId) {
      return (await all(`SELECT metric, count FROM ${s}.dd_usage WHERE user_id = $1`, userId)).map((row) => ({
        metric: row.metric as string,
        count: Number(row.count),
      }));
    },
    async storeItem(namespace, key) {
      const row = await one(
        `SELECT value FROM ${s}.store WHERE namespace_path = $1 AND key = $2`,
        namespace.map(escapeLabel).join(':'),
        key,
      );
      if (!row) return null;
      const value = row.value as Record<string, unknown>;
      const sealed = value.__dreamdeck_encrypted;
      return typeof sealed === 'string' ? (cipher.decryptJson(sealed) as Record<string, unknown>) : value;
    },
    async checkpoints(threadId) {
      return Number((await one(`SELECT count(*) AS n FROM ${s}.checkpoints WHERE thread_id = $1`, threadId))?.n ?? 0);
    },
    async lease(key) {
      // measured by the server's clock, the one that judges expiry
      const row = await one(
        `SELECT holder, EXTRACT(EPOCH FROM expires_at - clock_timestamp()) * 1000 AS ms FROM ${s}.dd_leases WHERE key = $1`,
        key,
      );
      return row ? { holder: row.holder as string, expiresInMs: Number(row.ms) } : null;
    },
    async turnEvents(turnId) {
      const rows = await all(
        `SELECT first_seq, events FROM ${s}.dd_turn_events WHERE turn_id = $1 ORDER BY first_seq`,
        turnId,
      );
      return rows.flatMap((row) =>
        (cipher.decryptJson(row.events as string) as Array<{ type: string }>).map((event, index) => ({
          seq: (row.first_seq as number) + index,
          type: event.type,
        })),
      );
    },
  };
}

/** Drops the adapter's schema with a fresh connection. */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
