import { DreamdeckError } from '@dreamdeck/core/adapter-kit';
import type { Database, Statement } from 'better-sqlite3';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { statementCache } from './statement-cache.js';

/** What every SQLite domain module works with: the handle, its statements, the cipher and the runner. */
export interface SqliteContext {
  readonly db: Database;
  /** The prepared statement for a SQL text (prepared once per handle). */
  readonly sql: (text: string) => Statement<unknown[]>;
  readonly cipher: FieldCipher;
  /** Runs one statement or one transaction after init; see {@link createSqliteRunner}. */
  readonly run: <T>(body: () => T) => Promise<T>;
  /** Runs `body` in one `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws. */
  readonly withTransaction: <T>(body: () => T) => T;
}

/** Builds a {@link SqliteContext} on an open handle; `initialise` runs (once, synchronously) before the first body. */
export function createSqliteContext(
  db: Database,
  cipher: FieldCipher,
  busyTimeoutMs: number,
  initialise: () => void,
): SqliteContext {
  return {
    db,
    sql: statementCache(db),
    cipher,
    run: createSqliteRunner(db, busyTimeoutMs, initialise),
    withTransaction: (body) => withTransaction(db, body),
  };
}

/** Runs `body` in one `BEGIN IMMEDIATE` transaction on `db` (better-sqlite3's own commit and rollback). */
export function withTransaction<T>(db: Database, body: () => T): T {
  return db.transaction(body).immediate();
}

/** True for SQLite's "database is locked" (another connection holds the lock), in any of its variants. */
function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');
}

/**
 * The runner of the adapter's own statements: runs `body` after init, mapping driver errors to
 * STORAGE_ERROR. When another process holds the write lock, SQLite's own busy handler would sleep
 * in this thread (1 ms and up), stalling every request of the process; so `body` runs with no busy
 * wait, and a `SQLITE_BUSY` is retried from the event loop (at once, then every millisecond) until
 * `busyTimeoutMs` has passed. Every body is one statement or one transaction, so nothing of a
 * refused attempt was written. The LangGraph checkpointer and the store on the same handle keep
 * the configured busy timeout.
 */
export function createSqliteRunner(
  db: Database,
  busyTimeoutMs: number,
  initialise: () => void,
): <T>(body: () => T) => Promise<T> {
  let ready = false;
  const waitNever = db.prepare('PRAGMA busy_timeout = 0');
  const waitAsConfigured = db.prepare(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  return async <T>(body: () => T): Promise<T> => {
    const deadline = Date.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        if (!ready) {
          initialise();
          ready = true;
        }
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
        throw sqliteError((error as Error).message, error, true);
      }
    }
  };
}

/** A `STORAGE_ERROR` worded for the SQLite adapter. */
export function sqliteError(message: string, cause: unknown, retryable: boolean): DreamdeckError {
  return new DreamdeckError('STORAGE_ERROR', `[dreamdeck] [sqlite] ${message}`, { cause, retryable });
}

/** How the SQLite adapter recognises a unique-key violation. */
export const SQLITE_UNIQUE = {
  adapter: 'sqlite',
  matches: (error: unknown) => (error as { code?: string } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE',
};
