import type { ThreadRecord } from '@dreamdeck/core';
import type { ThreadStorage, UserStorage } from '@dreamdeck/core/adapter-kit';
import { newId, nextTimestamp, notFoundError, pageSize } from '@dreamdeck/core/adapter-kit';
import type { ThreadRow, UserRow } from '../storage-shared/row-codec.js';
import { decodeCursor, rowToThread, rowToUser, threadPage } from '../storage-shared/row-codec.js';
import { insertError } from '../storage-shared/sql-storage-options.js';
import { SQLITE_UNIQUE, type SqliteContext } from './sqlite-runner.js';

type StoredThread = ThreadRow & { updated_at: string; seq: number; deleted_at: string | null };

/** Users and threads on SQLite (`dd_users`, `dd_threads`; threads are soft-deleted). */
export function createSqliteThreads({ sql, run, withTransaction }: SqliteContext): UserStorage & ThreadStorage {
  const threadRow = (id: string) => sql('SELECT * FROM dd_threads WHERE id = ?').get(id) as StoredThread | undefined;

  return {
    upsertUser: (user) =>
      run(() => {
        const row = sql(
          `INSERT INTO dd_users (id, display_name, roles, created_at) VALUES (@id, @displayName, @roles, @now)
             ON CONFLICT (id) DO UPDATE SET
               display_name = COALESCE(@displayName, display_name),
               roles = CASE WHEN @rolesGiven THEN @roles ELSE roles END
             RETURNING *`,
        ).get({
          id: user.id,
          displayName: user.displayName ?? null,
          roles: JSON.stringify(user.roles ?? []),
          rolesGiven: user.roles === undefined ? 0 : 1,
          now: new Date().toISOString(),
        }) as UserRow;
        return rowToUser(row);
      }),
    getUser: (id) =>
      run(() => {
        const row = sql('SELECT * FROM dd_users WHERE id = ?').get(id) as UserRow | undefined;
        return row ? rowToUser(row) : null;
      }),

    createThread: (input) =>
      run(() => {
        const now = new Date().toISOString();
        const id = input.id ?? newId('thr');
        try {
          const row = sql(
            `INSERT INTO dd_threads (id, user_id, title, persona, created_at, updated_at, parent_thread_id, branched_from_message_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
          ).get(
            id,
            input.userId,
            input.title ?? 'New story',
            input.persona,
            now,
            now,
            input.parentThreadId ?? null,
            input.branchedFromMessageId ?? null,
          ) as StoredThread;
          return rowToThread(row);
        } catch (error) {
          throw insertError(error, SQLITE_UNIQUE, 'thread', id);
        }
      }),
    getThread: (id) =>
      run(() => {
        const row = threadRow(id);
        return row && row.deleted_at === null ? rowToThread(row) : null;
      }),
    listThreads: (userId, options = {}) =>
      run(() => {
        const limit = pageSize(options.limit);
        const after = decodeCursor(options.cursor);
        const rows = sql(
          `SELECT * FROM dd_threads WHERE user_id = ? AND deleted_at IS NULL
             ${after ? 'AND (updated_at < @at OR (updated_at = @at AND seq < @seq))' : ''}
             ORDER BY updated_at DESC, seq DESC LIMIT @limit`,
        ).all(userId, { at: after?.updatedAt, seq: after?.seq, limit: limit + 1 }) as StoredThread[];
        return threadPage(rows, limit);
      }),
    updateThread: (id, patch) =>
      run(() =>
        withTransaction((): ThreadRecord => {
          const row = threadRow(id);
          if (!row || row.deleted_at !== null) throw notFoundError('sqlite', 'thread', id);
          if (patch.title !== undefined || patch.persona !== undefined) {
            // a rename or persona switch is not story activity: the thread keeps its place in the list
            const renamed = sql('UPDATE dd_threads SET title = ?, persona = ? WHERE id = ? RETURNING *').get(
              patch.title ?? row.title,
              patch.persona ?? row.persona,
              id,
            ) as ThreadRow;
            return rowToThread(renamed);
          }
          // A touch: later than every other thread of the user, so "most recently updated first" is strict.
          const newest = sql('SELECT max(updated_at) AS at FROM dd_threads WHERE user_id = ?').get(row.user_id) as {
            at: string;
          };
          const updated = sql('UPDATE dd_threads SET updated_at = ? WHERE id = ? RETURNING *').get(
            nextTimestamp(newest.at),
            id,
          ) as ThreadRow;
          return rowToThread(updated);
        }),
      ),
    deleteThread: (id) =>
      run(() => {
        sql('UPDATE dd_threads SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(
          new Date().toISOString(),
          id,
        );
      }),
  };
}
