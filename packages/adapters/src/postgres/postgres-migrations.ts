import type pg from 'pg';
import { inTransaction, releaseClient } from './transaction.js';

/**
 * Versioned schema migrations for the PostgreSQL adapter. Each receives the quoted schema name;
 * `dd_migrations` records which ran. Never edit a released migration: append a new one.
 */
export const POSTGRES_MIGRATIONS: ReadonlyArray<(schema: string) => string> = [
  (s) => `
  CREATE TABLE IF NOT EXISTS ${s}.dd_users (
    id TEXT PRIMARY KEY,
    display_name TEXT,
    roles JSONB NOT NULL DEFAULT '[]',
    created_at TIMESTAMPTZ NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${s}.dd_threads (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    persona TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    deleted_at TIMESTAMPTZ
  );
  CREATE INDEX IF NOT EXISTS dd_threads_by_user ON ${s}.dd_threads (user_id, updated_at DESC, seq DESC);
  CREATE TABLE IF NOT EXISTS ${s}.dd_messages (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    thread_id TEXT NOT NULL,
    role TEXT NOT NULL,
    kind TEXT NOT NULL,
    persona TEXT,
    content TEXT NOT NULL,
    parts TEXT,
    alternatives TEXT,
    turn_id TEXT,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_messages_by_thread ON ${s}.dd_messages (thread_id, seq);
  CREATE TABLE IF NOT EXISTS ${s}.dd_feedback (
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    value SMALLINT NOT NULL,
    comment TEXT,
    persona TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, user_id)
  );
  CREATE INDEX IF NOT EXISTS dd_feedback_by_time ON ${s}.dd_feedback (created_at);
  CREATE TABLE IF NOT EXISTS ${s}.dd_thread_data (
    thread_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (thread_id, key)
  );
  CREATE TABLE IF NOT EXISTS ${s}.dd_preferences (
    user_id TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${s}.dd_flags (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value BOOLEAN NOT NULL,
    PRIMARY KEY (scope, name)
  );
  CREATE TABLE IF NOT EXISTS ${s}.dd_counters (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    used INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${s}.dd_knowledge (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', text)) STORED
  );
  CREATE INDEX IF NOT EXISTS dd_knowledge_by_source ON ${s}.dd_knowledge (source, position);
  CREATE INDEX IF NOT EXISTS dd_knowledge_tsv ON ${s}.dd_knowledge USING GIN (tsv);
  CREATE TABLE IF NOT EXISTS ${s}.dd_audit (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type TEXT NOT NULL,
    user_id TEXT,
    detail JSONB,
    created_at TIMESTAMPTZ NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_audit_by_type ON ${s}.dd_audit (type, seq);
  CREATE TABLE IF NOT EXISTS ${s}.dd_usage (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    count BIGINT NOT NULL,
    PRIMARY KEY (user_id, day, metric)
  );
  `,
  // 2: leases (the cross-instance turn lock), judged by the server's clock
  (s) => `
  CREATE TABLE IF NOT EXISTS ${s}.dd_leases (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
  );
  `,
  // 3: running turns' events in batches, so a client rejoins a turn on any instance. UNLOGGED: a
  // short-lived log (pruned a minute after each turn) that needs no WAL and no crash safety
  (s) => `
  CREATE UNLOGGED TABLE IF NOT EXISTS ${s}.dd_turn_events (
    turn_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    thread_id TEXT NOT NULL,
    events TEXT NOT NULL,
    ended BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (turn_id, first_seq)
  );
  CREATE INDEX IF NOT EXISTS dd_turn_events_by_time ON ${s}.dd_turn_events (created_at);
  `,
  // 4 (issue 21, story controls): rewound messages stay stored but leave the story; the shown
  // version of a regenerated reply; where a branch came from. The partial index keeps a turn's
  // window read (the newest messages still in the story) as cheap after a long rewind as before.
  (s) => `
  ALTER TABLE ${s}.dd_messages ADD COLUMN IF NOT EXISTS rewound_at TEXT;
  ALTER TABLE ${s}.dd_messages ADD COLUMN IF NOT EXISTS alternative_index INTEGER;
  ALTER TABLE ${s}.dd_threads ADD COLUMN IF NOT EXISTS parent_thread_id TEXT;
  ALTER TABLE ${s}.dd_threads ADD COLUMN IF NOT EXISTS branched_from_message_id TEXT;
  CREATE INDEX IF NOT EXISTS dd_messages_in_story ON ${s}.dd_messages (thread_id, seq) WHERE rewound_at IS NULL;
  `,
  // issue 20 (knowledge base): documents with their scope (no user: global; a thread: that story
  // only) and title; chunks point at their document through `source` and may carry an embedding
  // (real[], with its norm, so exact cosine needs no extension; pgvector is used when installed)
  (s) => `
  CREATE TABLE IF NOT EXISTS ${s}.dd_knowledge_documents (
    id TEXT PRIMARY KEY,
    user_id TEXT,
    thread_id TEXT,
    title TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_knowledge_documents_by_user ON ${s}.dd_knowledge_documents (user_id, thread_id);
  ALTER TABLE ${s}.dd_knowledge ADD COLUMN IF NOT EXISTS embedding REAL[];
  ALTER TABLE ${s}.dd_knowledge ADD COLUMN IF NOT EXISTS embedding_norm REAL;
  `,
  // issue 22 (prompt experiments): the persona's prompt variant that wrote a GM message
  (s) => `
  ALTER TABLE ${s}.dd_messages ADD COLUMN IF NOT EXISTS variant TEXT;
  `,
  // 7 (issue 17): leases need no WAL. A logged row made every turn wait for two WAL flushes (the
  // lease taken and released: 6.5 ms of a 10 ms turn on a local server); an unlogged table's
  // commit does not wait for one. After a server crash the table is empty: every holder's next
  // renewal finds its lease gone and stops its turn, as when the lease is lost to another holder.
  (s) => `
  ALTER TABLE ${s}.dd_leases SET UNLOGGED;
  `,
  // 8 (issue 20, retrieval speed): the knowledge revision, moved by every knowledge write (from any
  // instance), and each document's revision at its last write: an instance keeps the stored vectors
  // in memory (when pgvector is absent) and reloads only the documents whose revision moved
  (s) => `
  CREATE TABLE IF NOT EXISTS ${s}.dd_knowledge_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
  );
  INSERT INTO ${s}.dd_knowledge_revision (id, revision) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;
  ALTER TABLE ${s}.dd_knowledge_documents ADD COLUMN IF NOT EXISTS revision INTEGER NOT NULL DEFAULT 0;
  `,
];

/** What {@link migratePostgres} needs. */
export interface PostgresMigrationOptions {
  pool: pg.Pool;
  /** The schema name (unquoted; already checked). */
  schema: string;
  /** The migrations to apply (default {@link POSTGRES_MIGRATIONS}). */
  migrations?: ReadonlyArray<(schema: string) => string>;
  /** Runs after the migrations, under the same lock (the LangGraph saver's and store's own setup). */
  setup?: () => Promise<void>;
}

/**
 * Brings `schema` up to date. Runs under `pg_advisory_lock`, so instances starting together never
 * migrate twice: one migrates, the others wait and find the work done. Each migration runs in its
 * own transaction with its row in `dd_migrations`; a failing one is rolled back (nothing of it
 * stays, the versions before it do), the lock is released and the client goes back to the pool
 * clean, so the next `init()` can try again.
 */
export async function migratePostgres(options: PostgresMigrationOptions): Promise<void> {
  const { pool, schema, migrations = POSTGRES_MIGRATIONS } = options;
  const s = `"${schema}"`;
  const lock = `dreamdeck:migrate:${schema}`;
  const client = await pool.connect();
  // a lock we could not release dies with its connection: such a client is destroyed, not pooled
  let lockStuck = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${s}.dd_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const [row] = (await client.query(`SELECT COALESCE(max(version), 0) AS version FROM ${s}.dd_migrations`))
        .rows as Array<{ version: number }>;
      for (let version = (row?.version ?? 0) + 1; version <= migrations.length; version++) {
        await inTransaction(client, async () => {
          await client.query((migrations[version - 1] as (schema: string) => string)(s));
          await client.query(`INSERT INTO ${s}.dd_migrations (version) VALUES ($1)`, [version]);
        });
      }
      await options.setup?.();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => {
        lockStuck = true;
      });
    }
  } finally {
    if (lockStuck) client.release(true);
    else releaseClient(client);
  }
}
