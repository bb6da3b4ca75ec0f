import { describe, expect, it } from 'vitest';
import type { Persona } from './personas.js';
import { assignVariant, fnv1a, personaWithVariant, wilsonInterval } from './prompt-variants.js';

const persona: Persona = {
  id: 'bard',
  name: 'Bard',
  description: '',
  icon: '🎻',
  prompt: 'base',
  variants: [
    { id: 'a', prompt: 'A' },
    { id: 'b', prompt: 'B' },
    { id: 'c', prompt: 'C' },
  ],
};

describe('assignVariant', () => {
  it('is deterministic per thread and spreads threads over the variants', () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 3000; index++) {
      const threadId = `thr_${index.toString(36)}x${(index * 7919).toString(36)}`;
      const variant = assignVariant(persona, threadId)!.id;
      expect(assignVariant(persona, threadId)!.id).toBe(variant);
      counts.set(variant, (counts.get(variant) ?? 0) + 1);
    }
    // each of 3 arms gets roughly a third (a fixed input, so this is exact on every run)
    for (const id of ['a', 'b', 'c']) expect(counts.get(id)).toBeGreaterThan(850);
  });

  it('uses the promoted variant when it exists, and nothing without variants', () => {
    expect(assignVariant(persona, 'thr_1', 'b')?.id).toBe('b');
    expect(assignVariant(persona, 'thr_1', 'gone')?.id).toBe(assignVariant(persona, 'thr_1')?.id);
    expect(assignVariant({ ...persona, variants: undefined }, 'thr_1')).toBeUndefined();
  });

  it('hashes with 32-bit FNV-1a', () => {
    // reference values of FNV-1a 32
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('derives one persona object per variant, with its prompt', () => {
    const variant = persona.variants![1]!;
    const derived = personaWithVariant(persona, variant);
    expect(derived.prompt).toBe('B');
    expect(derived.name).toBe('Bard');
    expect(personaWithVariant(persona, variant)).toBe(derived);
  });
});

describe('wilsonInterval', () => {
  it('matches the published 95% Wilson score interval', () => {
    // 8 of 10: [0.4902, 0.9433]; 50 of 100: [0.4038, 0.5962]
    expect(wilsonInterval(8, 2)).toEqual({ lower: 0.4902, upper: 0.9433 });
    expect(wilsonInterval(50, 50)).toEqual({ lower: 0.4038, upper: 0.5962 });
    expect(wilsonInterval(0, 5)).toEqual({ lower: 0, upper: 0.4345 });
    expect(wilsonInterval(5, 0)).toEqual({ lower: 0.5655, upper: 1 });
  });

  it('knows nothing without votes', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
});
