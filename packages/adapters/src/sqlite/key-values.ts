import { type KeyValueStorage, mergePreferences } from '@dreamdeck/core/adapter-kit';
import type { SqliteContext } from './sqlite-runner.js';

/** Thread data, preferences and flag overrides on SQLite (`dd_thread_data`, `dd_preferences`, `dd_flags`). */
export function createSqliteKeyValues({ sql, run, cipher, withTransaction }: SqliteContext): KeyValueStorage {
  const readPreferences = (userId: string): Record<string, unknown> => {
    const row = sql('SELECT value FROM dd_preferences WHERE user_id = ?').get(userId) as { value: string } | undefined;
    return row ? cipher.decryptJson<Record<string, unknown>>(row.value) : {};
  };

  return {
    getThreadData: (threadId) =>
      run(() => {
        const rows = sql('SELECT key, value FROM dd_thread_data WHERE thread_id = ?').all(threadId) as Array<{
          key: string;
          value: string;
        }>;
        return Object.fromEntries(rows.map((row) => [row.key, cipher.decryptJson(row.value)]));
      }),
    setThreadData: (threadId, key, value) =>
      run(() => {
        if (value === undefined) sql('DELETE FROM dd_thread_data WHERE thread_id = ? AND key = ?').run(threadId, key);
        else {
          sql(
            `INSERT INTO dd_thread_data (thread_id, key, value) VALUES (?, ?, ?)
             ON CONFLICT (thread_id, key) DO UPDATE SET value = excluded.value`,
          ).run(threadId, key, cipher.encryptJson(value));
        }
      }),
    getPreferences: (userId) => run(() => readPreferences(userId)),
    setPreferences: (userId, patch) =>
      run(() =>
        withTransaction(() => {
          const next = mergePreferences(readPreferences(userId), patch);
          sql(
            `INSERT INTO dd_preferences (user_id, value) VALUES (?, ?)
             ON CONFLICT (user_id) DO UPDATE SET value = excluded.value`,
          ).run(userId, cipher.encryptJson(next));
          return next;
        }),
      ),

    getFlagOverrides: (scope = {}) =>
      run(() => {
        const rows = sql('SELECT name, value FROM dd_flags WHERE scope = ?').all(scope.userId ?? '') as Array<{
          name: string;
          value: number;
        }>;
        return Object.fromEntries(rows.map((row) => [row.name, row.value === 1]));
      }),
    setFlagOverride: (name, value, scope = {}) =>
      run(() => {
        if (value === null) sql('DELETE FROM dd_flags WHERE scope = ? AND name = ?').run(scope.userId ?? '', name);
        else {
          sql(
            `INSERT INTO dd_flags (scope, name, value) VALUES (?, ?, ?)
             ON CONFLICT (scope, name) DO UPDATE SET value = excluded.value`,
          ).run(scope.userId ?? '', name, value ? 1 : 0);
        }
      }),
  };
}
