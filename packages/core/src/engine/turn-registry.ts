import type { Logger } from '../logging/logger.js';
import { newId } from '../storage/ids.js';
import type { LeaseStorage } from '../storage/storage-adapter.js';
import { type HeldLease, TurnLeases } from './turn-leases.js';

/** One thread taken for one turn (see {@link TurnRegistry.claim}). */
export interface TurnClaim {
  readonly threadId: string;
  readonly turnId: string;
  /** Who started the turn (a `StorySession`). */
  readonly owner: object;
  /** The storage lease, once taken. */
  lease?: HeldLease;
}

/** Options for {@link TurnRegistry}. */
export interface TurnRegistryOptions {
  /** Where the leases live; without the lease methods only this engine's own turns are seen. */
  storage: Partial<LeaseStorage>;
  /** How long a lease outlives a holder that died. */
  leaseMs: number;
  logger: Logger;
}

/**
 * Owns "one turn per thread". In this engine a synchronous map from thread id to the running
 * turn decides at once; across engines sharing the storage a lease (`turn:<threadId>`, held by
 * this engine's id and the turn id) decides, when the storage offers leases. A claim is given
 * back with {@link TurnRegistry.release} however the turn ends.
 */
export class TurnRegistry {
  /** This engine, as lease holders name it. */
  readonly instanceId = newId('engine');
  private readonly claims = new Map<string, TurnClaim>();
  private readonly leases: TurnLeases | undefined;

  /** Uses the storage's leases when it has all three lease methods. */
  constructor(options: TurnRegistryOptions) {
    const { storage } = options;
    this.leases =
      typeof storage.acquireLease === 'function' &&
      typeof storage.renewLease === 'function' &&
      typeof storage.releaseLease === 'function'
        ? new TurnLeases(storage as LeaseStorage, options.leaseMs, options.logger)
        : undefined;
  }

  /** The turn running on `threadId` in this engine, if any. */
  running(threadId: string): TurnClaim | undefined {
    return this.claims.get(threadId);
  }

  /**
   * Takes `threadId` in this engine for `turnId`, at once: the claim, or `undefined` when a turn
   * already runs on it here. Follow with {@link TurnRegistry.lease} before the turn touches the thread.
   */
  claim(threadId: string, turnId: string, owner: object): TurnClaim | undefined {
    if (this.claims.has(threadId)) return undefined;
    const claim: TurnClaim = { threadId, turnId, owner };
    this.claims.set(threadId, claim);
    return claim;
  }

  /**
   * Takes the thread's lease in storage for `claim`: false when another instance runs a turn on
   * it. `onLost` runs if the lease is later found taken by another holder (this process stalled
   * past the TTL). Resolves true at once when the storage has no leases.
   */
  async lease(claim: TurnClaim, onLost: () => void): Promise<boolean> {
    if (!this.leases) return true;
    const lease = await this.leases.acquire(`turn:${claim.threadId}`, `${this.instanceId}:${claim.turnId}`, onLost);
    if (!lease) return false;
    claim.lease = lease;
    return true;
  }

  /** Gives the thread back: releases the lease (if taken), then frees the thread in this engine. */
  async release(claim: TurnClaim): Promise<void> {
    if (claim.lease) await this.leases?.release(claim.lease);
    if (this.claims.get(claim.threadId) === claim) this.claims.delete(claim.threadId);
  }

  /** Stops lease renewal and releases the leases still held (the engine is closing). */
  async close(): Promise<void> {
    await this.leases?.close();
  }
}
