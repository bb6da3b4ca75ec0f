import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ThreadRecord, UserRecord } from '@dreamdeck/core';
import {
  type AuditEvent,
  DreamdeckError,
  type FeedbackAggregate,
  fixedWindow,
  type KnowledgeHit,
  leaseTtlMs,
  newId,
  type StorageAdapter,
  type UsageRecord,
  utcDay,
} from '@dreamdeck/core/adapter-kit';
import type { Database } from 'better-sqlite3';
import { createEncryptingSerializer } from '../crypto/encrypting-serializer.js';
import type { EncryptionKeyOption } from '../crypto/encryption-keys.js';
import { createFieldCipher, type FieldCipher } from '../crypto/field-cipher.js';
import {
  decodeCursor,
  encodeCursor,
  type FeedbackRow,
  type MessageRow,
  messageToRow,
  nextTimestamp,
  pageSize,
  rowToFeedback,
  rowToMessage,
  rowToThread,
  type ThreadRow,
} from '../storage-shared/row-codec.js';
import { searchTerms } from '../storage-shared/search-text.js';
import { loadSqliteModules } from './load-sqlite-modules.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { statementCache } from './statement-cache.js';

/** Options for {@link createSqliteStorage}. */
export interface SqliteStorageOptions {
  /** Database file (created with its folder if missing), or `:memory:`. Ignored when `database` is given. */
  path?: string;
  /** An open better-sqlite3 database to use instead of opening `path`. The adapter does not close it. */
  database?: Database;
  /**
   * Encrypt message content, feedback comments, thread data, preferences, store values and the
   * LangGraph checkpoints with their pending writes and metadata (AES-256-GCM).
   */
  encryptionKey?: EncryptionKeyOption;
  /** How long a write waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
  /** Checkpoints kept per thread and namespace by `pruneCheckpoints` (default 1: only the latest). */
  keepCheckpoints?: number;
}

/** The SQLite adapter: a {@link StorageAdapter} plus its database handle. */
export interface SqliteStorage extends StorageAdapter {
  /** The better-sqlite3 handle (for inspection and backups). */
  readonly database: Database;
  /** The store (a LangGraph `BaseStore` on the same file). */
  readonly store: SqliteStore;
}

/** True for SQLite's "database is locked" (another connection holds the lock), in any of its variants. */
function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');
}

/** The message columns, in the order {@link toMessageRow} reads them. */
const MESSAGE_COLUMNS = 'id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at';

/** A raw message row (the values of {@link MESSAGE_COLUMNS}) as an object. */
function toMessageRow(values: unknown[]): MessageRow {
  const [id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at] = values as [
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
  ];
  return { id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at };
}

type ThreadRowWithSeq = ThreadRow & { seq: number; deleted_at: string | null };

/**
 * Creates the SQLite storage adapter: one file holds threads, messages, feedback, flags, rate-limit
 * counters, knowledge (FTS5), audit events, LangGraph checkpoints (the official `SqliteSaver`, on
 * the same handle) and the long-term memory store. WAL mode and a busy timeout let several
 * processes share the file. `better-sqlite3` and `@langchain/langgraph-checkpoint-sqlite` are
 * optional peer dependencies, loaded here.
 *
 * @example
 * ```ts
 * const storage = createSqliteStorage({ path: './.dreamdeck/dreamdeck.db' });
 * const dd = await createDreamdeck({ storage });
 * ```
 */
export function createSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  const { Database: DatabaseClass, SqliteSaver } = loadSqliteModules();
  const ownsDatabase = options.database === undefined;
  let db: Database;
  try {
    if (options.database) db = options.database;
    else {
      const path = options.path ?? ':memory:';
      if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseClass(path);
    }
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw storageError(`could not open ${options.path ?? 'the database'}: ${(error as Error).message}`, error, false);
  }
  const sql = statementCache(db);
  const cipher = createFieldCipher(options.encryptionKey, 'sqlite');
  const keep = Math.max(1, Math.trunc(options.keepCheckpoints ?? 1));
  // The serializer encrypts checkpoints, pending writes and metadata when a key is set.
  const checkpointer = new SqliteSaver(db, createEncryptingSerializer(cipher, 'sqlite'));
  const store = new SqliteStore(db, cipher);
  let ready = false;

  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  const waitNever = db.prepare('PRAGMA busy_timeout = 0');
  const waitAsConfigured = db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`);

  /**
   * Runs `body` after init, mapping driver errors to STORAGE_ERROR. When another process holds the
   * write lock, SQLite's own busy handler would sleep in this thread (1 ms and up), stalling every
   * request of the process; so `body` runs with no busy wait, and a `SQLITE_BUSY` is retried from
   * the event loop (at once, then every millisecond) until `busyTimeoutMs` has passed. Every body is
   * one statement or one transaction, so nothing of a refused attempt was written. The LangGraph
   * checkpointer and the store on the same handle keep the configured busy timeout.
   */
  const run = async <T>(body: () => T): Promise<T> => {
    const deadline = Date.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!ready) initialise();
        waitNever.get();
        try {
          return body();
        } finally {
          waitAsConfigured.get();
        }
      } catch (error) {
        if (isBusy(error) && Date.now() < deadline) {
          await new Promise((resolve) => (attempt < 16 ? setImmediate(resolve) : setTimeout(resolve, 1)));
          continue;
        }
        if (DreamdeckError.isInstance(error)) throw error;
        throw storageError((error as Error).message, error, true);
      }
    }
  };
  const initialise = () => {
    migrateSqlite(db);
    // setup() is protected in the typings but is the saver's documented way to create its tables.
    (checkpointer as unknown as { setup(): void }).setup();
    ready = true;
  };

  const threadRow = (id: string) =>
    sql('SELECT * FROM dd_threads WHERE id = ?').get(id) as ThreadRowWithSeq | undefined;
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

  const adapter: SqliteStorage = {
    name: 'sqlite',
    capabilities: { knowledge: true, audit: true, encryption: cipher.enabled, multiProcess: true },
    checkpointer,
    store,
    database: db,

    async init() {
      await run(() => undefined);
    },
    async close() {
      if (ownsDatabase && db.open) db.close();
    },

    upsertUser: (user) =>
      run(() => {
        const now = new Date().toISOString();
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
          now,
        }) as UserRow;
        return toUser(row);
      }),
    getUser: (id) =>
      run(() => {
        const row = sql('SELECT * FROM dd_users WHERE id = ?').get(id) as UserRow | undefined;
        return row ? toUser(row) : null;
      }),

    createThread: (input) =>
      run(() => {
        const now = new Date().toISOString();
        const id = input.id ?? newId('thr');
        try {
          const row = sql(
            `INSERT INTO dd_threads (id, user_id, title, persona, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
          ).get(id, input.userId, input.title ?? 'New story', input.persona, now, now) as ThreadRowWithSeq;
          return rowToThread(row);
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] [sqlite] thread ${id} exists`, { cause: error });
          }
          throw error;
        }
      }),
    getThread: (id) =>
      run(() => {
        const row = threadRow(id);
        return row && row.deleted_at === null ? rowToThread(row) : null;
      }),
    listThreads: (userId, listOptions = {}) =>
      run(() => {
        const limit = pageSize(listOptions.limit);
        const after = decodeCursor(listOptions.cursor);
        const rows = sql(
          `SELECT * FROM dd_threads WHERE user_id = ? AND deleted_at IS NULL
             ${after ? 'AND (updated_at < @at OR (updated_at = @at AND seq < @seq))' : ''}
             ORDER BY updated_at DESC, seq DESC LIMIT @limit`,
        ).all(userId, { at: after?.updatedAt, seq: after?.seq, limit: limit + 1 }) as ThreadRowWithSeq[];
        const items = rows.slice(0, limit).map(rowToThread);
        const last = rows[limit - 1];
        return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.updated_at, last.seq) } : { items };
      }),
    updateThread: (id, patch) =>
      run(() =>
        db
          .transaction((): ThreadRecord => {
            const row = threadRow(id);
            if (!row || row.deleted_at !== null) throw notFound('thread', id);
            // Later than every other thread of the user, so "most recently updated first" is strict.
            const newest = sql('SELECT max(updated_at) AS at FROM dd_threads WHERE user_id = ?').get(row.user_id) as {
              at: string;
            };
            const updated = sql(
              'UPDATE dd_threads SET title = ?, persona = ?, updated_at = ? WHERE id = ? RETURNING *',
            ).get(patch.title ?? row.title, patch.persona ?? row.persona, nextTimestamp(newest.at), id) as ThreadRow;
            return rowToThread(updated);
          })
          .immediate(),
      ),
    deleteThread: (id) =>
      run(() => {
        sql('UPDATE dd_threads SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(
          new Date().toISOString(),
          id,
        );
      }),

    appendMessage: (message) =>
      run(() => {
        const row = messageToRow(message, cipher);
        try {
          sql(
            `INSERT INTO dd_messages (id, thread_id, role, kind, persona, content, parts, alternatives, turn_id, status, created_at)
             VALUES (@id, @thread_id, @role, @kind, @persona, @content, @parts, @alternatives, @turn_id, @status, @created_at)`,
          ).run(row);
        } catch (error) {
          if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
            throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] [sqlite] message ${message.id} exists`, {
              cause: error,
            });
          }
          throw error;
        }
      }),
    listMessages: (threadId, listOptions = {}) =>
      run(() => {
        const params: unknown[] = [threadId];
        let where = 'thread_id = ?';
        if (listOptions.before) {
          where += ' AND seq < COALESCE((SELECT seq FROM dd_messages WHERE id = ? AND thread_id = ?), 0)';
          params.push(listOptions.before, threadId);
        }
        const rows =
          listOptions.limit === undefined
            ? messageRows(`${where} ORDER BY seq`, params)
            : messageRows(`${where} ORDER BY seq DESC LIMIT ?`, [
                ...params,
                Math.max(0, Math.trunc(listOptions.limit)),
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
        const set = (value: unknown) => (value === undefined ? 0 : 1);
        const updated = sql(
          `UPDATE dd_messages SET
             content = CASE WHEN @setContent THEN @content ELSE content END,
             status = CASE WHEN @setStatus THEN @status ELSE status END,
             parts = CASE WHEN @setParts THEN @parts ELSE parts END,
             alternatives = CASE WHEN @setAlternatives THEN @alternatives ELSE alternatives END
           WHERE id = @id AND (@ifStatus IS NULL OR status = @ifStatus)
           RETURNING ${MESSAGE_COLUMNS}`,
        )
          .raw(true)
          .get({
            id,
            ifStatus: patch.ifStatus ?? null,
            setContent: set(patch.content),
            content: patch.content === undefined ? null : cipher.encrypt(patch.content),
            setStatus: set(patch.status),
            status: patch.status ?? null,
            setParts: set(patch.parts),
            parts: patch.parts === undefined ? null : cipher.encryptJson(patch.parts),
            setAlternatives: set(patch.alternatives),
            alternatives: patch.alternatives === undefined ? null : cipher.encryptJson(patch.alternatives),
          }) as unknown[] | undefined;
        const row = updated ? toMessageRow(updated) : messageRow(id);
        if (!row) throw notFound('message', id);
        return rowToMessage(row, cipher);
      }),

    setFeedback: (feedback) =>
      run(() => {
        sql(
          `INSERT INTO dd_feedback (message_id, user_id, thread_id, value, comment, persona, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (message_id, user_id) DO UPDATE SET
             thread_id = excluded.thread_id, value = excluded.value, comment = excluded.comment,
             persona = excluded.persona, created_at = excluded.created_at`,
        ).run(
          feedback.messageId,
          feedback.userId,
          feedback.threadId,
          feedback.value > 0 ? 1 : -1,
          feedback.comment === undefined ? null : cipher.encrypt(feedback.comment),
          feedback.persona ?? null,
          new Date().toISOString(),
        );
      }),
    getFeedback: (messageId, userId) =>
      run(() => {
        const row = sql('SELECT * FROM dd_feedback WHERE message_id = ? AND user_id = ?').get(messageId, userId) as
          | FeedbackRow
          | undefined;
        return row ? rowToFeedback(row, cipher) : null;
      }),
    feedbackSummary: (summaryOptions = {}) =>
      run(
        () =>
          sql(
            `SELECT COALESCE(persona, 'unknown') AS persona, substr(created_at, 1, 10) AS day,
                 SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END) AS down
               FROM dd_feedback WHERE substr(created_at, 1, 10) >= ?
               GROUP BY 1, 2 ORDER BY day DESC, persona`,
          ).all(summaryOptions.sinceDay ?? '') as FeedbackAggregate[],
      ),
    recentFeedback: (recentOptions = {}) =>
      run(() =>
        (
          sql('SELECT * FROM dd_feedback WHERE comment IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT ?').all(
            Math.max(0, Math.trunc(recentOptions.limit ?? 20)),
          ) as FeedbackRow[]
        ).map((row) => rowToFeedback(row, cipher)),
      ),

    getThreadData: (threadId) =>
      run(() => {
        const rows = sql('SELECT key, value FROM dd_thread_data WHERE thread_id = ?').all(threadId) as KeyValueRow[];
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
    getPreferences: (userId) => run(() => readPreferences(db, cipher, userId)),
    setPreferences: (userId, patch) =>
      run(() =>
        db
          .transaction(() => {
            const next = readPreferences(db, cipher, userId);
            for (const [key, value] of Object.entries(patch)) {
              if (value === null || value === undefined) delete next[key];
              else next[key] = value;
            }
            sql(
              `INSERT INTO dd_preferences (user_id, value) VALUES (?, ?)
               ON CONFLICT (user_id) DO UPDATE SET value = excluded.value`,
            ).run(userId, cipher.encryptJson(next));
            return next;
          })
          .immediate(),
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

    consume: (key, cost, windowMs, limit) =>
      run(() => {
        const { start, resetInMs } = fixedWindow(Date.now(), windowMs);
        if (cost <= limit) {
          // One statement, so atomic without a transaction (a turn's hottest write): counts the cost
          // when it still fits this window's limit; a counter from an older window starts over.
          const counted = sql(
            `INSERT INTO dd_counters (key, window_start, used) VALUES (@key, @start, @cost)
             ON CONFLICT (key) DO UPDATE SET
               used = CASE WHEN window_start = excluded.window_start THEN used + excluded.used ELSE excluded.used END,
               window_start = excluded.window_start
             WHERE (CASE WHEN window_start = excluded.window_start THEN used ELSE 0 END) + excluded.used <= @limit
             RETURNING used`,
          ).get({ key, start, cost, limit }) as { used: number } | undefined;
          if (counted) return { allowed: true, used: counted.used, resetInMs };
        }
        const row = sql('SELECT window_start, used FROM dd_counters WHERE key = ?').get(key) as
          | { window_start: number; used: number }
          | undefined;
        return { allowed: false, used: row && row.window_start === start ? row.used : 0, resetInMs };
      }),

    addKnowledge: (source, chunks) =>
      run(() =>
        db
          .transaction(() => {
            sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
            const insert = sql('INSERT INTO dd_knowledge (id, source, position, text) VALUES (?, ?, ?, ?)');
            chunks.forEach((text, index) => {
              insert.run(`${source}#${index}`, source, index, text);
            });
            return chunks.length;
          })
          .immediate(),
      ),
    searchKnowledge: (query, searchOptions = {}) =>
      run(() => {
        const terms = searchTerms(query);
        if (terms.length === 0) return [];
        const rows = sql(
          `SELECT k.id, k.source, snippet(dd_knowledge_fts, 0, '', '', '…', 24) AS snippet, -bm25(dd_knowledge_fts) AS score
             FROM dd_knowledge_fts JOIN dd_knowledge k ON k.rowid = dd_knowledge_fts.rowid
             WHERE dd_knowledge_fts MATCH ? ORDER BY bm25(dd_knowledge_fts) LIMIT ?`,
        ).all(terms.map((term) => `"${term}"`).join(' OR '), Math.max(1, Math.trunc(searchOptions.limit ?? 5)));
        return rows as KnowledgeHit[];
      }),
    deleteKnowledge: (source) =>
      run(() => {
        sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
      }),

    recordAudit: (event) =>
      run(() => {
        sql('INSERT INTO dd_audit (type, user_id, detail, created_at) VALUES (?, ?, ?, ?)').run(
          event.type,
          event.userId ?? null,
          event.detail === undefined ? null : JSON.stringify(event.detail),
          new Date().toISOString(),
        );
      }),
    listAudit: (auditOptions = {}) =>
      run(() => {
        const rows = sql(
          `SELECT * FROM dd_audit ${auditOptions.type ? 'WHERE type = @type' : ''} ORDER BY seq DESC LIMIT @limit`,
        ).all({ type: auditOptions.type, limit: Math.max(0, Math.trunc(auditOptions.limit ?? 100)) }) as AuditRow[];
        return rows.map(toAudit);
      }),
    addUsage: (userId, metric, count = 1) =>
      run(() => {
        sql(
          `INSERT INTO dd_usage (user_id, day, metric, count) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, day, metric) DO UPDATE SET count = count + excluded.count`,
        ).run(userId, utcDay(), metric, count);
      }),
    listUsage: (usageOptions = {}) =>
      run(() => {
        const rows = sql(
          `SELECT user_id, day, metric, count FROM dd_usage WHERE day >= @since ${usageOptions.userId ? 'AND user_id = @userId' : ''}
             ORDER BY day DESC, user_id, metric`,
        ).all({ since: usageOptions.sinceDay ?? '', userId: usageOptions.userId }) as Array<{
          user_id: string;
          day: string;
          metric: UsageRecord['metric'];
          count: number;
        }>;
        return rows.map((row) => ({ userId: row.user_id, day: row.day, metric: row.metric, count: row.count }));
      }),

    acquireLease: (key, holder, ttlMs) =>
      run(() => {
        const now = Date.now();
        // One statement: a free key is inserted; a stored lease is taken over only when it is the
        // same holder's or has expired. The write lock makes it atomic across processes.
        const taken = sql(
          `INSERT INTO dd_leases (key, holder, expires_at) VALUES (@key, @holder, @expiresAt)
           ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE dd_leases.holder = excluded.holder OR dd_leases.expires_at <= @now
           RETURNING 1`,
        ).get({ key, holder, expiresAt: now + leaseTtlMs(ttlMs), now });
        return taken !== undefined;
      }),
    renewLease: (key, holder, ttlMs) =>
      run(() => {
        const { changes } = sql('UPDATE dd_leases SET expires_at = ? WHERE key = ? AND holder = ?').run(
          Date.now() + leaseTtlMs(ttlMs),
          key,
          holder,
        );
        return changes > 0;
      }),
    releaseLease: (key, holder) =>
      run(() => {
        sql('DELETE FROM dd_leases WHERE key = ? AND holder = ?').run(key, holder);
      }),

    pruneCheckpoints: (threadId) =>
      run(() => {
        db.transaction(() => {
          sql(
            `DELETE FROM checkpoints WHERE thread_id = @threadId AND checkpoint_id NOT IN (
               SELECT latest.checkpoint_id FROM checkpoints latest
               WHERE latest.thread_id = checkpoints.thread_id AND latest.checkpoint_ns = checkpoints.checkpoint_ns
               ORDER BY latest.checkpoint_id DESC LIMIT @keep)`,
          ).run({ threadId, keep });
          sql(
            `DELETE FROM writes WHERE thread_id = ? AND NOT EXISTS (
               SELECT 1 FROM checkpoints c WHERE c.thread_id = writes.thread_id
                 AND c.checkpoint_ns = writes.checkpoint_ns AND c.checkpoint_id = writes.checkpoint_id)`,
          ).run(threadId);
        }).immediate();
      }),
  };
  return adapter;
}

interface UserRow {
  id: string;
  display_name: string | null;
  roles: string;
  created_at: string;
}

interface KeyValueRow {
  key: string;
  value: string;
}

interface AuditRow {
  type: AuditEvent['type'];
  user_id: string | null;
  detail: string | null;
  created_at: string;
}

function toUser(row: UserRow): UserRecord {
  const user: UserRecord = { id: row.id, roles: JSON.parse(row.roles) as string[], createdAt: row.created_at };
  if (row.display_name !== null) user.displayName = row.display_name;
  return user;
}

function toAudit(row: AuditRow): AuditEvent {
  const event: AuditEvent = { type: row.type, createdAt: row.created_at };
  if (row.user_id !== null) event.userId = row.user_id;
  if (row.detail !== null) event.detail = JSON.parse(row.detail) as Record<string, unknown>;
  return event;
}

function readPreferences(db: Database, cipher: FieldCipher, userId: string): Record<string, unknown> {
  const row = db.prepare('SELECT value FROM dd_preferences WHERE user_id = ?').get(userId) as
    | { value: string }
    | undefined;
  return row ? cipher.decryptJson<Record<string, unknown>>(row.value) : {};
}

function notFound(what: string, id: string): DreamdeckError {
  return new DreamdeckError('NOT_FOUND', `[dreamdeck] [sqlite] ${what} ${id} not found`);
}

function storageError(message: string, cause: unknown, retryable: boolean): DreamdeckError {
  return new DreamdeckError('STORAGE_ERROR', `[dreamdeck] [sqlite] ${message}`, { cause, retryable });
}
