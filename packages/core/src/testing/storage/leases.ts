import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { LeaseHolderProcess, StorageSuiteContext } from './storage-inspector.js';

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Waits until the stored lease of `key` has expired by the storage's own clock (at most 10 s). */
async function untilExpired(context: StorageSuiteContext, key: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const lease = await context.inspect.lease(key);
    if (!lease || lease.expiresInMs <= 0) return;
    if (Date.now() > deadline) throw new Error(`lease ${key} did not expire: ${JSON.stringify(lease)}`);
    await sleep(Math.min(lease.expiresInMs + 5, 200));
  }
}

/** Cases for expiring leases (the cross-instance turn lock): exclusive, renewable, releasable, expiring, atomic. */
export function describeLeases(context: () => StorageSuiteContext): void {
  describe('leases', () => {
    it('acquireLease takes a free key; another holder is refused while it stands', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      expect(await inspect.lease(key)).toBeNull();
      expect(await adapter.acquireLease(key, 'instance-a', MINUTE)).toBe(true);
      const stored = await inspect.lease(key);
      expect(stored?.holder).toBe('instance-a');
      expect(stored?.expiresInMs).toBeGreaterThan(MINUTE - 10_000);
      expect(stored?.expiresInMs).toBeLessThanOrEqual(MINUTE);

      expect(await adapter.acquireLease(key, 'instance-b', MINUTE)).toBe(false);
      expect((await inspect.lease(key))?.holder).toBe('instance-a');
      // keys are independent
      expect(await adapter.acquireLease(newId('lease'), 'instance-b', MINUTE)).toBe(true);
    });

    it('the holder acquiring again extends its lease', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      expect(await adapter.acquireLease(key, 'instance-a', 5_000)).toBe(true);
      expect((await inspect.lease(key))?.expiresInMs).toBeLessThanOrEqual(5_000);
      expect(await adapter.acquireLease(key, 'instance-a', MINUTE)).toBe(true);
      const stored = await inspect.lease(key);
      expect(stored?.holder).toBe('instance-a');
      expect(stored?.expiresInMs).toBeGreaterThan(5_000);
    });

    it('renewLease extends the holder’s lease and refuses anyone else', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      await adapter.acquireLease(key, 'instance-a', 5_000);
      expect(await adapter.renewLease(key, 'instance-a', MINUTE)).toBe(true);
      expect((await inspect.lease(key))?.expiresInMs).toBeGreaterThan(5_000);

      expect(await adapter.renewLease(key, 'instance-b', 2 * MINUTE)).toBe(false);
      const stored = await inspect.lease(key);
      expect(stored?.holder).toBe('instance-a');
      expect(stored?.expiresInMs).toBeLessThanOrEqual(MINUTE);

      const unknown = newId('lease');
      expect(await adapter.renewLease(unknown, 'instance-a', MINUTE)).toBe(false);
      expect(await inspect.lease(unknown)).toBeNull();
    });

    it('releaseLease frees the key for another holder', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      await adapter.acquireLease(key, 'instance-a', MINUTE);
      await adapter.releaseLease(key, 'instance-a');
      expect(await inspect.lease(key)).toBeNull();
      expect(await adapter.renewLease(key, 'instance-a', MINUTE)).toBe(false);
      expect(await adapter.acquireLease(key, 'instance-b', MINUTE)).toBe(true);
      expect((await inspect.lease(key))?.holder).toBe('instance-b');
      // releasing a free key does nothing
      await adapter.releaseLease(newId('lease'), 'instance-a');
    });

    it('releaseLease by a holder that does not hold the key does nothing', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      await adapter.acquireLease(key, 'instance-a', MINUTE);
      await adapter.releaseLease(key, 'instance-b');
      expect((await inspect.lease(key))?.holder).toBe('instance-a');
      expect(await adapter.acquireLease(key, 'instance-b', MINUTE)).toBe(false);
    });

    it('an expired lease can be taken by another holder; the old holder can no longer renew or release it', async () => {
      const ctx = context();
      const { adapter, inspect } = ctx;
      const key = newId('lease');
      expect(await adapter.acquireLease(key, 'instance-a', 100)).toBe(true);
      await untilExpired(ctx, key);
      expect(await adapter.acquireLease(key, 'instance-b', MINUTE)).toBe(true);
      expect((await inspect.lease(key))?.holder).toBe('instance-b');
      expect(await adapter.renewLease(key, 'instance-a', MINUTE)).toBe(false);
      await adapter.releaseLease(key, 'instance-a');
      expect((await inspect.lease(key))?.holder).toBe('instance-b');
    });

    it('a TTL that is not a positive number of ms is refused with INVALID_INPUT', async () => {
      const { adapter, inspect } = context();
      const key = newId('lease');
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        const error = await adapter.acquireLease(key, 'instance-a', ttl).catch((e: unknown) => e);
        expect(DreamdeckError.isInstance(error) && error.code).toBe('INVALID_INPUT');
      }
      expect(await inspect.lease(key)).toBeNull();
    });

    it('50 racing acquires of a free key, and of an expired one, have exactly one winner', async () => {
      const ctx = context();
      const { adapter, inspect } = ctx;
      const race = async (key: string, round: string) => {
        const holders = Array.from({ length: 50 }, (_, i) => `${round}-${i}`);
        const results = await Promise.all(holders.map((holder) => adapter.acquireLease(key, holder, MINUTE)));
        const winners = holders.filter((_, i) => results[i]);
        expect(winners).toHaveLength(1);
        expect((await inspect.lease(key))?.holder).toBe(winners[0]);
      };
      const free = newId('lease');
      await race(free, 'first');

      const expired = newId('lease');
      await adapter.acquireLease(expired, 'gone', 100);
      await untilExpired(ctx, expired);
      await race(expired, 'second');
    });

    it('a holder killed mid-turn keeps the lease until its TTL, then another holder takes it', async () => {
      const ctx = context();
      const { adapter, inspect } = ctx;
      const key = newId('lease');
      const ttlMs = 1_500;
      const lease = { key, holder: 'doomed-instance', ttlMs };
      let holder: LeaseHolderProcess;
      if (ctx.spawnLeaseHolder) holder = await ctx.spawnLeaseHolder(lease);
      else {
        // no other process to kill: a holder that acquires and then never renews nor releases
        expect(await adapter.acquireLease(key, lease.holder, ttlMs)).toBe(true);
        holder = { kill: async () => undefined };
      }
      // the lease was taken at or before this moment, so it expires at or before `held + ttlMs`
      const held = Date.now();
      await holder.kill();

      expect((await inspect.lease(key))?.holder).toBe('doomed-instance');
      expect(await adapter.acquireLease(key, 'survivor', MINUTE)).toBe(false);
      await sleep(held + ttlMs - 500 - Date.now());
      expect(await adapter.acquireLease(key, 'survivor', MINUTE)).toBe(false);

      let taken = false;
      while (!taken && Date.now() < held + ttlMs + 5_000) {
        taken = await adapter.acquireLease(key, 'survivor', MINUTE);
        if (!taken) await sleep(50);
      }
      expect(taken).toBe(true);
      expect((await inspect.lease(key))?.holder).toBe('survivor');
    }, 60_000);
  });
}
