import { describe, expect, it } from 'vitest';
import { createMemoryLeases } from '../adapter-kit/index.js';
import { createLogger } from '../logging/logger.js';
import { TurnRegistry } from './turn-registry.js';

const logger = createLogger({ level: 'silent' });
const owner = {};

describe('TurnRegistry', () => {
  it('claims a thread at once and refuses a second claim until the first is released', async () => {
    const turns = new TurnRegistry({ storage: {}, leaseMs: 30_000, logger });
    const claim = turns.claim('thr_1', 'turn_1', owner);
    expect(claim).toMatchObject({ threadId: 'thr_1', turnId: 'turn_1', owner });
    expect(turns.claim('thr_1', 'turn_2', {})).toBeUndefined();
    expect(turns.claim('thr_2', 'turn_3', owner)).toBeDefined();
    expect(turns.running('thr_1')).toBe(claim);
    await turns.release(claim!);
    expect(turns.running('thr_1')).toBeUndefined();
    expect(turns.claim('thr_1', 'turn_4', owner)).toBeDefined();
  });

  it('without lease methods on the storage, every claim leases at once', async () => {
    const turns = new TurnRegistry({ storage: {}, leaseMs: 30_000, logger });
    const claim = turns.claim('thr_1', 'turn_1', owner)!;
    expect(await turns.lease(claim, () => {})).toBe(true);
    expect(claim.lease).toBeUndefined();
  });

  it('leases `turn:<threadId>` in storage, so a second registry on the same storage is refused until release', async () => {
    const leases = new Map();
    const storage = createMemoryLeases(leases);
    const one = new TurnRegistry({ storage, leaseMs: 30_000, logger });
    const two = new TurnRegistry({ storage, leaseMs: 30_000, logger });
    const first = one.claim('thr_1', 'turn_1', owner)!;
    expect(await one.lease(first, () => {})).toBe(true);
    expect(leases.get('turn:thr_1')).toMatchObject({ holder: `${one.instanceId}:turn_1` });
    const second = two.claim('thr_1', 'turn_2', owner)!;
    expect(await two.lease(second, () => {})).toBe(false);
    await two.release(second);
    expect(leases.get('turn:thr_1')).toMatchObject({ holder: `${one.instanceId}:turn_1` });
    await one.release(first);
    expect(leases.has('turn:thr_1')).toBe(false);
    const third = two.claim('thr_1', 'turn_3', owner)!;
    expect(await two.lease(third, () => {})).toBe(true);
    await two.close();
    expect(leases.has('turn:thr_1')).toBe(false);
  });

  it('releasing a stale claim leaves the thread’s current claim alone', async () => {
    const turns = new TurnRegistry({ storage: {}, leaseMs: 30_000, logger });
    const first = turns.claim('thr_1', 'turn_1', owner)!;
    await turns.release(first);
    const second = turns.claim('thr_1', 'turn_2', owner)!;
    await turns.release(first);
    expect(turns.running('thr_1')).toBe(second);
  });
});
