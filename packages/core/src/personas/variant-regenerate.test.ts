import type { BaseMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { createDreamdeck } from '../dreamdeck.js';
import { DemoChatModel } from '../models/demo-model.js';
import { assignVariant } from './prompt-variants.js';

/** The demo model, noting the system prompt of each narration it streams. */
class RecordingModel extends DemoChatModel {
  readonly systems: string[] = [];
  override async *_streamResponseChunks(messages: BaseMessage[], ...rest: [never, never?]) {
    const system = messages.find((message) => message.getType() === 'system');
    if (system) this.systems.push(String(system.content));
    yield* super._streamResponseChunks(messages, ...rest);
  }
}

describe('prompt variants on regenerate', () => {
  it('a reply regenerated after a promotion is written again in the variant it records', async () => {
    const model = new RecordingModel({ latencyMs: 0 });
    const dd = await createDreamdeck({
      model,
      env: false,
      config: {
        logging: { level: 'silent' },
        features: { imageGeneration: false },
        memory: { extract: false },
        personas: {
          bard: {
            name: 'Bard',
            prompt: 'BASE',
            variants: [
              { id: 'one', prompt: 'VARIANT ONE' },
              { id: 'two', prompt: 'VARIANT TWO' },
            ],
          },
        },
        defaultPersona: 'bard',
      },
    });
    try {
      const persona = dd.personas().find((p) => p.id === 'bard')!;
      // a story the hash gives variant `one`
      let session = await dd.openSession({ userId: 'ivy' });
      while (assignVariant(persona, session.threadId)?.id !== 'one') session = await dd.openSession({ userId: 'ivy' });
      const told = await session.send('I sing').result;
      expect(told.messages.find((m) => m.kind === 'narration')?.variant).toBe('one');
      expect(model.systems.at(-1)).toContain('VARIANT ONE');

      await dd.variants.promote('bard', 'two');
      const again = await session.regenerate().result;
      expect(again.status).toBe('complete');
      expect(again.messages.find((m) => m.kind === 'narration')?.variant).toBe('one');
      expect(model.systems.at(-1)).toContain('VARIANT ONE');
      // a new reply in the same story follows the promotion
      const next = await session.send('I sing again').result;
      expect(next.messages.find((m) => m.kind === 'narration')?.variant).toBe('two');
      expect(model.systems.at(-1)).toContain('VARIANT TWO');
    } finally {
      await dd.close();
    }
  });
});
