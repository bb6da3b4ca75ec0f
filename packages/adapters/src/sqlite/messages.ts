import type { StoryMessage } from '@dreamdeck/core';
import type { MessageStorage } from '@dreamdeck/core/adapter-kit';
import { notFoundError } from '@dreamdeck/core/adapter-kit';
import { type MessageRow, messageToRow, patchToColumns, rowToMessage } from '../storage-shared/row-codec.js';
import { insertError } from '../storage-shared/sql-storage-options.js';
import { SQLITE_UNIQUE, type SqliteContext } from './sqlite-runner.js';

/** The message columns, in the order {@link toMessageRow} reads them. */
const MESSAGE_COLUMNS =
  'id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at, rewound_at, alternative_index, variant';

/** A raw message row (the values of {@link MESSAGE_COLUMNS}) as an object. */
function toMessageRow(values: unknown[]): MessageRow {
  const [
    id,
    thread_id,
    role,
    kind,
    persona,
    content,
    parts,
    alternatives,
    turn_id,
    status,
    created_at,
    rewound_at,
    alternative_index,
    variant,
  ] = values as [
    string,
    string,
    string,
    string,
    string | null,
    string,
    string | null,
    string | null,
    string | null,
    string,
    string,
    string | null,
    number | null,
    string | null,
  ];
  return {
    id,
    thread_id,
    role,
    kind,
    persona,
    content,
    parts,
    alternatives,
    turn_id,
    status,
    created_at,
    rewound_at,
    alternative_index,
    variant,
  };
}

/** Messages on SQLite (`dd_messages`, ordered by `seq`). */
export function createSqliteMessages({ sql, run, cipher, withTransaction }: SqliteContext): MessageStorage {
  /**
   * Message rows come back as arrays (`raw`), turned into objects in JS: better-sqlite3 builds a
   * row object through V8's C++ API one property at a time, which made the 40-row window a turn
   * reads about 40% slower. Only these statements (their own SQL texts) run in raw mode.
   */
  const messageRows = (where: string, params: unknown[]): MessageRow[] =>
    (
      sql(`SELECT ${MESSAGE_COLUMNS} FROM dd_messages WHERE ${where}`)
        .raw(true)
        .all(...params) as unknown[][]
    ).map(toMessageRow);
  const messageRow = (id: string): MessageRow | undefined => messageRows('id = ?', [id])[0];

  const insert = (message: StoryMessage) => {
    const row = messageToRow(message, cipher);
    try {
      sql(
        `INSERT INTO dd_messages (id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at, rewound_at, alternative_index, variant)
         VALUES (@id, @thread_id, @role, @kind, @persona, @content, @parts, @alternatives, @turn_id, @status, @created_at, @rewound_at, @alternative_index, @variant)`,
      ).run(row);
    } catch (error) {
      throw insertError(error, SQLITE_UNIQUE, 'message', message.id);
    }
  };

  return {
    appendMessage: (message) => run(() => insert(message)),
    appendMessages: (messages) =>
      run(() =>
        withTransaction(() => {
          for (const message of messages) insert(message);
        }),
      ),
    rewindMessages: (threadId, fromMessageId) =>
      run(() =>
        withTransaction(() => {
          const from = sql('SELECT seq FROM dd_messages WHERE id = ? AND thread_id = ? AND rewound_at IS NULL').get(
            fromMessageId,
            threadId,
          ) as { seq: number } | undefined;
          if (!from) throw notFoundError('sqlite', 'message', fromMessageId);
          return sql(
            'UPDATE dd_messages SET rewound_at = ? WHERE thread_id = ? AND seq >= ? AND rewound_at IS NULL',
          ).run(new Date().toISOString(), threadId, from.seq).changes;
        }),
      ),
    listMessages: (threadId, options = {}) =>
      run(() => {
        const params: unknown[] = [threadId];
        let where = options.includeRewound ? 'thread_id = ?' : 'thread_id = ? AND rewound_at IS NULL';
        if (options.before) {
          where += ' AND seq < COALESCE((SELECT seq FROM dd_messages WHERE id = ? AND thread_id = ?), 0)';
          params.push(options.before, threadId);
        }
        const rows =
          options.limit === undefined
            ? messageRows(`${where} ORDER BY seq`, params)
            : messageRows(`${where} ORDER BY seq DESC LIMIT ?`, [
                ...params,
                Math.max(0, Math.trunc(options.limit)),
              ]).reverse();
        return rows.map((row) => rowToMessage(row, cipher));
      }),
    getMessage: (id) =>
      run(() => {
        const row = messageRow(id);
        return row ? rowToMessage(row, cipher) : null;
      }),
    updateMessage: (id, patch) =>
      run(() => {
        // One UPDATE ... RETURNING (atomic on its own): a patched field is written, an absent one
        // kept; `ifStatus` is part of the WHERE clause. Only when it matches nothing is the row read.
        const columns = patchToColumns(patch, cipher);
        const set = (value: string | number | undefined) => (value === undefined ? 0 : 1);
        const updated = sql(
          `UPDATE dd_messages SET
             content = CASE WHEN @setContent THEN @content ELSE content END,
             status = CASE WHEN @setStatus THEN @status ELSE status END,
             parts = CASE WHEN @setParts THEN @parts ELSE parts END,
             alternatives = CASE WHEN @setAlternatives THEN @alternatives ELSE alternatives END,
             alternative_index = CASE WHEN @setAlternativeIndex THEN @alternativeIndex ELSE alternative_index END
           WHERE id = @id AND (@ifStatus IS NULL OR status = @ifStatus)
           RETURNING ${MESSAGE_COLUMNS}`,
        )
          .raw(true)
          .get({
            id,
            ifStatus: patch.ifStatus ?? null,
            setContent: set(columns.content),
            content: columns.content ?? null,
            setStatus: set(columns.status),
            status: columns.status ?? null,
            setParts: set(columns.parts),
            parts: columns.parts ?? null,
            setAlternatives: set(columns.alternatives),
            alternatives: columns.alternatives ?? null,
            setAlternativeIndex: set(columns.alternative_index),
            alternativeIndex: columns.alternative_index ?? null,
          }) as unknown[] | undefined;
        const row = updated ? toMessageRow(updated) : messageRow(id);
        if (!row) throw notFoundError('sqlite', 'message', id);
        return rowToMessage(row, cipher);
      }),
  };
}
