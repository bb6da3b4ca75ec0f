import { type KeyValueStorage, mergePreferences } from '@dreamdeck/core/adapter-kit';
import type { PostgresContext } from './postgres-runner.js';

/** Thread data, preferences and flag overrides on PostgreSQL (`dd_thread_data`, `dd_preferences`, `dd_flags`). */
export function createPostgresKeyValues({ s, query, run, cipher, withTransaction }: PostgresContext): KeyValueStorage {
  return {
    getThreadData: (threadId) =>
      run(async () => {
        const rows = await query<{ key: string; value: string }>(
          `SELECT key, value FROM ${s}.dd_thread_data WHERE thread_id = $1`,
          [threadId],
        );
        return Object.fromEntries(rows.map((row) => [row.key, cipher.decryptJson(row.value)]));
      }),
    setThreadData: (threadId, key, value) =>
      run(async () => {
        if (value === undefined)
          await query(`DELETE FROM ${s}.dd_thread_data WHERE thread_id = $1 AND key = $2`, [threadId, key]);
        else {
          await query(
            `INSERT INTO ${s}.dd_thread_data (thread_id, key, value) VALUES ($1, $2, $3)
             ON CONFLICT (thread_id, key) DO UPDATE SET value = EXCLUDED.value`,
            [threadId, key, cipher.encryptJson(value)],
          );
        }
      }),
    getPreferences: (userId) =>
      run(async () => {
        const [row] = await query<{ value: string }>(`SELECT value FROM ${s}.dd_preferences WHERE user_id = $1`, [
          userId,
        ]);
        return row ? cipher.decryptJson<Record<string, unknown>>(row.value) : {};
      }),
    setPreferences: (userId, patch) =>
      run(() =>
        withTransaction(async (client) => {
          // the row exists (empty at first) and is locked, so concurrent merges apply one after the other
          await client.query(
            `INSERT INTO ${s}.dd_preferences (user_id, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [userId, cipher.encryptJson({})],
          );
          const [row] = (
            await client.query(`SELECT value FROM ${s}.dd_preferences WHERE user_id = $1 FOR UPDATE`, [userId])
          ).rows as Array<{ value: string }>;
          const next = mergePreferences(row ? cipher.decryptJson<Record<string, unknown>>(row.value) : {}, patch);
          await client.query(`UPDATE ${s}.dd_preferences SET value = $2 WHERE user_id = $1`, [
            userId,
            cipher.encryptJson(next),
          ]);
          return next;
        }),
      ),

    getFlagOverrides: (scope = {}) =>
      run(async () => {
        const rows = await query<{ name: string; value: boolean }>(
          `SELECT name, value FROM ${s}.dd_flags WHERE scope = $1`,
          [scope.userId ?? ''],
        );
        return Object.fromEntries(rows.map((row) => [row.name, row.value]));
      }),
    setFlagOverride: (name, value, scope = {}) =>
      run(async () => {
        if (value === null)
          await query(`DELETE FROM ${s}.dd_flags WHERE scope = $1 AND name = $2`, [scope.userId ?? '', name]);
        else {
          await query(
            `INSERT INTO ${s}.dd_flags (scope, name, value) VALUES ($1, $2, $3)
             ON CONFLICT (scope, name) DO UPDATE SET value = EXCLUDED.value`,
            [scope.userId ?? '', name, value],
          );
        }
      }),
  };
}
