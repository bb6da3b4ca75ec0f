import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { newMessage } from '../story-messages.js';
import { createStoryboardPromptsTask } from './storyboard.js';
import { createTestTurn } from './test-turn.js';

const SCENE =
  'The harbour of Saltmere at dusk. A drowned bell rings under the black water while the lamplighter runs along the pier.';

describe('the storyboard-prompts task', () => {
  it('sketches at most storyboard.maxImages prompts for a scene, telling the player it is sketching', async () => {
    const turn = await createTestTurn({ config: { storyboard: { maxImages: 2 } } });
    const storyboardPrompts = createStoryboardPromptsTask(turn.context);
    const run = await turn.run(() => storyboardPrompts({ threadId: turn.threadId, source: { scene: SCENE } }));
    expect(run.tasks).toEqual(['storyboard-prompts']);
    const prompts = run.result as string[];
    expect(prompts.length).toBeGreaterThanOrEqual(1);
    expect(prompts.length).toBeLessThanOrEqual(2);
    for (const prompt of prompts) expect(prompt.length).toBeGreaterThanOrEqual(3);
    expect(prompts.join(' ')).toMatch(/Saltmere|bell|harbour|pier|lamplighter/i);
    expect(turn.events).toEqual([{ type: 'status', text: 'Sketching the storyboard…' }]);
  });

  it('reads the scene of a stored message, so only its id is checkpointed', async () => {
    const turn = await createTestTurn({ config: { storyboard: { maxImages: 3 } } });
    const narration = newMessage(turn.threadId, turn.turnId, { role: 'assistant', kind: 'narration', content: SCENE });
    await turn.storage.appendMessage(narration);
    const storyboardPrompts = createStoryboardPromptsTask(turn.context);
    const fromMessage = await turn.run(() =>
      storyboardPrompts({ threadId: turn.threadId, source: { messageId: narration.id } }),
    );
    const fromScene = await turn.run(() => storyboardPrompts({ threadId: turn.threadId, source: { scene: SCENE } }));
    expect(fromMessage.result).toEqual(fromScene.result);
  });

  it('falls back to the scene itself, cut to 300 characters on one line, when the model cannot answer', async () => {
    const turn = await createTestTurn({ model: new FakeListChatModel({ responses: ['not a tool call'] }) });
    const storyboardPrompts = createStoryboardPromptsTask(turn.context);
    const long = `${'A wide\n  hall of mirrors. '.repeat(30)}`;
    const run = await turn.run(() => storyboardPrompts({ threadId: turn.threadId, source: { scene: long } }));
    expect(run.result).toEqual([long.replace(/\s+/g, ' ').slice(0, 300)]);
    expect(run.result?.[0]).toHaveLength(300);
  });
});
