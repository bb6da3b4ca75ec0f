import { describe, expect, it } from 'vitest';
import { createDreamdeck } from '../dreamdeck.js';
import { DreamdeckError } from '../errors.js';
import { createDemoModel } from '../models/demo-model.js';

describe('session.delete()', () => {
  it("deletes the story and what memory keeps of it; the player's user-wide memories stay", async () => {
    const dd = await createDreamdeck({
      model: createDemoModel({ latencyMs: 0 }),
      env: false,
      config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
    });
    try {
      const session = await dd.openSession({ userId: 'uma' });
      const other = await dd.openSession({ userId: 'uma' });
      await session.send('I carry a brass key from my grandmother').result;
      const kept = await dd.memory.remember('uma', { text: 'Uma prefers no gore', scope: 'user' });
      const ofStory = await dd.memory.remember('uma', {
        text: 'The lighthouse keeper owes Uma a favour',
        scope: 'thread',
        threadId: session.threadId,
      });
      const ofOther = await dd.memory.remember('uma', {
        text: 'The ferryman is afraid of bells',
        scope: 'thread',
        threadId: other.threadId,
      });

      await session.delete();

      expect(await dd.storage.getThread(session.threadId)).toBeNull();
      const left = (await dd.memory.list('uma')).map((record) => record.id);
      expect(left).toContain(kept.id);
      expect(left).toContain(ofOther.id);
      expect(left).not.toContain(ofStory.id);
      expect(await session.summary()).toBeNull();
    } finally {
      await dd.close();
    }
  });

  it('is refused with CONFLICT while a turn runs on the story', async () => {
    const dd = await createDreamdeck({
      model: createDemoModel({ latencyMs: 20 }),
      env: false,
      config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
    });
    try {
      const session = await dd.openSession({ userId: 'uma' });
      const turn = session.send('I wait by the door');
      const refused = await session.delete().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(DreamdeckError.isInstance(refused) && refused.code).toBe('CONFLICT');
      await turn.result;
      expect(await dd.storage.getThread(session.threadId)).not.toBeNull();
    } finally {
      await dd.close();
    }
  });
});
