import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/config-schema.js';
import type { AssembledPrompt } from './prompt-assembly.js';
import { planUpkeep } from './upkeep-plan.js';

const config = configSchema.parse({});

/** A prompt early in a story: a small window, nothing due yet. */
const early = {
  window: { entries: [], tokens: 200, read: 4, stop: 'start', overflow: false, stored: [] },
  promptTokens: 20,
  count: (text: string) => Math.ceil(text.length / 4),
  state: {},
} as unknown as AssembledPrompt;

describe('planUpkeep', () => {
  it('extracts at once when the player states something about themselves, not when they ask about it', () => {
    expect(planUpkeep(config, early, 'The GM answers.', 'My sister is called Lena.').extract).toBe(true);
    expect(planUpkeep(config, early, 'The GM answers.', 'I carry a brass astrolabe').extract).toBe(true);
    expect(planUpkeep(config, early, 'The GM answers.', "What is my sister's name?").extract).toBe(false);
    expect(planUpkeep(config, early, 'The GM answers.', 'Do I still carry my astrolabe? ').extract).toBe(false);
    expect(planUpkeep(config, early, 'The GM answers.', 'I walk to the inn.').extract).toBe(false);
  });
});
