import type { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type BetterSqlite3 from 'better-sqlite3';
import { requireOptional } from '../shared/optional-module.js';

/** The optional peer modules the SQLite adapter needs. */
export interface SqliteModules {
  Database: typeof BetterSqlite3;
  SqliteSaver: typeof SqliteSaver;
}

/**
 * Loads `better-sqlite3` and `@langchain/langgraph-checkpoint-sqlite` on first use, so importing
 * `@dreamdeck/adapters` never needs them. Throws a DreamdeckError naming what to install.
 */
export function loadSqliteModules(): SqliteModules {
  const load = <T>(name: string): T =>
    requireOptional<T>(name, {
      adapter: 'sqlite',
      code: 'STORAGE_ERROR',
      missing: `${name} is not installed. Install the SQLite driver: npm install better-sqlite3 @langchain/langgraph-checkpoint-sqlite`,
    });
  const Database = load<typeof BetterSqlite3 | { default: typeof BetterSqlite3 }>('better-sqlite3');
  const saver = load<{ SqliteSaver: typeof SqliteSaver }>('@langchain/langgraph-checkpoint-sqlite');
  return { Database: 'default' in Database ? Database.default : Database, SqliteSaver: saver.SqliteSaver };
}
