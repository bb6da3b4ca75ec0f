import type { UsageRecord } from '../../types.js';

/** The result of an atomic rate-limit `consume`. */
export interface ConsumeResult {
  /** Whether the cost fit under the limit (and was counted). */
  allowed: boolean;
  /** Units used in the current window after this call. */
  used: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** Rate-limit counters, shared by every instance on the same storage. */
export interface CounterStorage {
  /**
   * Atomically adds `cost` to the counter `key` for the current fixed window of `windowMs`,
   * only if the total stays within `limit`. Concurrent calls never over-grant.
   */
  consume(key: string, cost: number, windowMs: number, limit: number): Promise<ConsumeResult>;
}

/** Usage counters per user, UTC day and metric (capability `audit`). */
export interface UsageStorage {
  /** Adds `count` (default 1) to today's counter of `metric` for the user. */
  addUsage(userId: string, metric: UsageRecord['metric'], count?: number): Promise<void>;
  /** Stored counters, newest day first. */
  listUsage(options?: { sinceDay?: string; userId?: string }): Promise<UsageRecord[]>;
}

/** The methods of {@link CounterStorage}. */
export const COUNTER_STORAGE_METHODS = ['consume'] as const satisfies ReadonlyArray<keyof CounterStorage>;

/** The methods of {@link UsageStorage}. */
export const USAGE_STORAGE_METHODS = ['addUsage', 'listUsage'] as const satisfies ReadonlyArray<keyof UsageStorage>;
