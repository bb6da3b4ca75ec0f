import type { UserRecord } from '@dreamdeck/core';
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
import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import { createEncryptingSerializer } from '../crypto/encrypting-serializer.js';
import type { EncryptionKeyOption } from '../crypto/encryption-keys.js';
import { createFieldCipher } from '../crypto/field-cipher.js';
import { EncryptedStore } from '../storage-shared/encrypted-store.js';
import { NamespaceEscapingStore } from '../storage-shared/namespace-escaping-store.js';
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
import { createEncryptedPostgresSaver } from './encrypted-postgres-saver.js';
import { loadPostgresModules } from './load-postgres-modules.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

/** Options for {@link createPostgresStorage}. Give `connectionString` or `pool` (else `DATABASE_URL` is used). */
export interface PostgresStorageOptions {
  /** `postgres://user:password@host:5432/db`. */
  connectionString?: string;
  /** An existing `pg.Pool`; the adapter does not end it on `close()`. */
  pool?: pg.Pool;
  /** Schema holding every table, the LangGraph checkpoint and store tables included (default `dreamdeck`). */
  schema?: string;
  /**
   * Encrypt message content, feedback comments, thread data, preferences, store values and the
   * LangGraph checkpoints with their pending writes and metadata (AES-256-GCM).
   */
  encryptionKey?: EncryptionKeyOption;
  /** Checkpoints kept per thread and namespace by `pruneCheckpoints` (default 1: only the latest). */
  keepCheckpoints?: number;
  /** Called with connection errors the pool reports between queries (the pool replaces the client). */
  onConnectionError?: (error: Error) => void;
}

/** The PostgreSQL adapter: a {@link StorageAdapter} plus its pool and schema. */
export interface PostgresStorage extends StorageAdapter {
  /** The pool every query of the adapter and checkpointer uses. */
  readonly pool: pg.Pool;
  /** The schema name. */
  readonly schema: string;
  /** The official PostgresSaver (tables in the same schema). */
  readonly checkpointer: PostgresSaver;
}

type ThreadRowWithSeq = Omit<ThreadRow, 'created_at' | 'updated_at'> & {
  seq: string;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the PostgreSQL storage adapter for several stateless server instances sharing one
 * database: own tables in `schema`, the official `PostgresSaver` and `PostgresStore` in the same
 * schema, migrations under `pg_advisory_lock` (safe when instances start together), `tsvector` +
 * GIN knowledge search, and an atomic `consume` (one `INSERT … ON CONFLICT … WHERE … RETURNING`).
 * A lost connection fails the running call with a retryable `STORAGE_ERROR`; the pool reconnects
 * on the next call. `pg` and `@langchain/langgraph-checkpoint-postgres` are optional peers.
 *
 * @example
 * ```ts
 * const storage = createPostgresStorage({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const { Pool, PostgresSaver, PostgresStore } = loadPostgresModules();
  const schema = options.schema ?? 'dreamdeck';
  if (!SCHEMA_NAME.test(schema)) {
    throw new DreamdeckError('CONFIG_INVALID', `[dreamdeck] [postgres] schema "${schema}" must match ${SCHEMA_NAME}`);
  }
  const connectionString = options.connectionString ?? process.env.DATABASE_URL;
  if (!options.pool && !connectionString) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      '[dreamdeck] [postgres] pass connectionString or pool (or set DATABASE_URL)',
    );
  }
  const onError = (error: Error) => options.onConnectionError?.(error);
  const pool = options.pool ?? new Pool({ connectionString, max: 10 });
  pool.on('error', onError);
  const ownsPool = options.pool === undefined;
  const s = `"${schema}"`;
  const cipher = createFieldCipher(options.encryptionKey, 'postgres');
  const keep = Math.max(1, Math.trunc(options.keepCheckpoints ?? 1));
  // The serializer encrypts channel blobs, pending writes and metadata when a key is set.
  const checkpointer = createEncryptedPostgresSaver(
    PostgresSaver,
    pool,
    schema,
    createEncryptingSerializer(cipher, 'postgres'),
  );
  const storeConfig = options.pool
    ? (options.pool as unknown as { options: pg.PoolConfig }).options
    : { connectionString };
  const postgresStore = new PostgresStore({
    connectionOptions: { ...storeConfig, max: 4 },
    schema,
    ensureTables: false,
  });
  // PostgresStore owns a pool of its own; without an 'error' listener a dropped idle client would crash the process.
  (postgresStore as unknown as { core: { pool: pg.Pool } }).core.pool.on('error', onError);
  const escaped = new NamespaceEscapingStore(postgresStore);
  const store: BaseStore = cipher.enabled ? new EncryptedStore(escaped, cipher) : escaped;
  let ready: Promise<void> | undefined;

  const query = async <R extends object = Record<string, unknown>>(
    text: string,
    values: unknown[] = [],
  ): Promise<R[]> => (await pool.query(text, values)).rows as R[];

  /** Runs `body` after init, mapping driver errors to STORAGE_ERROR. */
  const run = async <T>(body: () => Promise<T>): Promise<T> => {
    try {
      if (!ready) ready = migrate();
      await ready;
      return await body();
    } catch (error) {
      throw toStorageError(error);
    }
  };

  const migrate = async () => {
    const lock = `dreamdeck:migrate:${schema}`;
    let client: pg.PoolClient | undefined;
    try {
      client = await pool.connect();
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${s}.dd_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
        );
        const [row] = (await client.query(`SELECT COALESCE(max(version), 0) AS version FROM ${s}.dd_migrations`))
          .rows as Array<{ version: number }>;
        for (let version = (row?.version ?? 0) + 1; version <= POSTGRES_MIGRATIONS.length; version++) {
          await client.query('BEGIN');
          await client.query((POSTGRES_MIGRATIONS[version - 1] as (schema: string) => string)(s));
          await client.query(`INSERT INTO ${s}.dd_migrations (version) VALUES ($1)`, [version]);
          await client.query('COMMIT');
        }
        await checkpointer.setup();
        await postgresStore.setup();
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => undefined);
      }
    } catch (error) {
      ready = undefined;
      throw error;
    } finally {
      client?.release();
    }
  };

  const threadRow = async (id: string) =>
    (await query<ThreadRowWithSeq>(`SELECT * FROM ${s}.dd_threads WHERE id = $1`, [id]))[0];
  const thread = (row: ThreadRowWithSeq) =>
    rowToThread({ ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString() });
  const feedback = (row: Omit<FeedbackRow, 'created_at'> & { created_at: Date }) =>
    rowToFeedback({ ...row, created_at: row.created_at.toISOString() }, cipher);

  const adapter: PostgresStorage = {
    name: 'postgres',
    capabilities: { knowledge: true, audit: true, encryption: cipher.enabled, multiProcess: true },
    checkpointer,
    store,
    pool,
    schema,

    init: () => run(async () => undefined),
    async close() {
      await postgresStore.stop().catch(() => undefined);
      if (ownsPool) await pool.end().catch(() => undefined);
    },

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
        return toUser(row as UserRow);
      }),
    getUser: (id) =>
      run(async () => {
        const [row] = await query<UserRow>(`SELECT * FROM ${s}.dd_users WHERE id = $1`, [id]);
        return row ? toUser(row) : null;
      }),

    createThread: (input) =>
      run(async () => {
        const now = new Date().toISOString();
        const id = input.id ?? newId('thr');
        try {
          const [row] = await query<ThreadRowWithSeq>(
            `INSERT INTO ${s}.dd_threads (id, user_id, title, persona, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING *`,
            [id, input.userId, input.title ?? 'New story', input.persona, now],
          );
          return thread(row as ThreadRowWithSeq);
        } catch (error) {
          if ((error as { code?: string }).code === '23505') {
            throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] [postgres] thread ${id} exists`, { cause: error });
          }
          throw error;
        }
      }),
    getThread: (id) =>
      run(async () => {
        const row = await threadRow(id);
        return row && row.deleted_at === null ? thread(row) : null;
      }),
    listThreads: (userId, listOptions = {}) =>
      run(async () => {
        const limit = pageSize(listOptions.limit);
        const after = decodeCursor(listOptions.cursor);
        const rows = await query<ThreadRowWithSeq>(
          `SELECT * FROM ${s}.dd_threads WHERE user_id = $1 AND deleted_at IS NULL
           ${after ? 'AND (updated_at, seq) < ($3::timestamptz, $4::bigint)' : ''}
           ORDER BY updated_at DESC, seq DESC LIMIT $2`,
          after ? [userId, limit + 1, after.updatedAt, after.seq] : [userId, limit + 1],
        );
        const items = rows.slice(0, limit).map(thread);
        const last = rows[limit - 1];
        return rows.length > limit && last
          ? { items, nextCursor: encodeCursor(last.updated_at.toISOString(), Number(last.seq)) }
          : { items };
      }),
    updateThread: (id, patch) =>
      run(async () => {
        const row = await threadRow(id);
        if (!row || row.deleted_at !== null) throw notFound('thread', id);
        const [newest] = await query<{ at: Date }>(
          `SELECT max(updated_at) AS at FROM ${s}.dd_threads WHERE user_id = $1`,
          [row.user_id],
        );
        const [updated] = await query<ThreadRowWithSeq>(
          `UPDATE ${s}.dd_threads SET title = $2, persona = $3, updated_at = GREATEST($4::timestamptz, updated_at + interval '1 millisecond')
           WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
          [
            id,
            patch.title ?? row.title,
            patch.persona ?? row.persona,
            nextTimestamp((newest?.at ?? row.updated_at).toISOString()),
          ],
        );
        if (!updated) throw notFound('thread', id);
        return thread(updated);
      }),
    deleteThread: (id) =>
      run(async () => {
        await query(`UPDATE ${s}.dd_threads SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id]);
      }),

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
          if ((error as { code?: string }).code === '23505') {
            throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] [postgres] message ${message.id} exists`, {
              cause: error,
            });
          }
          throw error;
        }
      }),
    listMessages: (threadId, listOptions = {}) =>
      run(async () => {
        const values: unknown[] = [threadId];
        let where = 'thread_id = $1';
        if (listOptions.before) {
          values.push(listOptions.before);
          where += ` AND seq < COALESCE((SELECT seq FROM ${s}.dd_messages WHERE id = $2 AND thread_id = $1), 0)`;
        }
        if (listOptions.limit === undefined) {
          const rows = await query<MessageRow>(`SELECT * FROM ${s}.dd_messages WHERE ${where} ORDER BY seq`, values);
          return rows.map((row) => rowToMessage(row, cipher));
        }
        values.push(Math.max(0, Math.trunc(listOptions.limit)));
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
        const set = (column: string, value: unknown) => {
          values.push(value);
          sets.push(`${column} = $${values.length}`);
        };
        if (patch.content !== undefined) set('content', cipher.encrypt(patch.content));
        if (patch.status !== undefined) set('status', patch.status);
        if (patch.parts !== undefined) set('parts', cipher.encryptJson(patch.parts));
        if (patch.alternatives !== undefined) set('alternatives', cipher.encryptJson(patch.alternatives));
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
        if (!stored) throw notFound('message', id);
        return rowToMessage(stored, cipher);
      }),

    setFeedback: (entry) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_feedback (message_id, user_id, thread_id, value, comment, persona, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
           ON CONFLICT (message_id, user_id) DO UPDATE SET thread_id = EXCLUDED.thread_id, value = EXCLUDED.value,
             comment = EXCLUDED.comment, persona = EXCLUDED.persona, created_at = EXCLUDED.created_at`,
          [
            entry.messageId,
            entry.userId,
            entry.threadId,
            entry.value > 0 ? 1 : -1,
            entry.comment === undefined ? null : cipher.encrypt(entry.comment),
            entry.persona ?? null,
          ],
        );
      }),
    getFeedback: (messageId, userId) =>
      run(async () => {
        const [row] = await query<FeedbackRow & { created_at: Date }>(
          `SELECT * FROM ${s}.dd_feedback WHERE message_id = $1 AND user_id = $2`,
          [messageId, userId],
        );
        return row ? feedback(row) : null;
      }),
    feedbackSummary: (summaryOptions = {}) =>
      run(async () => {
        const rows = await query<{ persona: string; day: string; up: string; down: string }>(
          `SELECT COALESCE(persona, 'unknown') AS persona, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             count(*) FILTER (WHERE value > 0) AS up, count(*) FILTER (WHERE value < 0) AS down
           FROM ${s}.dd_feedback WHERE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') >= $1
           GROUP BY 1, 2 ORDER BY day DESC, persona`,
          [summaryOptions.sinceDay ?? ''],
        );
        return rows.map(
          (row): FeedbackAggregate => ({
            persona: row.persona,
            day: row.day,
            up: Number(row.up),
            down: Number(row.down),
          }),
        );
      }),
    recentFeedback: (recentOptions = {}) =>
      run(async () => {
        const rows = await query<FeedbackRow & { created_at: Date }>(
          `SELECT * FROM ${s}.dd_feedback WHERE comment IS NOT NULL ORDER BY created_at DESC LIMIT $1`,
          [Math.max(0, Math.trunc(recentOptions.limit ?? 20))],
        );
        return rows.map(feedback);
      }),

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
      run(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(
            `INSERT INTO ${s}.dd_preferences (user_id, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
            [userId, cipher.encryptJson({})],
          );
          const [row] = (
            await client.query(`SELECT value FROM ${s}.dd_preferences WHERE user_id = $1 FOR UPDATE`, [userId])
          ).rows as Array<{ value: string }>;
          const next = row ? cipher.decryptJson<Record<string, unknown>>(row.value) : {};
          for (const [key, value] of Object.entries(patch)) {
            if (value === null || value === undefined) delete next[key];
            else next[key] = value;
          }
          await client.query(`UPDATE ${s}.dd_preferences SET value = $2 WHERE user_id = $1`, [
            userId,
            cipher.encryptJson(next),
          ]);
          await client.query('COMMIT');
          return next;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),

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

    consume: (key, cost, windowMs, limit) =>
      run(async () => {
        const { start, resetInMs } = fixedWindow(Date.now(), windowMs);
        if (cost <= limit) {
          // One statement: the row lock of ON CONFLICT serialises concurrent calls, and WHERE refuses over-grants.
          const [granted] = await query<{ used: number }>(
            `INSERT INTO ${s}.dd_counters AS c (key, window_start, used) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET
               used = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.used + EXCLUDED.used ELSE EXCLUDED.used END,
               window_start = EXCLUDED.window_start
             WHERE (CASE WHEN c.window_start = EXCLUDED.window_start THEN c.used ELSE 0 END) + EXCLUDED.used <= $4
             RETURNING used`,
            [key, start, cost, limit],
          );
          if (granted) return { allowed: true, used: granted.used, resetInMs };
        }
        const [row] = await query<{ used: number; window_start: string }>(
          `SELECT used, window_start FROM ${s}.dd_counters WHERE key = $1`,
          [key],
        );
        return { allowed: false, used: row && Number(row.window_start) === start ? row.used : 0, resetInMs };
      }),

    addKnowledge: (source, chunks) =>
      run(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [source]);
          if (chunks.length > 0) {
            await client.query(
              `INSERT INTO ${s}.dd_knowledge (id, source, position, text)
               SELECT $1 || '#' || (n - 1), $1, n - 1, t FROM unnest($2::text[]) WITH ORDINALITY AS u(t, n)`,
              [source, chunks],
            );
          }
          await client.query('COMMIT');
          return chunks.length;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
    searchKnowledge: (text, searchOptions = {}) =>
      run(async () => {
        const terms = searchTerms(text);
        if (terms.length === 0) return [];
        const rows = await query<KnowledgeHit>(
          `SELECT id, source, ts_headline('english', text, q, 'StartSel="", StopSel="", MaxWords=35, MinWords=15') AS snippet,
             ts_rank_cd(tsv, q) AS score
           FROM ${s}.dd_knowledge, to_tsquery('english', $1) AS q WHERE tsv @@ q ORDER BY score DESC, id LIMIT $2`,
          [terms.join(' | '), Math.max(1, Math.trunc(searchOptions.limit ?? 5))],
        );
        return rows.map((row) => ({ ...row, score: Number(row.score) }));
      }),
    deleteKnowledge: (source) =>
      run(async () => {
        await query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [source]);
      }),

    recordAudit: (event) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_audit (type, user_id, detail, created_at) VALUES ($1, $2, $3, clock_timestamp())`,
          [event.type, event.userId ?? null, event.detail === undefined ? null : JSON.stringify(event.detail)],
        );
      }),
    listAudit: (auditOptions = {}) =>
      run(async () => {
        const rows = await query<AuditRow>(
          `SELECT * FROM ${s}.dd_audit WHERE ($1::text IS NULL OR type = $1) ORDER BY seq DESC LIMIT $2`,
          [auditOptions.type ?? null, Math.max(0, Math.trunc(auditOptions.limit ?? 100))],
        );
        return rows.map(toAudit);
      }),
    addUsage: (userId, metric, count = 1) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_usage (user_id, day, metric, count) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, day, metric) DO UPDATE SET count = ${s}.dd_usage.count + EXCLUDED.count`,
          [userId, utcDay(), metric, count],
        );
      }),
    listUsage: (usageOptions = {}) =>
      run(async () => {
        const rows = await query<{ user_id: string; day: string; metric: UsageRecord['metric']; count: string }>(
          `SELECT * FROM ${s}.dd_usage WHERE day >= $1 AND ($2::text IS NULL OR user_id = $2) ORDER BY day DESC, user_id, metric`,
          [usageOptions.sinceDay ?? '', usageOptions.userId ?? null],
        );
        return rows.map((row) => ({ userId: row.user_id, day: row.day, metric: row.metric, count: Number(row.count) }));
      }),

    acquireLease: (key, holder, ttlMs) =>
      run(async () => {
        // One statement: ON CONFLICT locks the row, so concurrent calls from any instance serialise;
        // a stored lease is taken over only when it is the same holder's or has expired by the server's clock.
        const taken = await query(
          `INSERT INTO ${s}.dd_leases AS l (key, holder, expires_at)
             VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
           ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE l.holder = EXCLUDED.holder OR l.expires_at <= clock_timestamp()
           RETURNING 1`,
          [key, holder, leaseTtlMs(ttlMs)],
        );
        return taken.length > 0;
      }),
    renewLease: (key, holder, ttlMs) =>
      run(async () => {
        const renewed = await query(
          `UPDATE ${s}.dd_leases SET expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond'
           WHERE key = $1 AND holder = $2 RETURNING 1`,
          [key, holder, leaseTtlMs(ttlMs)],
        );
        return renewed.length > 0;
      }),
    releaseLease: (key, holder) =>
      run(async () => {
        await query(`DELETE FROM ${s}.dd_leases WHERE key = $1 AND holder = $2`, [key, holder]);
      }),

    pruneCheckpoints: (threadId) =>
      run(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          await client.query(
            `DELETE FROM ${s}.checkpoints c WHERE c.thread_id = $1 AND c.checkpoint_id NOT IN (
               SELECT latest.checkpoint_id FROM ${s}.checkpoints latest
               WHERE latest.thread_id = c.thread_id AND latest.checkpoint_ns = c.checkpoint_ns
               ORDER BY latest.checkpoint_id DESC LIMIT $2)`,
            [threadId, keep],
          );
          await client.query(
            `DELETE FROM ${s}.checkpoint_writes w WHERE w.thread_id = $1 AND NOT EXISTS (
               SELECT 1 FROM ${s}.checkpoints c WHERE c.thread_id = w.thread_id
                 AND c.checkpoint_ns = w.checkpoint_ns AND c.checkpoint_id = w.checkpoint_id)`,
            [threadId],
          );
          await client.query(
            `DELETE FROM ${s}.checkpoint_blobs b WHERE b.thread_id = $1 AND NOT EXISTS (
               SELECT 1 FROM ${s}.checkpoints c WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
                 AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)`,
            [threadId],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      }),
  };
  return adapter;
}

interface UserRow {
  id: string;
  display_name: string | null;
  roles: string[];
  created_at: Date;
}

interface AuditRow {
  type: AuditEvent['type'];
  user_id: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
}

function toUser(row: UserRow): UserRecord {
  const user: UserRecord = { id: row.id, roles: row.roles, createdAt: row.created_at.toISOString() };
  if (row.display_name !== null) user.displayName = row.display_name;
  return user;
}

function toAudit(row: AuditRow): AuditEvent {
  const event: AuditEvent = { type: row.type, createdAt: row.created_at.toISOString() };
  if (row.user_id !== null) event.userId = row.user_id;
  if (row.detail !== null) event.detail = row.detail;
  return event;
}

function notFound(what: string, id: string): DreamdeckError {
  return new DreamdeckError('NOT_FOUND', `[dreamdeck] [postgres] ${what} ${id} not found`);
}

/** Maps a driver error to STORAGE_ERROR; connection failures are retryable (the pool reconnects). */
function toStorageError(error: unknown): DreamdeckError {
  if (DreamdeckError.isInstance(error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const permanent = /^(22|23|42)/.test(code);
  return new DreamdeckError('STORAGE_ERROR', `[dreamdeck] [postgres] ${message || code || 'query failed'}`, {
    cause: error,
    retryable: !permanent,
  });
}
