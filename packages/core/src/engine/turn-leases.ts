import type { Logger } from '../logging/logger.js';
import type { LeaseStorage } from '../storage/storage-adapter.js';

/** How long a turn's lease outlives an instance that died mid-turn, by default. */
export const DEFAULT_TURN_LEASE_MS = 30_000;

/** A lease this engine holds in storage, renewed while its turn runs. */
export interface HeldLease {
  readonly key: string;
  readonly holder: string;
  /** `Date.now()` when it was last taken or extended. */
  renewedAt: number;
  /** Called once if a renewal finds the lease taken by another holder. */
  readonly onLost: () => void;
}

/**
 * The storage half of the turn lock: leases that every instance sharing the storage sees. Each
 * running turn holds one; one timer per engine (unref'd, running only while leases are held)
 * extends those older than a third of the TTL, so a turn shorter than that never renews and a
 * holder that dies frees its threads after at most one TTL.
 */
export class TurnLeases {
  private readonly held = new Set<HeldLease>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private renewing = false;
  private readonly period: number;

  /** Leases live `ttlMs` in `storage`; `logger` hears about failed renewals and releases. */
  constructor(
    private readonly storage: LeaseStorage,
    private readonly ttlMs: number,
    private readonly logger: Logger,
  ) {
    this.period = Math.max(1, Math.floor(ttlMs / 3));
  }

  /**
   * Takes `key` for `holder`. Resolves the held lease, or `undefined` when another holder's
   * unexpired lease stands. A storage failure rejects (the turn cannot know the thread is free).
   */
  async acquire(key: string, holder: string, onLost: () => void): Promise<HeldLease | undefined> {
    if (!(await this.storage.acquireLease(key, holder, this.ttlMs))) return undefined;
    const lease: HeldLease = { key, holder, renewedAt: Date.now(), onLost };
    this.held.add(lease);
    if (!this.timer) {
      this.timer = setInterval(() => void this.renewDue(), this.period);
      this.timer.unref?.();
    }
    return lease;
  }

  /**
   * Releases `lease` if it is still held (not lost to another holder, not released by
   * {@link TurnLeases.close}). Never rejects: a lease that cannot be released expires after its TTL.
   */
  async release(lease: HeldLease): Promise<void> {
    if (!this.held.delete(lease)) return;
    try {
      await this.storage.releaseLease(lease.key, lease.holder);
    } catch (error) {
      this.logger.warn({ err: error, key: lease.key }, 'turn lease not released; it expires after its TTL');
    }
  }

  /** Stops renewing and releases every lease still held. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.held].map((lease) => this.release(lease)));
  }

  /** Extends the leases taken or extended at least a third of the TTL ago; stops the timer when none are held. */
  private async renewDue(): Promise<void> {
    if (this.held.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.renewing) return;
    this.renewing = true;
    const now = Date.now();
    const due = [...this.held].filter((lease) => now - lease.renewedAt >= this.period);
    await Promise.all(due.map((lease) => this.renew(lease, now)));
    this.renewing = false;
  }

  private async renew(lease: HeldLease, now: number): Promise<void> {
    try {
      const kept = await this.storage.renewLease(lease.key, lease.holder, this.ttlMs);
      if (!this.held.has(lease)) return; // released meanwhile
      if (kept) {
        lease.renewedAt = now;
        return;
      }
      this.held.delete(lease);
      this.logger.warn({ key: lease.key, holder: lease.holder }, 'turn lease lost to another holder');
      lease.onLost();
    } catch (error) {
      // kept: the next tick tries again, well before the lease expires
      this.logger.warn({ err: error, key: lease.key }, 'turn lease renewal failed');
    }
  }
}
