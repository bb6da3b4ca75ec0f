import { createHook } from 'node:async_hooks';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { describe, expect, it } from 'vitest';
import { PRUNE_EVERY } from '../src/engine/checkpoint-pruning.js';
import {
  createDemoModel,
  createDreamdeck,
  createMemoryStorage,
  DreamdeckError,
  type StorageAdapter,
  type StoryMessage,
} from '../src/index.js';
import { collect, FlakyModel, HangingModel, quietDreamdeck } from './helpers.js';

const byKind = (messages: StoryMessage[], kind: StoryMessage['kind']) => messages.filter((m) => m.kind === kind);

describe('a story', () => {
  it('plays 20 turns with the demo model, storing every message in order', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    const actions = [
      'I push open the door of the inn',
      'I ask the innkeeper about the bell',
      'I search the room for clues',
      'I sneak down to the cellar',
      'I attack the shadow with my sword',
      'I travel north along the coast road',
    ];
    for (let i = 0; i < 20; i++) {
      const { events, result, text } = await collect(session.send(actions[i % actions.length]!));
      expect(result.status).toBe('complete');
      expect(events[0]).toMatchObject({ type: 'turn-start', threadId: session.threadId });
      expect(events.at(-1)).toMatchObject({ type: 'turn-end', status: 'complete' });
      expect(events.filter((e) => e.type === 'message-delta').length).toBeGreaterThan(10);
      expect(text).toMatch(/What do you do\?/);
      const narration = result.messages.find((m) => m.kind === 'narration')!;
      expect(narration.content).toBe(text);
      expect(narration.status).toBe('complete');
      expect(narration.parts?.[0]).toMatchObject({ type: 'choices' });
    }
    const history = await session.history();
    expect(history).toHaveLength(40);
    expect(history.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(
      Array.from({ length: 20 }, (_, i) => actions[i % actions.length]),
    );
    const replies = byKind(history, 'narration').map((m) => m.content);
    expect(replies[0]).toMatch(/offline demo storyteller/);
    const town = /The story opens in \*\*(\w+)\*\*/.exec(replies[0]!)?.[1];
    expect(town).toBeTruthy();
    await dd.close();
  });

  it('rolls inline dice and weaves the result into the narration', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    const { events, result } = await collect(session.send('I kick the door open. /roll 1d20+3 for strength'));
    const roll = events.find((e) => e.type === 'dice-roll');
    expect(roll).toMatchObject({ type: 'dice-roll', roll: { notation: '1d20+3', reason: 'strength' } });
    const dice = result.messages.find((m) => m.kind === 'dice')!;
    expect(dice.parts?.[0]).toMatchObject({ type: 'dice', roll: { notation: '1d20+3' } });
    expect(result.messages.map((m) => m.kind)).toEqual(['player', 'dice', 'narration']);
    await dd.close();
  });

  it('answers a natural 20 with a triumph and a natural 1 with a mishap', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const text = async (line: string) =>
      (
        await model.invoke([
          { role: 'system', content: 'You are Storyteller GM, the game master' },
          { role: 'user', content: `I leap the gap\n${line}` },
        ])
      ).content;
    expect(await text('Dice: 1d20+3 for jumping → 23 (natural 20)')).toMatch(/natural 20/);
    expect(await text('Dice: 1d20+3 for jumping → 4 (natural 1)')).toMatch(/natural 1/);
  });
});

describe('commands', () => {
  it('/help, unknown commands, /search and /todo answer without the model', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    const help = await collect(session.send('/help'));
    expect(help.result.messages.map((m) => m.kind)).toEqual(['player', 'help']);
    expect(help.text).toContain('/roll');
    const unknown = await collect(session.send('/dance wildly'));
    expect(unknown.text).toContain("I don't know the command `/dance`");
    expect(unknown.text).toContain('/write');
    // images are off here: /help leaves out the command that needs them (issue 22)
    expect(unknown.text).not.toContain('/storyboard');
    // issue 22: no "not available yet" any more
    expect((await collect(session.send('/search bells'))).text).toContain('Web search is switched off');
    expect((await collect(session.send('/todo rope'))).text).toContain("I don't know `/todo rope`");
    expect((await collect(session.send('/todo add rope'))).text).toContain('Added to-do #1: rope');
    await dd.close();
  });

  it('/roll with absurd notation replies INVALID_INPUT and the story goes on', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    for (const notation of ['1000000d6', 'd0', 'banana']) {
      const { result, events } = await collect(session.send(`/roll ${notation}`));
      expect(result.status).toBe('complete');
      expect(events.some((e) => e.type === 'dice-roll')).toBe(false);
      expect(result.messages[1]?.parts?.[0]).toMatchObject({ type: 'error', code: 'INVALID_INPUT' });
    }
    const ok = await collect(session.send('/roll 4d6kh3'));
    expect(ok.events.find((e) => e.type === 'dice-roll')).toMatchObject({ roll: { notation: '4d6kh3' } });
    await dd.close();
  });

  it('/persona lists and switches the persona of the thread', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    const list = await collect(session.send('/persona'));
    for (const id of ['storyteller', 'dungeon-master', 'friend', 'therapist', 'secretary', 'coder', 'lorekeeper']) {
      expect(list.text).toContain(`\`${id}\``);
    }
    expect((await collect(session.send('/persona nobody'))).text).toContain('There is no persona');
    await collect(session.send('/persona friend'));
    expect((await dd.storage.getThread(session.threadId))?.persona).toBe('friend');
    const { result } = await collect(session.send('How are you today?'));
    expect(result.messages.find((m) => m.kind === 'narration')?.persona).toBe('friend');
    await dd.close();
  });

  it('/reset starts a chapter the model no longer sees; /save says how to download everything', async () => {
    const seen: string[][] = [];
    const model = createDemoModel({ latencyMs: 0 });
    model.callbacks = [
      {
        handleChatModelStart: (_model, prompts) => {
          seen.push((prompts[0] ?? []).map((m) => String(m.content)));
        },
      },
    ];
    const dd = await quietDreamdeck({}, { model });
    const session = await dd.openSession({ userId: 'u1' });
    await collect(session.send('I find a silver key'));
    await collect(session.send('/reset'));
    await collect(session.send('I wake up on a ship'));
    const last = seen.at(-1)!.join('\n');
    expect(last).toContain('I wake up on a ship');
    expect(last).not.toContain('silver key');
    const saved = await collect(session.send('/save'));
    expect(saved.text).toContain(`GET /threads/${session.threadId}/export`);
    expect(saved.text).not.toContain('silver key');
    const story = await session.export('markdown');
    expect(story).toContain('silver key');
    expect(story).toContain('I wake up on a ship');
    expect(story).toMatch(/^# /);
    expect(story).not.toContain('/save');
    await dd.close();
  });

  it('/write narrates a passage about the prompt', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    const { result } = await collect(session.send('/write a storm hits the harbour'));
    expect(result.messages.map((m) => m.kind)).toEqual(['player', 'narration']);
    await dd.close();
  });
});

describe('storyboard review', () => {
  it('interrupts for approval, paints on resume(true), and skips on resume(false)', async () => {
    const dd = await quietDreamdeck({ features: { imageGeneration: true, storyboardReview: true } });
    const session = await dd.openSession({ userId: 'u1' });
    const first = await collect(session.send('I climb the lighthouse stairs'));
    expect(first.result.status).toBe('interrupted');
    const interrupt = first.events.find((e) => e.type === 'interrupt');
    expect(interrupt).toMatchObject({ kind: 'approve-storyboard' });
    expect(first.events.at(-1)).toMatchObject({ type: 'turn-end', status: 'interrupted' });
    if (interrupt?.type !== 'interrupt') throw new Error('no interrupt');
    expect(interrupt.options?.length).toBeGreaterThanOrEqual(1);
    expect(await session.pendingInterrupt()).toMatchObject({ interruptId: interrupt.interruptId });

    const stale = await collect(session.resume('int_nope', true));
    expect(stale.result).toMatchObject({ status: 'error', error: { code: 'NOT_FOUND' } });
    const wrongType = await collect(session.resume(interrupt.interruptId, 'yes please'));
    expect(wrongType.result.error?.code).toBe('INVALID_INPUT');

    const painted = await collect(session.resume(interrupt.interruptId, true));
    expect(painted.result.status).toBe('complete');
    const images = painted.events.filter((e) => e.type === 'image');
    expect(images).toHaveLength(interrupt.options!.length);
    expect(painted.events.some((e) => e.type === 'message-delta' && e.text.includes('What do you do'))).toBe(false);
    const board = (await session.history()).find((m) => m.kind === 'storyboard')!;
    expect(board.parts?.filter((p) => p.type === 'image')).toHaveLength(images.length);
    const image = board.parts?.find((p) => p.type === 'image');
    expect(image?.type === 'image' && image.image.url).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await session.pendingInterrupt()).toBeUndefined();
    const again = await collect(session.resume(interrupt.interruptId, true));
    expect(again.result.error?.code).toBe('NOT_FOUND');

    const second = await collect(session.send('I look out to sea'));
    const next = second.events.find((e) => e.type === 'interrupt');
    if (next?.type !== 'interrupt') throw new Error('no interrupt');
    const skipped = await collect(session.resume(next.interruptId, false));
    expect(skipped.result.status).toBe('complete');
    expect(skipped.events.some((e) => e.type === 'image')).toBe(false);
    await dd.close();
  });

  it('a turn that cannot pause reads and writes no checkpoint, and the question it outlived has expired', async () => {
    const dd = await quietDreamdeck({ features: { imageGeneration: true, storyboardReview: true } });
    const session = await dd.openSession({ userId: 'u1' });
    const config = { configurable: { thread_id: session.threadId } };
    const first = await collect(session.send('I climb the lighthouse stairs'));
    const asked = first.events.find((e) => e.type === 'interrupt');
    if (asked?.type !== 'interrupt') throw new Error('no interrupt');
    expect(asked).not.toHaveProperty('turnId');
    const paused = await dd.storage.checkpointer.getTuple(config);
    expect(paused).toBeDefined();

    await dd.flags.set('imageGeneration', false);
    const second = await collect(session.send('I walk back down instead'));
    expect(second.result.status).toBe('complete');
    expect((await dd.storage.checkpointer.getTuple(config))?.checkpoint.id).toBe(paused?.checkpoint.id);
    expect(await session.pendingInterrupt()).toBeUndefined();
    expect((await collect(session.resume(asked.interruptId, true))).result.error?.code).toBe('NOT_FOUND');
    expect((await collect(session.regenerate())).result.status).toBe('complete');
    expect((await dd.storage.checkpointer.getTuple(config))?.checkpoint.id).toBe(paused?.checkpoint.id);
    await dd.close();
  });

  it('a new message while a storyboard waits simply moves the story on', async () => {
    const dd = await quietDreamdeck({ features: { imageGeneration: true } });
    const session = await dd.openSession({ userId: 'u1' });
    expect((await collect(session.send('I climb the stairs'))).result.status).toBe('interrupted');
    const next = await collect(session.send('I keep climbing'));
    expect(next.result.messages.map((m) => m.kind)).toEqual(['player', 'narration']);
    await dd.close();
  });

  it('paints without review when storyboardReview is off, and a failing painter does not stop the story', async () => {
    const dd = await quietDreamdeck(
      { features: { imageGeneration: true, storyboardReview: false } },
      {
        images: {
          name: 'broken',
          generate: async () => {
            throw new Error('GPU on fire');
          },
        },
      },
    );
    const session = await dd.openSession({ userId: 'u1' });
    const { result } = await collect(session.send('I walk to the market'));
    expect(result.status).toBe('complete');
    const board = result.messages.find((m) => m.kind === 'storyboard')!;
    expect(board.status).toBe('error');
    expect(board.content).toContain('could not be painted');
    expect(JSON.stringify(board)).not.toContain('GPU on fire');
    expect((await collect(session.send('I keep walking'))).result.status).toBe('complete');
    await dd.close();
  });
});

describe('failures', () => {
  it('a story deleted while its session is open: the turn ends NOT_FOUND and stores nothing', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    await collect(session.send('I light a lantern'));
    await dd.storage.deleteThread(session.threadId);
    const { events, result } = await collect(session.send('I walk on'));
    expect(result.status).toBe('error');
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'This story no longer exists.',
    });
    expect((await dd.storage.listMessages(session.threadId)).map((m) => m.content)).not.toContain('I walk on');
    await dd.close();
  });

  it('abort mid-stream ends the turn aborted and keeps the partial narration', async () => {
    const dd = await quietDreamdeck({}, { model: createDemoModel({ latencyMs: 5 }) });
    const session = await dd.openSession({ userId: 'u1' });
    const controller = new AbortController();
    const turn = session.send('I draw my sword', { signal: controller.signal });
    let deltas = '';
    const types: string[] = [];
    for await (const event of turn) {
      types.push(event.type);
      if (event.type === 'message-delta') {
        deltas += event.text;
        if (deltas.split(' ').length > 4) controller.abort();
      }
    }
    const result = await turn.result;
    expect(result.status).toBe('aborted');
    expect(types.at(-1)).toBe('turn-end');
    const history = await session.history();
    expect(history[0]).toMatchObject({ role: 'user', content: 'I draw my sword', status: 'complete' });
    expect(history[1]).toMatchObject({ kind: 'narration', status: 'aborted' });
    expect(history[1]!.content.length).toBeGreaterThan(0);
    expect(deltas.startsWith(history[1]!.content)).toBe(true);
    expect(history[1]!.content).not.toContain('What do you do');
    expect((await collect(session.send('I try again'))).result.status).toBe('complete');
    await dd.close();
  });

  it('a model that hangs and ignores abort: stopping still ends the turn and keeps the partial reply', async () => {
    const dd = await quietDreamdeck({}, { model: new HangingModel(['The ', 'door ', 'creaks']) });
    const session = await dd.openSession({ userId: 'u1' });
    const controller = new AbortController();
    const turn = session.send('I open the door', { signal: controller.signal });
    let deltas = 0;
    for await (const event of turn) if (event.type === 'message-delta' && ++deltas === 3) controller.abort();
    expect((await turn.result).status).toBe('aborted');
    const [, reply] = await session.history();
    expect(reply).toMatchObject({ kind: 'narration', status: 'aborted', content: 'The door creaks' });
    await dd.close();
  });

  it('a model that dies mid-stream: error event, player message kept, next turn works', async () => {
    const model = new FlakyModel(['Once ', 'upon ', 'a ', 'time ', 'there ', 'was.'], 3);
    const dd = await quietDreamdeck({}, { model });
    const errors: unknown[] = [];
    dd.events.on('error', (event) => errors.push(event.error.code));
    const session = await dd.openSession({ userId: 'u1' });
    const failed = await collect(session.send('Tell me a story'));
    expect(failed.result.status).toBe('error');
    const error = failed.events.find((e) => e.type === 'error');
    expect(error).toMatchObject({ code: 'MODEL_UNAVAILABLE', retryable: true });
    expect(errors).toEqual(['MODEL_UNAVAILABLE']);
    const history = await session.history();
    expect(history.map((m) => [m.role, m.status, m.content])).toEqual([
      ['user', 'complete', 'Tell me a story'],
      ['assistant', 'error', 'Once upon a '],
    ]);
    model.fail = false;
    const next = await collect(session.send('Please continue'));
    expect(next.result.status).toBe('complete');
    expect(next.text).toBe('Once upon a time there was.');
    await dd.close();
  });

  it('rejects empty and over-long input with INVALID_INPUT and strips control characters', async () => {
    const dd = await quietDreamdeck({ input: { maxLength: 50 } });
    const session = await dd.openSession({ userId: 'u1' });
    for (const bad of ['', '   \n ', '\u0000\u0007', 'x'.repeat(51)]) {
      expect(() => session.send(bad)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    }
    const { result } = await collect(session.send('I wave\u0000\u001b hello\u0007'));
    expect(result.messages[0]?.content).toBe('I wave hello');
    await dd.close();
  });

  it('limits turns per minute per user with RATE_LIMITED and a retry time', async () => {
    const dd = await quietDreamdeck({ limits: { turnsPerMinute: 2 } });
    const limited: unknown[] = [];
    dd.events.on('rate-limited', (event) => limited.push(event));
    const session = await dd.openSession({ userId: 'u1' });
    await collect(session.send('one'));
    await collect(session.send('two'));
    const third = await collect(session.send('three'));
    expect(third.result.status).toBe('error');
    expect(third.result.error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect((third.result.error as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0);
    expect(limited).toHaveLength(1);
    expect((await session.history()).map((m) => m.content)).not.toContain('three');
    const other = await dd.openSession({ userId: 'u2' });
    expect((await collect(other.send('hello'))).result.status).toBe('complete');
    await dd.close();
  });

  it('a router that fails falls back to narration', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    model.withStructuredOutput = (() => {
      throw new Error('no structured output here');
    }) as never;
    const dd = await quietDreamdeck({}, { model });
    const session = await dd.openSession({ userId: 'u1' });
    const { result } = await collect(session.send('paint me the legend of the harbour'));
    expect(result.messages.map((m) => m.kind)).toEqual(['player', 'narration']);
    await dd.close();
  });

  it('one turn at a time per session', async () => {
    const dd = await quietDreamdeck({}, { model: createDemoModel({ latencyMs: 2 }) });
    const session = await dd.openSession({ userId: 'u1' });
    const first = session.send('hello');
    expect(() => session.send('again')).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT' }));
    await first.result;
    await dd.close();
  });
});

describe('regenerate', () => {
  it('rewrites the latest reply and keeps the old one as an alternative', async () => {
    const dd = await quietDreamdeck();
    const session = await dd.openSession({ userId: 'u1' });
    await collect(session.send('I open the chest'));
    const before = (await session.history()).find((m) => m.kind === 'narration')!;
    const again = await collect(session.regenerate());
    expect(again.result.status).toBe('complete');
    expect(again.events.find((e) => e.type === 'message-start')).toMatchObject({ messageId: before.id });
    const after = (await dd.storage.getMessage(before.id))!;
    expect(after.content).toBe(again.text);
    expect(after.alternatives).toEqual([expect.objectContaining({ content: before.content, status: 'complete' })]);
    expect(await session.history()).toHaveLength(2);
    await collect(session.send('I close it again'));
    const error = await collect(session.regenerate(before.id));
    expect(error.result.error?.code).toBe('INVALID_INPUT');
    expect((await collect(session.regenerate('msg_missing'))).result.error?.code).toBe('NOT_FOUND');
    await dd.close();
  });
});

describe('sessions and storage', () => {
  it("never opens another user's thread", async () => {
    const dd = await quietDreamdeck();
    const mine = await dd.openSession({ userId: 'alice' });
    await expect(dd.openSession({ userId: 'mallory', threadId: mine.threadId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const again = await dd.openSession({ userId: 'alice', threadId: mine.threadId });
    expect(again.threadId).toBe(mine.threadId);
    await dd.close();
  });

  it('names every missing storage method', async () => {
    const storage = createMemoryStorage() as Partial<StorageAdapter>;
    delete storage.consume;
    delete storage.searchKnowledge;
    const error = await createDreamdeck({ storage: storage as StorageAdapter, env: false }).catch((e: unknown) => e);
    expect(DreamdeckError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain('consume');
    expect((error as Error).message).toContain('searchKnowledge (capability knowledge)');
  });

  /** Turns that may pause (storyboards reviewed) are checkpointed; `auto: false` keeps them from pausing. */
  const checkpointedTurns = () =>
    quietDreamdeck({ features: { imageGeneration: true, storyboardReview: true }, storyboard: { auto: false } });

  it('keeps history out of the checkpoint: its size stays flat as the thread grows', async () => {
    const dd = await checkpointedTurns();
    const session = await dd.openSession({ userId: 'u1' });
    const config = { configurable: { thread_id: session.threadId } };
    const size = async () => JSON.stringify((await dd.storage.checkpointer.getTuple(config))?.checkpoint).length;
    for (let i = 0; i < 3; i++) await collect(session.send(`turn ${i}`));
    const early = await size();
    for (let i = 3; i < 30; i++) await collect(session.send(`turn ${i}`));
    const late = await size();
    expect(late).toBeLessThan(early * 1.5);
    await dd.close();
  });

  it(`prunes a thread's old checkpoints every ${PRUNE_EVERY} finished turns`, async () => {
    const dd = await checkpointedTurns();
    const session = await dd.openSession({ userId: 'u1' });
    const count = async () => {
      let n = 0;
      for await (const _ of dd.storage.checkpointer.list({ configurable: { thread_id: session.threadId } })) n++;
      return n;
    };
    const counts: number[] = [];
    for (let i = 0; i < PRUNE_EVERY * 2; i++) {
      await collect(session.send(`turn ${i}`));
      counts.push(await count());
    }
    expect(counts.slice(0, PRUNE_EVERY)).toEqual([...Array.from({ length: PRUNE_EVERY - 1 }, (_, i) => i + 1), 1]);
    expect(counts.at(-1)).toBe(1);
    expect(Math.max(...counts)).toBe(PRUNE_EVERY);
    await dd.close();
  });

  // Regression: the entrypoint was given the storage adapter's store, and LangGraph JS wraps a run's
  // store in an AsyncBatchedStore that polls with setTimeout(0) for as long as the run lasts. 1,000
  // streams waiting on a slow model kept 70% of a core busy doing nothing.
  it('a turn waiting on the model sets no polling timers', async () => {
    const dd = await quietDreamdeck({}, { model: createDemoModel({ latencyMs: 60_000 }) });
    const session = await dd.openSession({ userId: 'u1' });
    const controller = new AbortController();
    const turn = session.send('I wait for the ferry.', { signal: controller.signal });
    const iterator = turn[Symbol.asyncIterator]();
    while ((await iterator.next()).value?.type !== 'message-start');
    let timers = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'Timeout') timers++;
      },
    }).enable();
    await new Promise((resolve) => setTimeout(resolve, 300));
    hook.disable();
    // the wait itself is one timer; a poll loop makes one per millisecond (about 300 here)
    expect(timers).toBeLessThan(10);
    controller.abort();
    expect((await turn.result).status).toBe('aborted');
    await dd.close();
  });

  it('accepts any LangChain chat model as it is', async () => {
    const dd = await quietDreamdeck({}, { model: new FakeListChatModel({ responses: ['The fog lifts.'] }) });
    const session = await dd.openSession({ userId: 'u1' });
    const { text, result } = await collect(session.send('I wait'));
    expect(result.status).toBe('complete');
    expect(text).toBe('The fog lifts.');
    expect(dd.model.name).toBe('langchain:fake-list');
    await dd.close();
  });

  it('emits turn events and reloads config, keeping the old one when the new one is invalid', async () => {
    const dd = await quietDreamdeck();
    const seen: string[] = [];
    dd.events.on('turn-start', () => seen.push('start'));
    dd.events.on('turn-end', (event) => seen.push(`end:${event.status}:${event.tokens > 0}`));
    const session = await dd.openSession({ userId: 'u1' });
    await collect(session.send('hello'));
    expect(seen).toEqual(['start', 'end:complete:true']);
    await dd.reloadConfig({ limits: { turnsPerMinute: 3 }, logging: { level: 'silent' } });
    expect(dd.config.limits.turnsPerMinute).toBe(3);
    await expect(dd.reloadConfig({ limits: { turnsPerMinute: 0 } })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(dd.config.limits.turnsPerMinute).toBe(3);
    await dd.close();
  });

  it('turns flags off per feature (dice)', async () => {
    const dd = await quietDreamdeck();
    await dd.flags.set('diceRolling', false);
    const session = await dd.openSession({ userId: 'u1' });
    const { result, events } = await collect(session.send('/roll 1d20'));
    expect(events.some((e) => e.type === 'dice-roll')).toBe(false);
    expect(result.messages[1]?.parts?.[0]).toMatchObject({ type: 'error', code: 'FEATURE_DISABLED' });
    await dd.close();
  });
});

describe('config file watching', () => {
  it('applies valid edits to the config file and ignores invalid ones', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'dd-watch-')), 'dreamdeck.yaml');
    writeFileSync(file, 'limits:\n  turnsPerMinute: 5\nlogging:\n  level: silent\n');
    const dd = await createDreamdeck({ configFile: file, env: false, watchConfig: true });
    expect(dd.config.limits.turnsPerMinute).toBe(5);
    const reloaded = new Promise((resolve) => dd.events.once('config-reload', resolve));
    writeFileSync(file, 'limits:\n  turnsPerMinute: 9\nlogging:\n  level: silent\n');
    expect(await reloaded).toEqual({ ok: true });
    expect(dd.config.limits.turnsPerMinute).toBe(9);
    const rejected = new Promise((resolve) => dd.events.once('config-reload', resolve));
    writeFileSync(file, 'limits:\n  turnsPerMinute: -3\n');
    expect(await rejected).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID' } });
    expect(dd.config.limits.turnsPerMinute).toBe(9);
    await dd.close();
  });
});
