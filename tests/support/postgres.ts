import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import pg from 'pg';

/** The test server: `DREAMDECK_TEST_DATABASE_URL`, else postgres@127.0.0.1:5432/test (trust auth). */
export const POSTGRES_TEST_URL = process.env.DREAMDECK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function reachable(url: string, timeoutMs = 2000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(Number(port || 5432), hostname, () => done(true));
  });
}

/**
 * Whether the Postgres test server answers. When it does not: with `CI` set this throws (CI must
 * run the Postgres tests); otherwise it warns loudly and resolves false so the caller can skip.
 *
 * @example
 * ```ts
 * const postgres = await requirePostgres();
 * describe.skipIf(!postgres)('postgres', () => { … });
 * ```
 */
export async function requirePostgres(url = POSTGRES_TEST_URL): Promise<boolean> {
  if (await reachable(url)) return true;
  const message = `PostgreSQL is not reachable at ${url.replace(/:[^:@/]+@/, ':***@')}`;
  if (process.env.CI)
    throw new Error(`${message}; CI requires it (set DREAMDECK_TEST_DATABASE_URL or start the server).`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! ${message}: SKIPPING the PostgreSQL tests.\n!! Start PostgreSQL (or set DREAMDECK_TEST_DATABASE_URL) to run them.\n${'!'.repeat(78)}\n`,
  );
  return false;
}

/** A schema name unique to this test run, so parallel runs never collide. */
export function uniqueSchema(prefix = 'dd_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** Drops `schemas` (and everything in them) from the test server; for a test file's `afterAll`. */
export async function dropSchemas(schemas: readonly string[], url = POSTGRES_TEST_URL): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const name of schemas) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}
