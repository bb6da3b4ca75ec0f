/**
 * Expiring locks shared by every instance on the same storage. The engine holds one per running
 * turn (one turn per thread across server instances); a lease whose holder dies expires after its
 * TTL. Expiry is judged by one clock per storage (PostgreSQL: the server's; SQLite and memory:
 * `Date.now()` of the calling process).
 */
export interface LeaseStorage {
  /** Takes `key` for `holder` for `ttlMs` from now. Resolves true when it is taken: the key was free, its lease had expired, or `holder` already held it (then it is extended). False when another holder's unexpired lease stands. Atomic across processes. */
  acquireLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Extends a lease `holder` holds; false when it no longer holds it (expired and taken by another, or released). */
  renewLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Releases `key` if `holder` holds it; otherwise does nothing. */
  releaseLease(key: string, holder: string): Promise<void>;
}

/** The methods of {@link LeaseStorage}. */
export const LEASE_STORAGE_METHODS = ['acquireLease', 'renewLease', 'releaseLease'] as const satisfies ReadonlyArray<
  keyof LeaseStorage
>;
