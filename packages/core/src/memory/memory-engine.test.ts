import type { BaseMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import type { DreamdeckConfigInput } from '../config/config-schema.js';
import { createDreamdeck, type Dreamdeck } from '../dreamdeck.js';
import { DemoChatModel } from '../models/demo-model.js';
import type { StorySession } from '../session.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import type { TurnEvent } from '../types.js';
import { memoryNamespace } from './memory-book.js';

/** The demo model, with memory work (fact extraction, summaries) failing while `failing` is set, and every narration prompt recorded. */
class FlakyDemo extends DemoChatModel {
  failing = false;
  prompts: BaseMessage[][] = [];
  override reply(messages: BaseMessage[], options: Parameters<DemoChatModel['reply']>[1]) {
    const tool = options.tools?.[0];
    const name = tool?.function?.name ?? tool?.name;
    if (this.failing && (name === 'extract_memories' || name === 'summarize_story'))
      throw new Error('the memory model is down');
    if (!tool) this.prompts.push(messages);
    return super.reply(messages, options);
  }
}

async function engine(memory: DreamdeckConfigInput['memory'] = {}, model = new FlakyDemo({ latencyMs: 0 })) {
  const storage = createMemoryStorage();
  const dd = await createDreamdeck({
    storage,
    model,
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
      memory,
    },
  });
  return { dd, storage, model };
}

async function play(session: StorySession, text: string) {
  const turn = session.send(text);
  const errors: unknown[] = [];
  for await (const event of turn) if (event.type === 'error') errors.push(event);
  const result = await turn.result;
  expect({ status: result.status, errors }).toEqual({ status: 'complete', errors: [] });
  return result;
}

const texts = async (dd: Dreamdeck, userId = 'u1', threadId?: string) =>
  (await dd.memory.list(userId, threadId ? { threadId } : {})).map((record) => record.text).sort();

describe('long-term memory in a story', () => {
  it('extracts facts the player states, marks their message, and merges duplicates and changes', async () => {
    const { dd } = await engine();
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, 'My name is Mira and I carry the lantern of Saint Bell.');
    await play(session, 'I owe the smuggler Varo 30 gold crowns.');
    await play(session, 'Again: my name is Mira.');
    await play(session, 'Now I owe the smuggler Varo 50 gold crowns.');
    expect(await texts(dd)).toEqual(
      [
        'The player carries the lantern of Saint Bell.',
        "The player's name is Mira.",
        'The player owes the smuggler Varo 50 gold crowns.',
      ].sort(),
    );
    const records = await dd.memory.list('u1');
    expect(
      records.every((r) => r.source === 'extracted' && r.scope === 'thread' && r.threadId === session.threadId),
    ).toBe(true);
    // the message a fact came from is marked, with the memory's id
    const first = (await session.history()).find((m) => m.content.startsWith('My name is Mira'));
    const name = records.find((r) => r.text.includes('Mira'));
    expect(first?.parts).toContainEqual({ type: 'remembered', memoryId: name?.id });
    // forgetting it takes the mark away too
    await dd.memory.forget('u1', name?.id as string);
    const after = (await session.history()).find((m) => m.id === first?.id);
    expect(after?.parts ?? []).not.toContainEqual({ type: 'remembered', memoryId: name?.id });
    await dd.close();
  });

  it('tells the turn live which message a fact came from (memory-added), before the turn ends', async () => {
    const { dd, model } = await engine();
    const session = await dd.openSession({ userId: 'u1' });
    const turn = session.send('My name is Mira and I carry the lantern of Saint Bell.');
    const events: TurnEvent[] = [];
    for await (const event of turn) events.push(event);
    const added = events.filter((event) => event.type === 'memory-added');
    const player = (await session.history()).find((m) => m.role === 'user');
    const records = await dd.memory.list('u1');
    expect(added.map((event) => event.memoryId).sort()).toEqual(records.map((record) => record.id).sort());
    expect(added.length).toBe(2);
    for (const event of added) {
      expect(event.messageId).toBe(player?.id);
      // the record carries the message id, and the message the mark (what a reload shows)
      expect(records.find((record) => record.id === event.memoryId)?.messageId).toBe(player?.id);
      expect(player?.parts).toContainEqual({ type: 'remembered', memoryId: event.memoryId });
    }
    // after the narration's end and before the turn's end
    const at = (type: TurnEvent['type']) => events.findIndex((event) => event.type === type);
    expect(at('memory-added')).toBeGreaterThan(at('message-end'));
    expect(events.at(-1)?.type).toBe('turn-end');
    // a known fact said again adds nothing, and a failing extraction emits nothing
    const again = session.send('Again: my name is Mira.');
    const types: string[] = [];
    for await (const event of again) types.push(event.type);
    expect(types).not.toContain('memory-added');
    model.failing = true;
    const failed = session.send('My sister is called Lena.');
    const failedTypes: string[] = [];
    for await (const event of failed) failedTypes.push(event.type);
    expect((await failed.result).status).toBe('complete');
    expect(failedTypes).not.toContain('memory-added');
    await dd.close();
  });

  it('keeps stated preferences for the player in every story, and recalls them each turn', async () => {
    const { dd } = await engine();
    const one = await dd.openSession({ userId: 'u1' });
    await play(one, 'No gore, please. I open the door.');
    const other = await dd.openSession({ userId: 'u1' });
    const context = await other.context('I walk into the forest');
    const last = context.messages.at(-1)?.content ?? '';
    expect(last).toContain('The player wants no gore in the story.');
    expect(last.endsWith('I walk into the forest')).toBe(true);
    // another player's story knows nothing of it
    const stranger = await dd.openSession({ userId: 'u2' });
    expect(JSON.stringify((await stranger.context('I walk into the forest')).messages)).not.toContain('gore');
    await dd.close();
  });

  it('recalls the fact a question is about, long after it left the window', async () => {
    const { dd } = await engine({ windowTokens: 600 });
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, 'My sister is called Lena.');
    for (let i = 0; i < 12; i++) await play(session, `I walk on through the marsh, step ${i}.`);
    const context = await session.context('What was my sister called again?');
    expect(context.messages.at(-1)?.content).toContain("The player's sister is called Lena.");
    expect(context.sections.find((s) => s.name === 'memory')?.tokens).toBeGreaterThan(0);
    await dd.close();
  });

  it('a model that fails at extraction or summary never fails the turn; the next turn does the work', async () => {
    const { dd, model } = await engine({ windowTokens: 500 });
    const session = await dd.openSession({ userId: 'u1' });
    model.failing = true;
    await play(session, 'My name is Mira.');
    for (let i = 0; i < 6; i++) await play(session, `I follow the river, bend ${i}.`);
    expect(await dd.memory.list('u1')).toEqual([]);
    expect(await session.summary()).toBeNull();
    model.failing = false;
    await play(session, 'I rest by the fire.');
    expect(await texts(dd)).toEqual(["The player's name is Mira."]);
    const summary = await session.summary();
    expect(summary?.text).toContain('My name is Mira');
    await dd.close();
  });
});

describe('the rolling summary and the window', () => {
  it('folds the window when it outgrows its budget, keeping the prompt within budget and its prefix stable', async () => {
    // a window of a few turns folds to half (at the default 0.8 it would fold one turn at a time)
    const { dd, model } = await engine({ windowTokens: 800, summaryTokens: 300, foldTo: 0.5 });
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, 'My name is Mira, I come from Saltford.');
    let stablePrefixes = 0;
    let turns = 0;
    for (let i = 0; i < 25; i++) {
      const before = model.prompts.length;
      await play(session, `I walk on, step ${i}.`);
      const prompt = model.prompts[before] as BaseMessage[];
      const previous = model.prompts[before - 1] as BaseMessage[];
      // plain turns (no fold in between): the previous prompt, up to its last message, starts this one
      const same = previous.slice(0, -1).every((m, j) => prompt[j]?.content === m.content);
      if (same) stablePrefixes++;
      turns++;
    }
    expect(stablePrefixes).toBeGreaterThan(turns * 0.6);
    const summary = await session.summary();
    expect(summary?.text).toContain('Mira');
    const context = await session.context('I look around.');
    const section = (name: string) => context.sections.find((s) => s.name === name)?.tokens ?? 0;
    expect(section('summary')).toBeGreaterThan(0);
    expect(section('summary')).toBeLessThanOrEqual(300 + 10);
    expect(section('window')).toBeLessThanOrEqual(800);
    expect(context.tokens).toBe(context.sections.reduce((sum, s) => sum + s.tokens, 0));
    expect(context.messages[0]?.content).toContain('## The story so far');
    await dd.close();
  });

  // Broke: folding to half made a prompt's size depend on when the last fold was (turn 1,000 was
  // 1.48x turn 100 in bench/memory-cost); the default now folds to 0.8 of the budgets
  it('under the default budgets, folds a few turns at a time: prompts stay near one size and most keep the previous prefix', async () => {
    const { dd, model } = await engine();
    const session = await dd.openSession({ userId: 'u1' });
    const sizes: number[] = [];
    let stable = 0;
    for (let i = 0; i < 90; i++) {
      const before = model.prompts.length;
      await play(session, `I walk on along the coast road, step ${i}.`);
      if (i < 40) continue; // past the first fold
      const prompt = model.prompts[before] as BaseMessage[];
      const previous = model.prompts[before - 1] as BaseMessage[];
      if (previous.slice(0, -1).every((m, j) => prompt[j]?.content === m.content)) stable++;
      sizes.push(prompt.reduce((sum, m) => sum + String(m.content).length, 0));
    }
    expect(await session.summary()).not.toBeNull();
    expect(stable).toBeGreaterThan(sizes.length * 0.6);
    // folding to half swung prompts between about half and all of the window (1.6x and more)
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeLessThan(1.3);
    await dd.close();
  });

  it('is rebuilt, not duplicated, when a fold is lost and the next turn folds again', async () => {
    const { dd, storage, model } = await engine({ windowTokens: 500 });
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, 'My name is Mira.');
    model.failing = true;
    for (let i = 0; i < 5; i++) await play(session, `I climb the tower, floor ${i}.`);
    model.failing = false;
    await play(session, 'I reach the top.');
    const summary = await session.summary();
    expect(summary?.text.match(/My name is Mira/g)).toHaveLength(1);
    // folding again at once finds nothing to fold: the same summary stays
    const data = await storage.getThreadData(session.threadId);
    await play(session, 'I look down.');
    expect((await session.summary())?.text.match(/My name is Mira/g)).toHaveLength(1);
    expect(data['dreamdeck:summary']).toBeDefined();
    await dd.close();
  });

  it('/reset starts a new summary: nothing of the earlier chapter comes back', async () => {
    const { dd } = await engine({ windowTokens: 500 });
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, 'I am the warden of Oakvale.');
    for (let i = 0; i < 6; i++) await play(session, `I patrol the wall, round ${i}.`);
    expect((await session.summary())?.text).toContain('Oakvale');
    await play(session, '/reset');
    expect(await session.summary()).toBeNull();
    const context = await session.context('I wake in a new land.');
    expect(context.messages).toHaveLength(2);
    expect(JSON.stringify(context.messages)).not.toContain('Oakvale');
    for (let i = 0; i < 6; i++) await play(session, `I sail east, day ${i}.`);
    const summary = await session.summary();
    expect(summary?.text).toContain('sail east');
    expect(summary?.text).not.toContain('Oakvale');
    await dd.close();
  });
});

describe('session.context()', () => {
  it('is exactly what the next narration sends', async () => {
    const { dd, model } = await engine({ windowTokens: 700 });
    const session = await dd.openSession({ userId: 'u1' });
    for (const text of ['My sister is called Lena.', 'I carry a brass key.', 'I open the gate.', 'I go in.'])
      await play(session, text);
    const preview = await session.context('Where is my sister now?');
    await play(session, 'Where is my sister now?');
    const sent = (model.prompts.at(-1) as BaseMessage[]).map((m) => ({
      role: m.getType() === 'system' ? 'system' : m.getType() === 'ai' ? 'assistant' : 'user',
      content: m.content,
    }));
    expect(sent).toEqual(preview.messages);
    expect(preview.sections.map((s) => s.name)).toEqual([
      'persona',
      'summary',
      'window',
      'lore',
      'memory',
      'knowledge',
      'authors-note',
    ]);
    await dd.close();
  });

  it('holds every budget with a 10,000-character player message and 500 memories', async () => {
    const { dd, storage } = await engine({ windowTokens: 1500, recallTokens: 300 });
    const session = await dd.openSession({ userId: 'u1' });
    for (let i = 0; i < 500; i++) {
      await storage.store.put(memoryNamespace('u1'), `mem_${i}`, {
        id: `mem_${i}`,
        userId: 'u1',
        scope: 'user',
        text: `The player once met traveller number ${i} on the road to Saltford and traded a story.`,
        source: 'player',
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
        updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      });
    }
    const huge = `I tell the whole tale of the road to Saltford. ${'The road winds on and on past the old mill. '.repeat(230)}`;
    expect(huge.length).toBeGreaterThan(10_000);
    const context = await session.context(huge);
    const section = (name: string) => context.sections.find((s) => s.name === name)?.tokens ?? 0;
    expect(section('window')).toBeLessThanOrEqual(1500);
    expect(section('memory')).toBeGreaterThan(0);
    expect(section('memory')).toBeLessThanOrEqual(300);
    expect((context.messages.at(-1)?.content.match(/traveller number/g) ?? []).length).toBeLessThanOrEqual(8);
    // and a turn with it completes
    await play(session, huge.slice(0, 4000));
    await dd.close();
  });
});

describe('/remember, /memory, /forget', () => {
  it('remember a fact, list it with the summary, and forget it for good', async () => {
    const { dd, storage } = await engine();
    const session = await dd.openSession({ userId: 'u1' });
    await play(session, '/remember The ferryman owes me a favour');
    const [record] = await dd.memory.list('u1');
    expect(record).toMatchObject({ text: 'The ferryman owes me a favour', source: 'player', scope: 'thread' });
    await play(session, '/memory');
    const listed = (await session.history()).at(-1)?.content ?? '';
    expect(listed).toContain('The ferryman owes me a favour');
    expect(listed).toContain(record?.id);
    await play(session, '/forget ferryman');
    expect((await session.history()).at(-1)?.content).toBe('Forgotten: The ferryman owes me a favour');
    expect(await dd.memory.list('u1')).toEqual([]);
    // really gone from the store, not hidden
    expect(await storage.store.get(memoryNamespace('u1'), record?.id as string)).toBeNull();
    await play(session, '/forget ferryman');
    expect((await session.history()).at(-1)?.content).toMatch(/don't remember anything/);
    await dd.close();
  });
});
