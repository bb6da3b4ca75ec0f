import type { LeaseStorage } from './domains/lease-storage.js';
import { leaseTtlMs } from './record-rules.js';

/** A stored lease: who holds it and until when (`Date.now()` milliseconds). */
export interface MemoryLease {
  /** Who holds it. */
  holder: string;
  /** When it expires (`Date.now()` milliseconds). */
  expiresAt: number;
}

/**
 * {@link LeaseStorage} in process memory, judged by `Date.now()`: what `createMemoryStorage()`
 * uses, and enough for an adapter whose storage only one process ever opens (spread it into the
 * adapter). Each call reads and writes the map synchronously, so it is atomic within the process.
 *
 * @param leases The map to keep leases in (pass your own to inspect it).
 */
export function createMemoryLeases(leases: Map<string, MemoryLease> = new Map()): LeaseStorage {
  const heldBy = (key: string, holder: string): MemoryLease | undefined => {
    const lease = leases.get(key);
    return lease && lease.holder === holder ? lease : undefined;
  };
  return {
    async acquireLease(key, holder, ttlMs) {
      const ttl = leaseTtlMs(ttlMs);
      const now = Date.now();
      const lease = leases.get(key);
      if (lease && lease.holder !== holder && lease.expiresAt > now) return false;
      leases.set(key, { holder, expiresAt: now + ttl });
      return true;
    },
    async renewLease(key, holder, ttlMs) {
      const ttl = leaseTtlMs(ttlMs);
      const now = Date.now();
      const lease = heldBy(key, holder);
      if (!lease) return false;
      lease.expiresAt = now + ttl;
      return true;
    },
    async releaseLease(key, holder) {
      if (heldBy(key, holder)) leases.delete(key);
    },
  };
}
