import type { CounterStorage, UsageStorage } from '@dreamdeck/core/adapter-kit';
import { consumeOutcome, fixedWindow, utcDay } from '@dreamdeck/core/adapter-kit';
import { rowToUsage, type UsageRow } from '../storage-shared/row-codec.js';
import type { PostgresContext } from './postgres-runner.js';

/** Rate-limit counters (`dd_counters`) and usage counters (`dd_usage`) on PostgreSQL. */
export function createPostgresCounters({ s, query, run }: PostgresContext): CounterStorage & UsageStorage {
  return {
    consume: (key, cost, windowMs, limit) =>
      run(async () => {
        const window = fixedWindow(Date.now(), windowMs);
        if (cost <= limit) {
          // One statement: the row lock of ON CONFLICT serialises concurrent calls, and WHERE refuses over-grants.
          const [granted] = await query<{ used: number }>(
            `INSERT INTO ${s}.dd_counters AS c (key, window_start, used) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO UPDATE SET
               used = CASE WHEN c.window_start = EXCLUDED.window_start THEN c.used + EXCLUDED.used ELSE EXCLUDED.used END,
               window_start = EXCLUDED.window_start
             WHERE (CASE WHEN c.window_start = EXCLUDED.window_start THEN c.used ELSE 0 END) + EXCLUDED.used <= $4
             RETURNING used`,
            [key, window.start, cost, limit],
          );
          if (granted) return consumeOutcome(window, granted.used);
        }
        const [row] = await query<{ used: number; window_start: string }>(
          `SELECT used, window_start FROM ${s}.dd_counters WHERE key = $1`,
          [key],
        );
        return consumeOutcome(window, undefined, row && { windowStart: Number(row.window_start), used: row.used });
      }),

    addUsage: (userId, metric, count = 1) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_usage (user_id, day, metric, count) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, day, metric) DO UPDATE SET count = ${s}.dd_usage.count + EXCLUDED.count`,
          [userId, utcDay(), metric, count],
        );
      }),
    listUsage: (options = {}) =>
      run(async () => {
        const rows = await query<UsageRow>(
          `SELECT * FROM ${s}.dd_usage WHERE day >= $1 AND ($2::text IS NULL OR user_id = $2) ORDER BY day DESC, user_id, metric`,
          [options.sinceDay ?? '', options.userId ?? null],
        );
        return rows.map(rowToUsage);
      }),
  };
}
