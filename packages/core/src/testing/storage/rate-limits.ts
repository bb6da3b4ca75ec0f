import { describe, expect, it } from 'vitest';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

const HOUR = 3_600_000;

/** Cases for the atomic rate-limit counter, concurrency included. */
export function describeRateLimits(context: () => StorageSuiteContext, concurrency = 200): void {
  describe('rate limits', () => {
    it('consume counts cost within the limit and refuses past it', async () => {
      const { adapter, inspect } = context();
      const key = newId('limit');
      const first = await adapter.consume(key, 2, HOUR, 5);
      expect(first).toMatchObject({ allowed: true, used: 2 });
      expect(first.resetInMs).toBeGreaterThan(0);
      expect(first.resetInMs).toBeLessThanOrEqual(HOUR);
      expect(await adapter.consume(key, 3, HOUR, 5)).toMatchObject({ allowed: true, used: 5 });
      expect(await adapter.consume(key, 1, HOUR, 5)).toMatchObject({ allowed: false, used: 5 });
      expect(await inspect.counter(key)).toEqual({ used: 5 });
    });

    it('a refused cost is not counted, a smaller one still fits', async () => {
      const { adapter, inspect } = context();
      const key = newId('limit');
      await adapter.consume(key, 3, HOUR, 5);
      expect(await adapter.consume(key, 3, HOUR, 5)).toMatchObject({ allowed: false, used: 3 });
      expect(await adapter.consume(key, 2, HOUR, 5)).toMatchObject({ allowed: true, used: 5 });
      expect(await inspect.counter(key)).toEqual({ used: 5 });
    });

    it('a cost over the whole limit is refused and not counted', async () => {
      const { adapter, inspect } = context();
      const key = newId('limit');
      expect(await adapter.consume(key, 6, HOUR, 5)).toMatchObject({ allowed: false, used: 0 });
      expect(await adapter.consume(key, 5, HOUR, 5)).toMatchObject({ allowed: true, used: 5 });
      expect(await inspect.counter(key)).toEqual({ used: 5 });
    });

    it('keys are independent', async () => {
      const { adapter, inspect } = context();
      const a = newId('limit');
      const b = newId('limit');
      await adapter.consume(a, 1, HOUR, 1);
      expect(await adapter.consume(b, 1, HOUR, 1)).toMatchObject({ allowed: true, used: 1 });
      expect(await inspect.counter(a)).toEqual({ used: 1 });
      expect(await inspect.counter(b)).toEqual({ used: 1 });
      expect(await inspect.counter(newId('limit'))).toBeNull();
    });

    it(`${concurrency} concurrent consume calls against a limit of 50 grant exactly 50`, async () => {
      const { adapter, inspect } = context();
      const key = newId('limit');
      const results = await Promise.all(Array.from({ length: concurrency }, () => adapter.consume(key, 1, HOUR, 50)));
      expect(results.filter((r) => r.allowed)).toHaveLength(50);
      expect(results.filter((r) => !r.allowed)).toHaveLength(concurrency - 50);
      expect(Math.max(...results.map((r) => r.used))).toBe(50);
      expect(await inspect.counter(key)).toEqual({ used: 50 });
    });
  });
}
