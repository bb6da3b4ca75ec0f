import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { createDemoModel } from '../../models/demo-model.js';
import type { StoryMessage } from '../../types.js';
import { newMessage } from '../story-messages.js';
import { createNarrateTask, type NarrationRequest } from './narrate.js';
import { createTestTurn, type TestTurn } from './test-turn.js';

/** Stores the player's message of the turn and returns a narration request for it. */
async function playerSays(turn: TestTurn, text: string): Promise<NarrationRequest> {
  const player = newMessage(turn.threadId, turn.turnId, { role: 'user', kind: 'player', content: text });
  await turn.storage.appendMessage(player);
  return {
    threadId: turn.threadId,
    turnId: turn.turnId,
    userId: turn.userId,
    persona: 'storyteller',
    prompt: text,
    before: player.id,
  };
}

const deltas = (turn: TestTurn) => turn.events.flatMap((e) => (e.type === 'message-delta' ? [e.text] : []));

describe('the narrate task', () => {
  it('streams the reply token by token into a stored narration, with the choices it ends on', async () => {
    const turn = await createTestTurn();
    const request = await playerSays(turn, 'I push open the door of the inn');
    const narrate = createNarrateTask(turn.context);
    const run = await turn.run(() => narrate(request));
    expect(run.tasks).toEqual(['narrate']);
    const messageId = run.result?.messageId as string;
    const stored = (await turn.storage.getMessage(messageId)) as StoryMessage;
    expect(stored).toMatchObject({ kind: 'narration', role: 'assistant', status: 'complete', turnId: turn.turnId });
    expect(stored.persona).toBe('storyteller');
    expect(stored.content).toMatch(/offline demo storyteller/);
    expect(stored.parts?.[0]).toMatchObject({ type: 'choices' });
    // the events: start, every token as its own delta, then the stored message
    const types = turn.events.map((e) => e.type);
    expect(types[0]).toBe('message-start');
    expect(types.at(-1)).toBe('message-end');
    expect(types.slice(1, -1).every((type) => type === 'message-delta')).toBe(true);
    expect(turn.events[0]).toMatchObject({ messageId, role: 'assistant', kind: 'narration', persona: 'storyteller' });
    expect(deltas(turn).length).toBeGreaterThan(10);
    expect(deltas(turn).join('')).toBe(stored.content);
    expect(turn.sink.tokens).toBe(deltas(turn).length);
    expect(turn.events.at(-1)).toEqual({ type: 'message-end', message: stored });
    // the turn can wait for the task's last write however the turn ends
    expect(turn.sink.settling).toHaveLength(1);
  });

  it('falls back to the default persona for one that does not exist', async () => {
    const turn = await createTestTurn();
    const request = await playerSays(turn, 'I wait by the fire');
    const narrate = createNarrateTask(turn.context);
    await turn.run(() => narrate({ ...request, persona: 'nobody-by-this-name' }));
    expect(turn.events[0]).toMatchObject({ type: 'message-start', persona: turn.context.config().defaultPersona });
  });

  it('replaces a reply in place, keeping the old text as an alternative', async () => {
    const turn = await createTestTurn();
    const request = await playerSays(turn, 'I ask the innkeeper about the bell');
    const old = newMessage(turn.threadId, 'turn_old', {
      role: 'assistant',
      kind: 'narration',
      persona: 'storyteller',
      content: 'An earlier telling.',
    });
    await turn.storage.appendMessage(old);
    const narrate = createNarrateTask(turn.context);
    const run = await turn.run(() => narrate({ ...request, replace: old.id }));
    expect(run.result).toEqual({ messageId: old.id });
    const stored = (await turn.storage.getMessage(old.id)) as StoryMessage;
    expect(stored.content).toBe(deltas(turn).join(''));
    expect(stored.content).not.toBe('An earlier telling.');
    expect(stored.alternatives).toEqual([
      { content: 'An earlier telling.', createdAt: old.createdAt, status: 'complete' },
    ]);
    expect(await turn.storage.listMessages(turn.threadId)).toHaveLength(2);
  });

  it('reads the story before the player message as the window, and nothing after it', async () => {
    const turn = await createTestTurn();
    const model = createDemoModel({ latencyMs: 0 });
    const seen: string[][] = [];
    const stream = model._streamResponseChunks.bind(model);
    model._streamResponseChunks = ((messages, options, runManager) => {
      seen.push(messages.map((m) => String(m.content)));
      return stream(messages, options, runManager);
    }) as typeof model._streamResponseChunks;
    turn.context.model = () => ({ name: 'demo', model });
    await turn.storage.appendMessage(
      newMessage(turn.threadId, 'turn_0', { role: 'user', kind: 'player', content: 'I light a lantern' }),
    );
    const request = await playerSays(turn, 'I climb the stairs');
    await turn.storage.appendMessage(
      newMessage(turn.threadId, turn.turnId, { role: 'assistant', kind: 'narration', content: 'A later reply.' }),
    );
    const narrate = createNarrateTask(turn.context);
    await turn.run(() => narrate({ ...request, prompt: 'I climb the stairs\nDice: 1d20 → 12' }));
    const [request1] = seen;
    expect(request1?.slice(1)).toEqual(['I light a lantern', 'I climb the stairs\nDice: 1d20 → 12']);
    expect(request1?.[0]).toMatch(/roll dice/);
  });

  it('fails with MODEL_UNAVAILABLE on an empty reply and marks the message error', async () => {
    const turn = await createTestTurn({ model: new FakeListChatModel({ responses: [''] }) });
    const request = await playerSays(turn, 'I wait');
    const narrate = createNarrateTask(turn.context);
    const failure = await turn.run(() => narrate(request)).catch((error: unknown) => error);
    expect(DreamdeckError.isInstance(failure) && failure.code).toBe('MODEL_UNAVAILABLE');
    const [, reply] = await turn.storage.listMessages(turn.threadId);
    expect(reply).toMatchObject({ kind: 'narration', status: 'error', content: '' });
  });

  it('keeps the partial text as aborted when the turn is stopped mid-stream', async () => {
    const turn = await createTestTurn({ model: createDemoModel({ latencyMs: 2 }) });
    const request = await playerSays(turn, 'I sneak down to the cellar');
    const emit = turn.sink.emit;
    turn.sink.emit = (event) => {
      emit(event);
      if (event.type === 'message-delta' && deltas(turn).length === 3) turn.abort();
    };
    const narrate = createNarrateTask(turn.context);
    const failure = await turn.run(() => narrate(request)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    await Promise.all(turn.sink.settling.map((work) => work.catch(() => undefined)));
    const [, reply] = await turn.storage.listMessages(turn.threadId);
    expect(reply?.status).toBe('aborted');
    expect(reply?.content).toBe(deltas(turn).join(''));
    expect(deltas(turn)).toHaveLength(3);
    expect(turn.events.at(-1)).toMatchObject({ type: 'message-end', message: { status: 'aborted' } });
  });
});
