import { DreamdeckError } from '@dreamdeck/core/adapter-kit';
import type pg from 'pg';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { withTransaction } from './transaction.js';

/** What every PostgreSQL domain module works with: the pool, the quoted schema, the cipher and the runner. */
export interface PostgresContext {
  readonly pool: pg.Pool;
  /** The schema, quoted for SQL (`"dreamdeck"`). */
  readonly s: string;
  readonly cipher: FieldCipher;
  /** One query on a pooled client; resolves its rows. */
  readonly query: <R extends object = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;
  /** Runs `body` after init (migrations), mapping driver errors to `STORAGE_ERROR`. */
  readonly run: <T>(body: () => Promise<T>) => Promise<T>;
  /** Runs `body` in one transaction on one pooled client (rolled back when it throws). */
  readonly withTransaction: <T>(body: (client: pg.ClientBase) => Promise<T>) => Promise<T>;
}

/** Builds a {@link PostgresContext}; `migrate` runs before the first body (again after it failed). */
export function createPostgresContext(
  pool: pg.Pool,
  schema: string,
  cipher: FieldCipher,
  migrate: () => Promise<void>,
): PostgresContext {
  let ready: Promise<void> | undefined;
  return {
    pool,
    s: `"${schema}"`,
    cipher,
    query: async <R extends object = Record<string, unknown>>(text: string, values: unknown[] = []) =>
      (await pool.query(text, values)).rows as R[],
    run: async <T>(body: () => Promise<T>): Promise<T> => {
      try {
        if (!ready) {
          ready = migrate().catch((error: unknown) => {
            ready = undefined;
            throw error;
          });
        }
        await ready;
        return await body();
      } catch (error) {
        throw toStorageError(error);
      }
    },
    withTransaction: (body) => withTransaction(pool, body),
  };
}

/** Maps a driver error to STORAGE_ERROR; connection failures are retryable (the pool reconnects). */
export function toStorageError(error: unknown): DreamdeckError {
  if (DreamdeckError.isInstance(error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  const permanent = /^(22|23|42)/.test(code);
  return new DreamdeckError('STORAGE_ERROR', `[dreamdeck] [postgres] ${message || code || 'query failed'}`, {
    cause: error,
    retryable: !permanent,
  });
}

/** How the PostgreSQL adapter recognises a unique-key violation (SQLSTATE 23505). */
export const POSTGRES_UNIQUE = {
  adapter: 'postgres',
  matches: (error: unknown) => (error as { code?: string } | null)?.code === '23505',
};
