import type { ThreadStorage, UserStorage } from '@dreamdeck/core/adapter-kit';
import { newId, nextTimestamp, notFoundError, pageSize } from '@dreamdeck/core/adapter-kit';
import type { ThreadRow, UserRow } from '../storage-shared/row-codec.js';
import { decodeCursor, rowToThread, rowToUser, threadPage } from '../storage-shared/row-codec.js';
import { insertError } from '../storage-shared/sql-storage-options.js';
import { POSTGRES_UNIQUE, type PostgresContext } from './postgres-runner.js';

type StoredThread = ThreadRow & { seq: string; updated_at: Date; deleted_at: Date | null };

/** Users and threads on PostgreSQL (`dd_users`, `dd_threads`; threads are soft-deleted). */
export function createPostgresThreads({ s, query, run }: PostgresContext): UserStorage & ThreadStorage {
  const threadRow = async (id: string) =>
    (await query<StoredThread>(`SELECT * FROM ${s}.dd_threads WHERE id = $1`, [id]))[0];

  return {
    upsertUser: (user) =>
      run(async () => {
        const [row] = await query<UserRow>(
          `INSERT INTO ${s}.dd_users (id, display_name, roles, created_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (id) DO UPDATE SET
             display_name = COALESCE($2, ${s}.dd_users.display_name),
             roles = CASE WHEN $4 THEN $3 ELSE ${s}.dd_users.roles END
           RETURNING *`,
          [user.id, user.displayName ?? null, JSON.stringify(user.roles ?? []), user.roles !== undefined],
        );
        return rowToUser(row as UserRow);
      }),
    getUser: (id) =>
      run(async () => {
        const [row] = await query<UserRow>(`SELECT * FROM ${s}.dd_users WHERE id = $1`, [id]);
        return row ? rowToUser(row) : null;
      }),

    createThread: (input) =>
      run(async () => {
        const now = new Date().toISOString();
        const id = input.id ?? newId('thr');
        try {
          const [row] = await query<StoredThread>(
            `INSERT INTO ${s}.dd_threads (id, user_id, title, persona, created_at, updated_at, parent_thread_id, branched_from_message_id)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING *`,
            [
              id,
              input.userId,
              input.title ?? 'New story',
              input.persona,
              now,
              input.parentThreadId ?? null,
              input.branchedFromMessageId ?? null,
            ],
          );
          return rowToThread(row as StoredThread);
        } catch (error) {
          throw insertError(error, POSTGRES_UNIQUE, 'thread', id);
        }
      }),
    getThread: (id) =>
      run(async () => {
        const row = await threadRow(id);
        return row && row.deleted_at === null ? rowToThread(row) : null;
      }),
    listThreads: (userId, options = {}) =>
      run(async () => {
        const limit = pageSize(options.limit);
        const after = decodeCursor(options.cursor);
        const rows = await query<StoredThread>(
          `SELECT * FROM ${s}.dd_threads WHERE user_id = $1 AND deleted_at IS NULL
           ${after ? 'AND (updated_at, seq) < ($3::timestamptz, $4::bigint)' : ''}
           ORDER BY updated_at DESC, seq DESC LIMIT $2`,
          after ? [userId, limit + 1, after.updatedAt, after.seq] : [userId, limit + 1],
        );
        return threadPage(rows, limit);
      }),
    updateThread: (id, patch) =>
      run(async () => {
        if (patch.title !== undefined || patch.persona !== undefined) {
          // a rename or persona switch is not story activity: the thread keeps its place in the list
          const [renamed] = await query<StoredThread>(
            `UPDATE ${s}.dd_threads SET title = COALESCE($2, title), persona = COALESCE($3, persona)
             WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
            [id, patch.title ?? null, patch.persona ?? null],
          );
          if (!renamed) throw notFoundError('postgres', 'thread', id);
          return rowToThread(renamed);
        }
        const row = await threadRow(id);
        if (!row || row.deleted_at !== null) throw notFoundError('postgres', 'thread', id);
        const [newest] = await query<{ at: Date }>(
          `SELECT max(updated_at) AS at FROM ${s}.dd_threads WHERE user_id = $1`,
          [row.user_id],
        );
        // a touch: later than every other thread of the user, so "most recently updated first" is strict
        const [updated] = await query<StoredThread>(
          `UPDATE ${s}.dd_threads SET updated_at = GREATEST($2::timestamptz, updated_at + interval '1 millisecond')
           WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
          [id, nextTimestamp((newest?.at ?? row.updated_at).toISOString())],
        );
        if (!updated) throw notFoundError('postgres', 'thread', id);
        return rowToThread(updated);
      }),
    deleteThread: (id) =>
      run(async () => {
        await query(`UPDATE ${s}.dd_threads SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
      }),
  };
}
