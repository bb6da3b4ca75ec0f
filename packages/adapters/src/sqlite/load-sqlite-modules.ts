import { createRequire } from 'node:module';
import { DreamdeckError } from '@dreamdeck/core';
import type { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type BetterSqlite3 from 'better-sqlite3';

/** The optional peer modules the SQLite adapter needs. */
export interface SqliteModules {
  Database: typeof BetterSqlite3;
  SqliteSaver: typeof SqliteSaver;
}

const requireFromHere = createRequire(
  // import.meta.url in ESM; esbuild leaves import.meta empty in the CJS build, where __filename exists.
  import.meta.url ?? __filename,
);

/**
 * Loads `better-sqlite3` and `@langchain/langgraph-checkpoint-sqlite` on first use, so importing
 * `@dreamdeck/adapters` never needs them. Throws a DreamdeckError naming what to install.
 */
export function loadSqliteModules(): SqliteModules {
  const load = <T>(name: string): T => {
    try {
      return requireFromHere(name) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') {
        throw new DreamdeckError(
          'STORAGE_ERROR',
          `[dreamdeck] [sqlite] could not load ${name}: ${(error as Error).message}`,
          {
            cause: error,
            retryable: false,
          },
        );
      }
      throw new DreamdeckError(
        'STORAGE_ERROR',
        `[dreamdeck] [sqlite] ${name} is not installed. Install the SQLite driver: npm install better-sqlite3 @langchain/langgraph-checkpoint-sqlite`,
        { cause: error, retryable: false },
      );
    }
  };
  const Database = load<typeof BetterSqlite3 | { default: typeof BetterSqlite3 }>('better-sqlite3');
  const saver = load<{ SqliteSaver: typeof SqliteSaver }>('@langchain/langgraph-checkpoint-sqlite');
  return { Database: 'default' in Database ? Database.default : Database, SqliteSaver: saver.SqliteSaver };
}
