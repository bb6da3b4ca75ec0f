import type { EventEmitter } from 'eventemitter3';
import pLimit, { type LimitFunction } from 'p-limit';
import type { DreamdeckConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { DreamdeckEvents } from '../events.js';
import { writeAudit } from '../storage/audit-log.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/** The per-user limits. */
export type LimitName = 'turnsPerMinute' | 'imagesPerMinute' | 'apiCallsPerHour';

const WINDOWS: Record<LimitName, number> = {
  turnsPerMinute: 60_000,
  imagesPerMinute: 60_000,
  apiCallsPerHour: 3_600_000,
};

/**
 * Per-user rate limits on the storage adapter's atomic counters (so they hold across server
 * instances) and a process-wide image concurrency cap.
 */
export class RateLimiter {
  private imageLimit: LimitFunction;

  /** Used by `createDreamdeck`; reach it as `dd.limits`. */
  constructor(
    private readonly storage: StorageAdapter,
    private readonly config: () => DreamdeckConfig,
    private readonly events: EventEmitter<DreamdeckEvents>,
  ) {
    this.imageLimit = pLimit(config().limits.imageConcurrency);
  }

  /**
   * Spends `cost` of a user's limit. Throws `RATE_LIMITED` (with `retryAfterMs`) when it does not
   * fit; the hit is emitted as `rate-limited` and recorded as an audit event (within config
   * `audit.refusalsPerUserPerHour`).
   */
  async consume(userId: string, limit: LimitName, cost = 1): Promise<void> {
    const max = this.config().limits[limit];
    const result = await this.storage.consume(`${limit}:${userId}`, cost, WINDOWS[limit], max);
    if (result.allowed) return;
    const retryAfterMs = Math.max(1, result.resetInMs);
    this.events.emit('rate-limited', { userId, limit, retryAfterMs });
    await writeAudit(this.storage, this.config().audit, { type: 'rate-limited', userId, detail: { limit, max } });
    await this.storage.addUsage?.(userId, 'rate-limited');
    const what = limit === 'imagesPerMinute' ? 'images' : limit === 'turnsPerMinute' ? 'turns' : 'requests';
    throw new DreamdeckError(
      'RATE_LIMITED',
      `You're going a little fast: the limit is ${max} ${what} per ${limit === 'apiCallsPerHour' ? 'hour' : 'minute'}. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`,
      { retryAfterMs, details: { limit, max } },
    );
  }

  /** Runs `job` within the process-wide image concurrency cap. */
  runImage<T>(job: () => Promise<T>): Promise<T> {
    if (this.imageLimit.concurrency !== this.config().limits.imageConcurrency) {
      this.imageLimit.concurrency = this.config().limits.imageConcurrency;
    }
    return this.imageLimit(job);
  }
}
