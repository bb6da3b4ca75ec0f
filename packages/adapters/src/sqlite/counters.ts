import type { CounterStorage, UsageStorage } from '@dreamdeck/core/adapter-kit';
import { consumeOutcome, fixedWindow, utcDay } from '@dreamdeck/core/adapter-kit';
import { rowToUsage, type UsageRow } from '../storage-shared/row-codec.js';
import type { SqliteContext } from './sqlite-runner.js';

/** Rate-limit counters (`dd_counters`) and usage counters (`dd_usage`) on SQLite. */
export function createSqliteCounters({ sql, run }: SqliteContext): CounterStorage & UsageStorage {
  return {
    consume: (key, cost, windowMs, limit) =>
      run(() => {
        const window = fixedWindow(Date.now(), windowMs);
        if (cost <= limit) {
          // One statement, so atomic without a transaction (a turn's hottest write): counts the cost
          // when it still fits this window's limit; a counter from an older window starts over.
          const counted = sql(
            `INSERT INTO dd_counters (key, window_start, used) VALUES (@key, @start, @cost)
             ON CONFLICT (key) DO UPDATE SET
               used = CASE WHEN window_start = excluded.window_start THEN used + excluded.used ELSE excluded.used END,
               window_start = excluded.window_start
             WHERE (CASE WHEN window_start = excluded.window_start THEN used ELSE 0 END) + excluded.used <= @limit
             RETURNING used`,
          ).get({ key, start: window.start, cost, limit }) as { used: number } | undefined;
          if (counted) return consumeOutcome(window, counted.used);
        }
        const stored = sql('SELECT window_start AS windowStart, used FROM dd_counters WHERE key = ?').get(key) as
          | { windowStart: number; used: number }
          | undefined;
        return consumeOutcome(window, undefined, stored);
      }),

    addUsage: (userId, metric, count = 1) =>
      run(() => {
        sql(
          `INSERT INTO dd_usage (user_id, day, metric, count) VALUES (?, ?, ?, ?)
           ON CONFLICT (user_id, day, metric) DO UPDATE SET count = count + excluded.count`,
        ).run(userId, utcDay(), metric, count);
      }),
    listUsage: (options = {}) =>
      run(() => {
        const rows = sql(
          `SELECT user_id, day, metric, count FROM dd_usage WHERE day >= @since ${options.userId ? 'AND user_id = @userId' : ''}
             ORDER BY day DESC, user_id, metric`,
        ).all({ since: options.sinceDay ?? '', userId: options.userId }) as UsageRow[];
        return rows.map(rowToUsage);
      }),
  };
}
