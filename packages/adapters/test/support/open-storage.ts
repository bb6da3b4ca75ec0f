import { createPostgresStorage } from '../../src/postgres/index.js';
import { createSqliteStorage } from '../../src/sqlite/index.js';

/**
 * Opens (and initialises) the storage a child process was pointed at on its command line:
 * `sqlite <path> -` or `postgres <url> <schema>`.
 */
export async function openStorage(kind: string, target: string, schema: string) {
  const storage =
    kind === 'sqlite'
      ? createSqliteStorage({ path: target, busyTimeoutMs: 20_000 })
      : createPostgresStorage({ connectionString: target, schema });
  await storage.init();
  return storage;
}
