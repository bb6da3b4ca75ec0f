import { type LeaseStorage, leaseTtlMs } from '@dreamdeck/core/adapter-kit';
import type { SqliteContext } from './sqlite-runner.js';

/**
 * Leases on SQLite (`dd_leases`, expiry in `Date.now()` milliseconds of the calling process). Each
 * call is one statement, so SQLite's write lock makes it atomic across the processes sharing the file.
 */
export function createSqliteLeases({ sql, run }: SqliteContext): LeaseStorage {
  return {
    acquireLease: (key, holder, ttlMs) =>
      run(() => {
        const now = Date.now();
        // A free key is inserted; a stored lease is taken over only when it is the same holder's or has expired.
        const taken = sql(
          `INSERT INTO dd_leases (key, holder, expires_at) VALUES (@key, @holder, @expiresAt)
           ON CONFLICT (key) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
           WHERE dd_leases.holder = excluded.holder OR dd_leases.expires_at <= @now
           RETURNING 1`,
        ).get({ key, holder, expiresAt: now + leaseTtlMs(ttlMs), now });
        return taken !== undefined;
      }),
    renewLease: (key, holder, ttlMs) =>
      run(() => {
        const renewed = sql('UPDATE dd_leases SET expires_at = ? WHERE key = ? AND holder = ?').run(
          Date.now() + leaseTtlMs(ttlMs),
          key,
          holder,
        );
        return renewed.changes > 0;
      }),
    releaseLease: (key, holder) =>
      run(() => {
        sql('DELETE FROM dd_leases WHERE key = ? AND holder = ?').run(key, holder);
      }),
  };
}
