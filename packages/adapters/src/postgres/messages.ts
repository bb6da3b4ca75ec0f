import { type MessageStorage, notFoundError } from '@dreamdeck/core/adapter-kit';
import { type MessageRow, messageToRow, patchToColumns, rowToMessage } from '../storage-shared/row-codec.js';
import { insertError } from '../storage-shared/sql-storage-options.js';
import { POSTGRES_UNIQUE, type PostgresContext } from './postgres-runner.js';

/** The columns a message is inserted with. */
const COLUMNS = [
  'id',
  'thread_id',
  'role',
  'kind',
  'persona',
  'content',
  'parts',
  'alternatives',
  'turn_id',
  'status',
  'created_at',
  'rewound_at',
  'alternative_index',
  'variant',
] as const satisfies ReadonlyArray<keyof MessageRow>;

/** Rows per INSERT of `appendMessages` (13 arrays of this many values each). */
const APPEND_CHUNK = 2000;

/** Messages on PostgreSQL (`dd_messages`, ordered by `seq`). */
export function createPostgresMessages({ s, query, run, cipher, withTransaction }: PostgresContext): MessageStorage {
  return {
    appendMessage: (message) =>
      run(async () => {
        const row = messageToRow(message, cipher);
        try {
          await query(
            `INSERT INTO ${s}.dd_messages (${COLUMNS.join(', ')})
             VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`,
            COLUMNS.map((column) => row[column]),
          );
        } catch (error) {
          throw insertError(error, POSTGRES_UNIQUE, 'message', message.id);
        }
      }),
    appendMessages: (messages) =>
      run(async () => {
        if (messages.length === 0) return;
        const rows = messages.map((message) => messageToRow(message, cipher));
        try {
          await withTransaction(async (client) => {
            // one statement per chunk, its rows in order (WITH ORDINALITY), so `seq` follows the story
            for (let start = 0; start < rows.length; start += APPEND_CHUNK) {
              const chunk = rows.slice(start, start + APPEND_CHUNK);
              await client.query(
                `INSERT INTO ${s}.dd_messages (${COLUMNS.join(', ')})
                 SELECT ${COLUMNS.join(', ')} FROM unnest(${COLUMNS.map(
                   (column, i) => `$${i + 1}::${column === 'alternative_index' ? 'integer' : 'text'}[]`,
                 ).join(', ')}) WITH ORDINALITY AS batch(${COLUMNS.join(', ')}, n) ORDER BY n`,
                COLUMNS.map((column) => chunk.map((row) => row[column])),
              );
            }
          });
        } catch (error) {
          // the driver names the duplicate key in `detail`: `Key (id)=(msg_…) already exists.`
          const detail = String((error as { detail?: unknown } | null)?.detail ?? '');
          const duplicate = rows.find((row) => detail.includes(`(${row.id})`));
          throw insertError(error, POSTGRES_UNIQUE, 'message', duplicate?.id ?? rows[0]?.id ?? '');
        }
      }),
    rewindMessages: (threadId, fromMessageId) =>
      run(async () => {
        // one statement: the starting message is found and the story from it marked together
        const rows = await query<{ id: string }>(
          `WITH origin AS (
             SELECT seq FROM ${s}.dd_messages WHERE id = $2 AND thread_id = $1 AND rewound_at IS NULL
           )
           UPDATE ${s}.dd_messages SET rewound_at = $3
           WHERE thread_id = $1 AND rewound_at IS NULL AND seq >= (SELECT seq FROM origin)
           RETURNING id`,
          [threadId, fromMessageId, new Date().toISOString()],
        );
        if (rows.length === 0) throw notFoundError('postgres', 'message', fromMessageId);
        return rows.length;
      }),
    listMessages: (threadId, options = {}) =>
      run(async () => {
        const values: unknown[] = [threadId];
        let where = options.includeRewound ? 'thread_id = $1' : 'thread_id = $1 AND rewound_at IS NULL';
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
