import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/logger.js';
import type { LeaseStorage } from '../storage/storage-adapter.js';
import { TurnLeases } from './turn-leases.js';

/** A lease storage that records calls and answers as told. */
interface FakeLeaseStorage extends LeaseStorage {
  calls: string[];
  acquireAnswer: boolean;
  renewAnswer: boolean | Error;
  releaseFails: boolean;
}

function fakeStorage(): FakeLeaseStorage {
  const calls: string[] = [];
  const storage: FakeLeaseStorage = {
    calls,
    acquireAnswer: true,
    renewAnswer: true,
    releaseFails: false,
    async acquireLease(key: string, holder: string, ttlMs: number) {
      calls.push(`acquire ${key} ${holder} ${ttlMs}`);
      return storage.acquireAnswer;
    },
    async renewLease(key: string, holder: string, ttlMs: number) {
      calls.push(`renew ${key} ${holder} ${ttlMs}`);
      if (storage.renewAnswer instanceof Error) throw storage.renewAnswer;
      return storage.renewAnswer;
    },
    async releaseLease(key: string, holder: string) {
      calls.push(`release ${key} ${holder}`);
      if (storage.releaseFails) throw new Error('connection reset');
    },
  };
  return storage;
}

describe('TurnLeases', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', write: (line) => lines.push(line) });
  beforeEach(() => {
    lines.length = 0;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews a held lease once per third of its TTL, and stops its timer once none is held', async () => {
    const storage = fakeStorage();
    const leases = new TurnLeases(storage, 30_000, logger);
    const lease = await leases.acquire('turn:t1', 'e:1', () => {});
    expect(lease).toBeDefined();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(storage.calls).toEqual(['acquire turn:t1 e:1 30000']);
    await vi.advanceTimersByTimeAsync(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toEqual([
      'renew turn:t1 e:1 30000',
      'renew turn:t1 e:1 30000',
    ]);
    await leases.release(lease!);
    expect(storage.calls.at(-1)).toBe('release turn:t1 e:1');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toHaveLength(2);
  });

  it('does not renew a lease taken less than a third of its TTL ago', async () => {
    const storage = fakeStorage();
    const leases = new TurnLeases(storage, 30_000, logger);
    await leases.acquire('turn:t1', 'e:1', () => {});
    await vi.advanceTimersByTimeAsync(6_000);
    await leases.acquire('turn:t2', 'e:2', () => {});
    await vi.advanceTimersByTimeAsync(4_000); // tick at 10 s: t2 is 4 s old
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toEqual(['renew turn:t1 e:1 30000']);
    await vi.advanceTimersByTimeAsync(10_000); // tick at 20 s: both are due
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toHaveLength(3);
    await leases.close();
  });

  it('resolves undefined and starts no timer when another holder has the lease', async () => {
    const storage = fakeStorage();
    storage.acquireAnswer = false;
    const leases = new TurnLeases(storage, 30_000, logger);
    expect(await leases.acquire('turn:t1', 'e:1', () => {})).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('calls onLost once when a renewal finds the lease taken, and stops renewing it', async () => {
    const storage = fakeStorage();
    storage.renewAnswer = false;
    const leases = new TurnLeases(storage, 3_000, logger);
    const onLost = vi.fn();
    await leases.acquire('turn:t1', 'e:1', onLost);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(onLost).toHaveBeenCalledTimes(1);
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toHaveLength(1);
    expect(lines.join('')).toContain('turn lease lost');
  });

  it('keeps a lease whose renewal failed and tries again at the next tick', async () => {
    const storage = fakeStorage();
    storage.renewAnswer = new Error('timeout');
    const leases = new TurnLeases(storage, 3_000, logger);
    const onLost = vi.fn();
    await leases.acquire('turn:t1', 'e:1', onLost);
    await vi.advanceTimersByTimeAsync(1_000);
    storage.renewAnswer = true;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(storage.calls.filter((call) => call.startsWith('renew'))).toHaveLength(2);
    expect(onLost).not.toHaveBeenCalled();
    expect(lines.join('')).toContain('turn lease renewal failed');
    await leases.close();
  });

  it('a release that fails is logged, not thrown (the lease expires after its TTL)', async () => {
    const storage = fakeStorage();
    storage.releaseFails = true;
    const leases = new TurnLeases(storage, 3_000, logger);
    const lease = await leases.acquire('turn:t1', 'e:1', () => {});
    await expect(leases.release(lease!)).resolves.toBeUndefined();
    expect(lines.join('')).toContain('not released');
  });

  it('releases a lease once: not again after close, nor one lost to another holder', async () => {
    const storage = fakeStorage();
    const leases = new TurnLeases(storage, 3_000, logger);
    const kept = await leases.acquire('turn:t1', 'e:1', () => {});
    await leases.close();
    await leases.release(kept!);
    storage.renewAnswer = false;
    const lost = await leases.acquire('turn:t2', 'e:2', () => {});
    await vi.advanceTimersByTimeAsync(1_000);
    await leases.release(lost!);
    expect(storage.calls.filter((call) => call.startsWith('release'))).toEqual(['release turn:t1 e:1']);
  });

  it('close releases every lease still held and stops renewing', async () => {
    const storage = fakeStorage();
    const leases = new TurnLeases(storage, 3_000, logger);
    await leases.acquire('turn:t1', 'e:1', () => {});
    await leases.acquire('turn:t2', 'e:2', () => {});
    await leases.close();
    expect(storage.calls.filter((call) => call.startsWith('release')).sort()).toEqual([
      'release turn:t1 e:1',
      'release turn:t2 e:2',
    ]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
