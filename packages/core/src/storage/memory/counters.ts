import type { CounterStorage, UsageStorage } from '../domains/counter-storage.js';
import { fixedWindow, utcDay } from '../ids.js';
import { consumeOutcome } from '../record-rules.js';
import { clone, type MemoryStorageRaw } from './memory-raw.js';

/** Rate-limit counters and usage counters in memory. */
export function createMemoryCounters(raw: MemoryStorageRaw): CounterStorage & UsageStorage {
  return {
    async consume(key, cost, windowMs, limit) {
      const window = fixedWindow(Date.now(), windowMs);
      const counter = raw.counters.get(key);
      const used = counter && counter.windowStart === window.start ? counter.used : 0;
      if (used + cost > limit) return consumeOutcome(window, undefined, counter);
      raw.counters.set(key, { windowStart: window.start, used: used + cost });
      return consumeOutcome(window, used + cost);
    },
    async addUsage(userId, metric, count = 1) {
      const day = utcDay();
      const key = `${userId}\u0000${day}\u0000${metric}`;
      const row = raw.usage.get(key) ?? { userId, day, metric, count: 0 };
      row.count += count;
      raw.usage.set(key, row);
    },
    async listUsage(options = {}) {
      return [...raw.usage.values()]
        .filter(
          (row) =>
            (!options.sinceDay || row.day >= options.sinceDay) && (!options.userId || row.userId === options.userId),
        )
        .sort(
          (a, b) => b.day.localeCompare(a.day) || a.userId.localeCompare(b.userId) || a.metric.localeCompare(b.metric),
        )
        .map(clone);
    },
  };
}
