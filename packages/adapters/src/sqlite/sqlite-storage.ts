import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StorageAdapter } from '@dreamdeck/core/adapter-kit';
import type { Database } from 'better-sqlite3';
import { createEncryptingSerializer } from '../crypto/encrypting-serializer.js';
import { createFieldCipher } from '../crypto/field-cipher.js';
import { checkpointsToKeep, type SqlStorageOptions } from '../storage-shared/sql-storage-options.js';
import { createSqliteAudit } from './audit.js';
import {
  createSqliteCheckpointer,
  createSqliteCheckpointUpkeep,
  upgradeLegacyCheckpointMetadata,
} from './checkpoints.js';
import { createSqliteCounters } from './counters.js';
import { createSqliteFeedback } from './feedback.js';
import { createSqliteKeyValues } from './key-values.js';
import { createSqliteKnowledge } from './knowledge.js';
import { createSqliteLeases } from './leases.js';
import { loadSqliteModules } from './load-sqlite-modules.js';
import { createSqliteMessages } from './messages.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { createSqliteContext, sqliteError } from './sqlite-runner.js';
import { SqliteStore } from './sqlite-store.js';
import { createSqliteThreads } from './threads.js';

/** Options for {@link createSqliteStorage}. */
export interface SqliteStorageOptions extends SqlStorageOptions {
  /** Database file (created with its folder if missing), or `:memory:`. Ignored when `database` is given. */
  path?: string;
  /** An open better-sqlite3 database to use instead of opening `path`. The adapter does not close it. */
  database?: Database;
  /** How long a write waits for another process's lock, in ms (default 5000). */
  busyTimeoutMs?: number;
}

/** The SQLite adapter: a {@link StorageAdapter} plus its database handle. */
export interface SqliteStorage extends StorageAdapter {
  /** The better-sqlite3 handle (for inspection and backups). */
  readonly database: Database;
  /** The store (a LangGraph `BaseStore` on the same file). */
  readonly store: SqliteStore;
}

/**
 * Creates the SQLite storage adapter: one file holds threads, messages, feedback, flags, rate-limit
 * counters, leases, knowledge (FTS5), audit events, LangGraph checkpoints (the official
 * `SqliteSaver`, on the same handle) and the long-term memory store. WAL mode and a busy timeout
 * let several processes share the file. `better-sqlite3` and `@langchain/langgraph-checkpoint-sqlite`
 * are optional peer dependencies, loaded here. Each domain lives in its own module of this folder
 * (`threads.ts`, `messages.ts`, …) over one shared context (`sqlite-runner.ts`).
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
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  let db: Database;
  try {
    if (options.database) db = options.database;
    else {
      const path = options.path ?? ':memory:';
      if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
      db = new DatabaseClass(path);
    }
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw sqliteError(`could not open ${options.path ?? 'the database'}: ${(error as Error).message}`, error, false);
  }
  const cipher = createFieldCipher(options.encryptionKey, 'sqlite');
  // The serializer encrypts checkpoints, pending writes and metadata (routing fields kept filterable) when a key is set.
  const checkpointer = createSqliteCheckpointer(SqliteSaver, db, createEncryptingSerializer(cipher, 'sqlite'));
  const store = new SqliteStore(db, cipher);
  const context = createSqliteContext(db, cipher, busyTimeoutMs, () => {
    migrateSqlite(db);
    // setup() is protected in the typings but is the saver's documented way to create its tables.
    (checkpointer as unknown as { setup(): void }).setup();
    upgradeLegacyCheckpointMetadata(db, cipher);
  });

  return {
    name: 'sqlite',
    capabilities: { knowledge: true, audit: true, encryption: cipher.enabled, multiProcess: true },
    checkpointer,
    store,
    database: db,
    async init() {
      await context.run(() => undefined);
    },
    async close() {
      if (ownsDatabase && db.open) db.close();
    },
    ...createSqliteThreads(context),
    ...createSqliteMessages(context),
    ...createSqliteFeedback(context),
    ...createSqliteKeyValues(context),
    ...createSqliteCounters(context),
    ...createSqliteLeases(context),
    ...createSqliteKnowledge(context),
    ...createSqliteAudit(context),
    ...createSqliteCheckpointUpkeep(context, checkpointsToKeep(options.keepCheckpoints)),
  };
}
