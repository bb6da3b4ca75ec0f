import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type { PostgresStore } from '@langchain/langgraph-checkpoint-postgres/store';
import type pg from 'pg';
import { requireOptional } from '../shared/optional-module.js';

/** The optional peer modules the PostgreSQL adapter needs. */
export interface PostgresModules {
  Pool: typeof pg.Pool;
  /** For the one dedicated connection that LISTENs for notifications. */
  Client: typeof pg.Client;
  PostgresSaver: typeof PostgresSaver;
  PostgresStore: typeof PostgresStore;
}

/**
 * Loads `pg` and `@langchain/langgraph-checkpoint-postgres` on first use, so importing
 * `@dreamdeck/adapters` never needs them. Throws a DreamdeckError naming what to install.
 */
export function loadPostgresModules(): PostgresModules {
  const load = <T>(name: string): T =>
    requireOptional<T>(name, {
      adapter: 'postgres',
      code: 'STORAGE_ERROR',
      missing: `${name} is not installed. Install the PostgreSQL driver: npm install pg @langchain/langgraph-checkpoint-postgres`,
    });
  const driver = load<typeof pg | { default: typeof pg }>('pg');
  const saver = load<{ PostgresSaver: typeof PostgresSaver }>('@langchain/langgraph-checkpoint-postgres');
  const store = load<{ PostgresStore: typeof PostgresStore }>('@langchain/langgraph-checkpoint-postgres/store');
  const Pool = 'Pool' in driver ? driver.Pool : driver.default.Pool;
  const Client = 'Client' in driver ? driver.Client : driver.default.Client;
  return { Pool, Client, PostgresSaver: saver.PostgresSaver, PostgresStore: store.PostgresStore };
}
