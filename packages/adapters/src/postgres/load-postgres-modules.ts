import { createRequire } from 'node:module';
import { DreamdeckError } from '@dreamdeck/core';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type { PostgresStore } from '@langchain/langgraph-checkpoint-postgres/store';
import type pg from 'pg';

/** The optional peer modules the PostgreSQL adapter needs. */
export interface PostgresModules {
  Pool: typeof pg.Pool;
  PostgresSaver: typeof PostgresSaver;
  PostgresStore: typeof PostgresStore;
}

const requireFromHere = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);

/**
 * Loads `pg` and `@langchain/langgraph-checkpoint-postgres` on first use, so importing
 * `@dreamdeck/adapters` never needs them. Throws a DreamdeckError naming what to install.
 */
export function loadPostgresModules(): PostgresModules {
  const load = <T>(name: string): T => {
    try {
      return requireFromHere(name) as T;
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
      throw new DreamdeckError(
        'STORAGE_ERROR',
        missing
          ? `[dreamdeck] [postgres] ${name} is not installed. Install the PostgreSQL driver: npm install pg @langchain/langgraph-checkpoint-postgres`
          : `[dreamdeck] [postgres] could not load ${name}: ${(error as Error).message}`,
        { cause: error, retryable: false },
      );
    }
  };
  const driver = load<typeof pg | { default: typeof pg }>('pg');
  const saver = load<{ PostgresSaver: typeof PostgresSaver }>('@langchain/langgraph-checkpoint-postgres');
  const store = load<{ PostgresStore: typeof PostgresStore }>('@langchain/langgraph-checkpoint-postgres/store');
  const Pool = 'Pool' in driver ? driver.Pool : driver.default.Pool;
  return { Pool, PostgresSaver: saver.PostgresSaver, PostgresStore: store.PostgresStore };
}
