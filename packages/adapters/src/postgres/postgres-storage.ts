import { DreamdeckError, type StorageAdapter } from '@dreamdeck/core/adapter-kit';
import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import { createEncryptingSerializer } from '../crypto/encrypting-serializer.js';
import { createFieldCipher } from '../crypto/field-cipher.js';
import { EncryptedStore } from '../storage-shared/encrypted-store.js';
import { NamespaceEscapingStore } from '../storage-shared/namespace-escaping-store.js';
import { checkpointsToKeep, type SqlStorageOptions } from '../storage-shared/sql-storage-options.js';
import { createPostgresAudit } from './audit.js';
import { createPostgresCheckpointUpkeep } from './checkpoints.js';
import { createPostgresCounters } from './counters.js';
import { createEncryptedPostgresSaver } from './encrypted-postgres-saver.js';
import { createPostgresFeedback } from './feedback.js';
import { createPostgresKeyValues } from './key-values.js';
import { createPostgresKnowledge } from './knowledge.js';
import { createPostgresLeases } from './leases.js';
import { loadPostgresModules } from './load-postgres-modules.js';
import { createPostgresMessages } from './messages.js';
import { createPostgresNotifications } from './notifications.js';
import { migratePostgres } from './postgres-migrations.js';
import { createPostgresContext } from './postgres-runner.js';
import { createPostgresThreads } from './threads.js';
import { createPostgresTurnEvents } from './turn-events.js';

/** Options for {@link createPostgresStorage}. Give `connectionString` or `pool` (else `DATABASE_URL` is used). */
export interface PostgresStorageOptions extends SqlStorageOptions {
  /** `postgres://user:password@host:5432/db`. */
  connectionString?: string;
  /** An existing `pg.Pool`; the adapter does not end it on `close()`. */
  pool?: pg.Pool;
  /** Schema holding every table, the LangGraph checkpoint and store tables included (default `dreamdeck`). */
  schema?: string;
  /**
   * Called with connection errors the pool reports between queries (the pool replaces the client)
   * and errors of the connection that listens for notifications (it reconnects on its own).
   */
  onConnectionError?: (error: Error) => void;
}

/** The PostgreSQL adapter: a {@link StorageAdapter} (with notifications and turn events) plus its pool and schema. */
export interface PostgresStorage extends StorageAdapter {
  /** The pool every query of the adapter and checkpointer uses. */
  readonly pool: pg.Pool;
  /** The schema name. */
  readonly schema: string;
  /** The official PostgresSaver (tables in the same schema). */
  readonly checkpointer: PostgresSaver;
  /** `NOTIFY` on a channel of this schema (see `NotificationStorage`). */
  publish: NonNullable<StorageAdapter['publish']>;
  /** `LISTEN` on a channel of this schema, on the adapter's one listening connection. */
  subscribe: NonNullable<StorageAdapter['subscribe']>;
  /** Appends a batch of a running turn's events (`dd_turn_events`). */
  appendTurnEvents: NonNullable<StorageAdapter['appendTurnEvents']>;
  /** Reads a turn's stored events after a sequence number. */
  readTurnEvents: NonNullable<StorageAdapter['readTurnEvents']>;
  /** Removes stored turns past their retention. */
  pruneTurnEvents: NonNullable<StorageAdapter['pruneTurnEvents']>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Creates the PostgreSQL storage adapter for several stateless server instances sharing one
 * database: own tables in `schema`, the official `PostgresSaver` and `PostgresStore` in the same
 * schema, migrations under `pg_advisory_lock` (safe when instances start together), `tsvector` +
 * GIN knowledge search, an atomic `consume` (one `INSERT … ON CONFLICT … WHERE … RETURNING`) and
 * leases judged by the server's clock, `LISTEN`/`NOTIFY` between instances (one extra connection
 * per instance, outside the pool) and a short-lived log of running turns' events, so a client
 * rejoins a running turn on any instance. A lost connection fails the running call with a retryable
 * `STORAGE_ERROR`; the pool reconnects on the next call. `pg` and
 * `@langchain/langgraph-checkpoint-postgres` are optional peers. Each domain lives in its own
 * module of this folder (`threads.ts`, `messages.ts`, …) over one shared context (`postgres-runner.ts`).
 *
 * @example
 * ```ts
 * const storage = createPostgresStorage({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  const { Pool, Client, PostgresSaver, PostgresStore } = loadPostgresModules();
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
  const cipher = createFieldCipher(options.encryptionKey, 'postgres');
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
  const context = createPostgresContext(pool, schema, cipher, () =>
    migratePostgres({
      pool,
      schema,
      setup: async () => {
        await checkpointer.setup();
        await postgresStore.setup();
      },
    }),
  );

  const notifications = createPostgresNotifications({
    context,
    schema,
    createClient: () => new Client({ ...storeConfig, keepAlive: true }),
    onError,
  });

  return {
    name: 'postgres',
    capabilities: {
      knowledge: true,
      audit: true,
      encryption: cipher.enabled,
      multiProcess: true,
      notifications: true,
      turnEvents: true,
    },
    checkpointer,
    store,
    pool,
    schema,
    init: () => context.run(async () => undefined),
    async close() {
      await notifications.close();
      await postgresStore.stop().catch(() => undefined);
      if (ownsPool) await pool.end().catch(() => undefined);
    },
    ...createPostgresThreads(context),
    ...createPostgresMessages(context),
    ...createPostgresFeedback(context),
    ...createPostgresKeyValues(context),
    ...createPostgresCounters(context),
    ...createPostgresLeases(context),
    ...createPostgresKnowledge(context),
    ...createPostgresAudit(context),
    ...createPostgresTurnEvents(context),
    publish: notifications.publish,
    subscribe: notifications.subscribe,
    ...createPostgresCheckpointUpkeep(context, checkpointsToKeep(options.keepCheckpoints)),
  };
}
