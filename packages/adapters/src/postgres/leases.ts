import { type LeaseStorage, leaseTtlMs } from '@dreamdeck/core/adapter-kit';
import type { PostgresContext } from './postgres-runner.js';

/**
 * Leases on PostgreSQL (`dd_leases`), judged by the server's clock (`clock_timestamp()`), so the
 * instances' own clocks never matter. Each call is one statement: `ON CONFLICT` locks the row, so
 * concurrent calls from any instance apply one after the other.
 */
export function createPostgresLeases({ s, query, run }: PostgresContext): LeaseStorage {
  return {
    acquireLease: (key, holder, ttlMs) =>
      run(async () => {
        // A free key is inserted; a stored lease is taken over only when it is the same holder's or has expired.
        const taken = await query(
          `INSERT INTO ${s}.dd_leases AS l (key, holder, expires_at)
             VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
           ON CONFLICT (key) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
           WHERE l.holder = EXCLUDED.holder OR l.expires_at <= clock_timestamp()
           RETURNING 1`,
          [key, holder, leaseTtlMs(ttlMs)],
        );
        return taken.length > 0;
      }),
    renewLease: (key, holder, ttlMs) =>
      run(async () => {
        const renewed = await query(
          `UPDATE ${s}.dd_leases SET expires_at = clock_timestamp() + $3::float8 * interval '1 millisecond'
           WHERE key = $1 AND holder = $2 RETURNING 1`,
          [key, holder, leaseTtlMs(ttlMs)],
        );
        return renewed.length > 0;
      }),
    releaseLease: (key, holder) =>
      run(async () => {
        await query(`DELETE FROM ${s}.dd_leases WHERE key = $1 AND holder = $2`, [key, holder]);
      }),
  };
}
