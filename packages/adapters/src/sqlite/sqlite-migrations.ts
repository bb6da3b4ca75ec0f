import type { Database } from 'better-sqlite3';
import { withTransaction } from './sqlite-runner.js';

/**
 * Versioned schema migrations for the SQLite adapter, applied in order; `PRAGMA user_version`
 * records how many ran. Never edit a released migration: append a new one.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS dd_users (
    id TEXT PRIMARY KEY,
    display_name TEXT,
    roles TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS dd_threads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    title TEXT NOT NULL,
    persona TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted_at TEXT
  );
  CREATE INDEX IF NOT EXISTS dd_threads_by_user ON dd_threads (user_id, updated_at DESC, seq DESC);
  CREATE TABLE IF NOT EXISTS dd_messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
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
  CREATE INDEX IF NOT EXISTS dd_messages_by_thread ON dd_messages (thread_id, seq);
  CREATE TABLE IF NOT EXISTS dd_feedback (
    message_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    value INTEGER NOT NULL,
    comment TEXT,
    persona TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (message_id, user_id)
  );
  CREATE INDEX IF NOT EXISTS dd_feedback_by_time ON dd_feedback (created_at);
  CREATE TABLE IF NOT EXISTS dd_thread_data (
    thread_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (thread_id, key)
  );
  CREATE TABLE IF NOT EXISTS dd_preferences (
    user_id TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS dd_flags (
    scope TEXT NOT NULL,
    name TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (scope, name)
  );
  CREATE TABLE IF NOT EXISTS dd_counters (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    used INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS dd_knowledge (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    position INTEGER NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_knowledge_by_source ON dd_knowledge (source, position);
  CREATE VIRTUAL TABLE IF NOT EXISTS dd_knowledge_fts USING fts5(
    text, content='dd_knowledge', content_rowid='rowid', tokenize='porter unicode61'
  );
  CREATE TRIGGER IF NOT EXISTS dd_knowledge_ai AFTER INSERT ON dd_knowledge BEGIN
    INSERT INTO dd_knowledge_fts (rowid, text) VALUES (new.rowid, new.text);
  END;
  CREATE TRIGGER IF NOT EXISTS dd_knowledge_ad AFTER DELETE ON dd_knowledge BEGIN
    INSERT INTO dd_knowledge_fts (dd_knowledge_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  END;
  CREATE TABLE IF NOT EXISTS dd_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    user_id TEXT,
    detail TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_audit_by_type ON dd_audit (type, seq);
  CREATE TABLE IF NOT EXISTS dd_usage (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (user_id, day, metric)
  );
  CREATE TABLE IF NOT EXISTS dd_store (
    path TEXT NOT NULL,
    key TEXT NOT NULL,
    namespace TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (path, key)
  );
  CREATE VIRTUAL TABLE IF NOT EXISTS dd_store_fts USING fts5(
    path UNINDEXED, key UNINDEXED, text, tokenize='porter unicode61'
  );
  `,
  // 2: leases (the cross-instance turn lock); expires_at in Date.now() milliseconds
  `
  CREATE TABLE IF NOT EXISTS dd_leases (
    key TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  `,
  // 3: one-time data upgrades that need more than SQL (the encryption key): name, when it ran
  `
  CREATE TABLE IF NOT EXISTS dd_upgrades (
    name TEXT PRIMARY KEY,
    done_at TEXT NOT NULL
  );
  `,
  // 4 (issue 21, story controls): rewound messages stay stored but leave the story; the shown
  // version of a regenerated reply; where a branch came from. The partial index keeps a turn's
  // window read (the newest messages still in the story) as cheap after a long rewind as before.
  `
  ALTER TABLE dd_messages ADD COLUMN rewound_at TEXT;
  ALTER TABLE dd_messages ADD COLUMN alternative_index INTEGER;
  ALTER TABLE dd_threads ADD COLUMN parent_thread_id TEXT;
  ALTER TABLE dd_threads ADD COLUMN branched_from_message_id TEXT;
  CREATE INDEX IF NOT EXISTS dd_messages_in_story ON dd_messages (thread_id, seq) WHERE rewound_at IS NULL;
  `,
  // issue 20 (knowledge base): documents with their scope (no user: global; a thread: that story
  // only) and title; chunks point at their document through \`source\` and may carry an embedding
  // (little-endian float32)
  `
  CREATE TABLE IF NOT EXISTS dd_knowledge_documents (
    id TEXT PRIMARY KEY,
    user_id TEXT,
    thread_id TEXT,
    title TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    chunk_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS dd_knowledge_documents_by_user ON dd_knowledge_documents (user_id, thread_id);
  ALTER TABLE dd_knowledge ADD COLUMN embedding BLOB;
  `,
  // issue 22 (prompt experiments): the persona's prompt variant that wrote a GM message
  `
  ALTER TABLE dd_messages ADD COLUMN variant TEXT;
  `,
  // issue 20 (retrieval speed): the knowledge revision, moved by every knowledge write (from any
  // process), and each document's revision at its last write: searches keep word frequencies and
  // the stored vectors in memory and reload only what changed
  `
  CREATE TABLE IF NOT EXISTS dd_knowledge_revision (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
  );
  INSERT OR IGNORE INTO dd_knowledge_revision (id, revision) VALUES (1, 0);
  ALTER TABLE dd_knowledge_documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
  `,
];

/**
 * Brings the schema up to date inside one `BEGIN IMMEDIATE` transaction, so two processes
 * opening the same file at once never run a migration twice (the second waits on busy_timeout).
 */
export function migrateSqlite(db: Database): void {
  withTransaction(db, () => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let index = version; index < SQLITE_MIGRATIONS.length; index++) {
      db.exec(SQLITE_MIGRATIONS[index] as string);
    }
    if (version < SQLITE_MIGRATIONS.length) db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  });
}
