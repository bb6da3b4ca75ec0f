import { type MessageStorage, notFoundError } from '@dreamdeck/core/adapter-kit';
import { type MessageRow, messageToRow, patchToColumns, rowToMessage } from '../storage-shared/row-codec.js';
import { insertError } from '../storage-shared/sql-storage-options.js';
import { POSTGRES_UNIQUE, type PostgresContext } from './postgres-runner.js';

/** Messages on PostgreSQL (`dd_messages`, ordered by `seq`). */
export function createPostgresMessages({ s, query, run, cipher }: PostgresContext): MessageStorage {
  return {
    appendMessage: (message) =>
      run(async () => {
        const row = messageToRow(message, cipher);
        try {
          await query(
            `INSERT INTO ${s}.dd_messages (id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              row.id,
              row.thread_id,
              row.role,
              row.kind,
              row.persona,
              row.content,
              row.parts,
              row.alternatives,
              row.turn_id,
              row.status,
              row.created_at,
            ],
          );
        } catch (error) {
          throw insertError(error, POSTGRES_UNIQUE, 'message', message.id);
        }
      }),
    listMessages: (threadId, options = {}) =>
      run(async () => {
        const values: unknown[] = [threadId];
        let where = 'thread_id = $1';
        if (options.before) {
          values.push(options.before);
          where += ` AND seq < COALESCE((SELECT seq FROM ${s}.dd_messages WHERE id = $2 AND thread_id = $1), 0)`;
        }
        if (options.limit === undefined) {
          const rows = await query<MessageRow>(`SELECT * FROM ${s}.dd_messages WHERE ${where} ORDER BY seq`, values);
          return rows.map((row) => rowToMessage(row, cipher));
        }
        values.push(Math.max(0, Math.trunc(options.limit)));
        const rows = await query<MessageRow>(
          `SELECT * FROM ${s}.dd_messages WHERE ${where} ORDER BY seq DESC LIMIT $${values.length}`,
          values,
        );
        return rows.reverse().map((row) => rowToMessage(row, cipher));
      }),
    getMessage: (id) =>
      run(async () => {
        const [row] = await query<MessageRow>(`SELECT * FROM ${s}.dd_messages WHERE id = $1`, [id]);
        return row ? rowToMessage(row, cipher) : null;
      }),
    updateMessage: (id, patch) =>
      run(async () => {
        const sets: string[] = [];
        const values: unknown[] = [id];
        for (const [column, value] of Object.entries(patchToColumns(patch, cipher))) {
          values.push(value);
          sets.push(`${column} = $${values.length}`);
        }
        let guard = '';
        if (patch.ifStatus !== undefined) {
          values.push(patch.ifStatus);
          guard = ` AND status = $${values.length}`;
        }
        const [row] =
          sets.length > 0
            ? await query<MessageRow>(
                `UPDATE ${s}.dd_messages SET ${sets.join(', ')} WHERE id = $1${guard} RETURNING *`,
                values,
              )
            : [];
        // nothing to set, or the guard did not match: the stored row as it is
        const stored = row ?? (await query<MessageRow>(`SELECT * FROM ${s}.dd_messages WHERE id = $1`, [id]))[0];
        if (!stored) throw notFoundError('postgres', 'message', id);
        return rowToMessage(stored, cipher);
      }),
  };
}
