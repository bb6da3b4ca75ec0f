import type pg from 'pg';

/** Clients whose ROLLBACK failed: their session state is unknown, so they must not go back to the pool. */
const unsafe = new WeakSet<pg.ClientBase>();

/**
 * Runs `body` inside `BEGIN` … `COMMIT` on `client`. When `body` (or `COMMIT`) fails, the
 * transaction is rolled back before the error is rethrown, so the client is never left inside an
 * aborted transaction; if even `ROLLBACK` fails, {@link releaseClient} destroys the client.
 */
export async function inTransaction<T>(client: pg.ClientBase, body: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => unsafe.add(client));
    throw error;
  }
}

/** Returns a pool client, or destroys it when a failed ROLLBACK left it in an unknown state. */
export function releaseClient(client: pg.PoolClient): void {
  client.release(unsafe.has(client) || undefined);
}

/** Runs `body` in one transaction on a client of `pool` (see {@link inTransaction}), then releases the client. */
export async function withTransaction<T>(pool: pg.Pool, body: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, body);
  } finally {
    releaseClient(client);
  }
}
