import { describe, expect, it } from 'vitest';
import { createDreamdeck } from '../dreamdeck.js';
import { createDemoModel } from '../models/demo-model.js';
import { createMemoryStorage } from '../storage/memory-storage.js';

const surveys = [
  { id: 'early', after: { turns: 1 }, questions: [{ id: 'fun', kind: 'rating' as const, prompt: 'Fun?' }] },
  { id: 'later', after: { turns: 3 }, questions: [{ id: 'more', kind: 'text' as const, prompt: 'More of?' }] },
];

describe('when surveys are asked', () => {
  it("counts a player's turns across stories and asks each survey once, at its turn", async () => {
    const dd = await createDreamdeck({
      model: createDemoModel({ latencyMs: 0 }),
      env: false,
      config: { logging: { level: 'silent' }, features: { imageGeneration: false }, surveys },
    });
    try {
      const first = await dd.openSession({ userId: 'kai' });
      expect((await first.send('Hello').result).interrupt?.survey?.id).toBe('early');
      const second = await dd.openSession({ userId: 'kai' });
      expect((await second.send('Hello there').result).interrupt).toBeUndefined();
      expect((await first.send('Onwards').result).interrupt?.survey?.id).toBe('later');
      for (let turn = 0; turn < 3; turn++) expect((await second.send('Still here').result).interrupt).toBeUndefined();
      // another player has a count of their own
      const other = await dd.openSession({ userId: 'lea' });
      expect((await other.send('Hi').result).interrupt?.survey?.id).toBe('early');
    } finally {
      await dd.close();
    }
  });

  it('after a storyboard review in the same turn: the storyboard is asked first, then the survey', async () => {
    const dd = await createDreamdeck({
      model: createDemoModel({ latencyMs: 0 }),
      env: false,
      // the defaults: images on, storyboards reviewed before painting
      config: { logging: { level: 'silent' }, surveys },
    });
    try {
      const session = await dd.openSession({ userId: 'mo' });
      const first = await session.send('I enter the ruined chapel').result;
      expect(first.interrupt?.kind).toBe('approve-storyboard');
      const painted = await session.resume(first.interrupt!.interruptId, true).result;
      expect(painted.status).toBe('interrupted');
      expect(painted.messages.some((m) => m.kind === 'storyboard')).toBe(true);
      expect(painted.interrupt?.kind).toBe('survey');
      expect((await session.pendingInterrupt())?.kind).toBe('survey');
      const answered = await session.resume(painted.interrupt!.interruptId, { fun: 5 }).result;
      expect(answered.status).toBe('complete');
      expect(await dd.surveys.response('mo', 'early')).toMatchObject({ answers: { fun: 5 } });
      expect(await session.pendingInterrupt()).toBeUndefined();
    } finally {
      await dd.close();
    }
  });

  it('a failing survey counter is logged and never fails the turn', async () => {
    const storage = createMemoryStorage();
    storage.consume = async (key, ...rest) => {
      if (key.startsWith('survey-turns:')) throw new Error('counter down');
      return createMemoryStorage().consume(key, ...rest);
    };
    const warnings: string[] = [];
    const logger = {
      level: 'warn',
      trace: () => undefined,
      debug: () => undefined,
      info: () => undefined,
      warn: (_object: unknown, message?: string) => void warnings.push(String(message)),
      error: () => undefined,
      fatal: () => undefined,
      child() {
        return this;
      },
    };
    const dd = await createDreamdeck({
      storage,
      logger,
      model: createDemoModel({ latencyMs: 0 }),
      env: false,
      config: { features: { imageGeneration: false }, surveys },
    });
    try {
      const session = await dd.openSession({ userId: 'kai' });
      const result = await session.send('Hello').result;
      expect(result.status).toBe('complete');
      expect(result.interrupt).toBeUndefined();
      expect(warnings).toContain('survey check failed; no survey this turn');
    } finally {
      await dd.close();
    }
  });
});
