import { describe, expect, it } from 'vitest';
import { quietDreamdeck } from '../../test/helpers.js';

describe('feature flags', () => {
  it("reads a user's own toggles at most once per refresh period, and sees changes made elsewhere after it", async () => {
    const dd = await quietDreamdeck({ features: { diceRolling: true } });
    let reads = 0;
    const read = dd.storage.getFlagOverrides.bind(dd.storage);
    dd.storage.getFlagOverrides = (scope) => {
      if (scope?.userId) reads++;
      return read(scope);
    };
    for (let i = 0; i < 5; i++) expect(await dd.flags.isEnabled('diceRolling', { userId: 'u1' })).toBe(true);
    expect(reads).toBe(1);
    // another instance writes the toggle straight to the shared storage
    await dd.storage.setFlagOverride('diceRolling', false, { userId: 'u1' });
    expect(await dd.flags.isEnabled('diceRolling', { userId: 'u1' })).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, dd.flags.refreshMs + 20));
    expect(await dd.flags.isEnabled('diceRolling', { userId: 'u1' })).toBe(false);
    expect(reads).toBe(2);
    await dd.close();
  });

  it("applies a user's own toggle made through this instance at once", async () => {
    const dd = await quietDreamdeck({ features: { diceRolling: true } });
    expect(await dd.flags.isEnabled('diceRolling', { userId: 'u1' })).toBe(true);
    await dd.flags.set('diceRolling', false, { userId: 'u1' });
    expect(await dd.flags.isEnabled('diceRolling', { userId: 'u1' })).toBe(false);
    expect(await dd.flags.isEnabled('diceRolling', { userId: 'u2' })).toBe(true);
    await dd.close();
  });
});
