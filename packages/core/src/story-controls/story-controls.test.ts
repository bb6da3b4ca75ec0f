import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDreamdeck, type Dreamdeck } from '../dreamdeck.js';
import { DreamdeckError } from '../errors.js';
import { createDemoModel } from '../models/demo-model.js';
import type { StorySession } from '../session.js';
import type { TurnEvent } from '../types.js';
import { readImport } from './import-story.js';
import { storyTitleFrom } from './story-title.js';

let dd: Dreamdeck;
beforeEach(async () => {
  dd = await createDreamdeck({
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
  });
});
afterEach(() => dd.close());

/** A story of `turns` player messages, each answered. */
async function storyOf(turns: number): Promise<StorySession> {
  const session = await dd.openSession({ userId: 'uma' });
  for (let i = 0; i < turns; i++) expect((await session.send(`I walk to door ${i}`).result).status).toBe('complete');
  return session;
}

async function codeOf(work: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return DreamdeckError.isInstance(error) ? error.code : 'not a DreamdeckError';
  }
  return undefined;
}

async function eventsOf(turn: AsyncIterable<TurnEvent>): Promise<TurnEvent[]> {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  return events;
}

describe('session.edit', () => {
  it('changes a GM reply or a player message in place, and reads a reply’s choices again', async () => {
    const session = await storyOf(2);
    const [player, reply] = await session.history();
    const edited = await session.edit(reply!.id, 'The gate opens.\n\n1. Go in\n2. Wait');
    expect(edited).toMatchObject({ id: reply!.id, content: 'The gate opens.\n\n1. Go in\n2. Wait' });
    expect(edited.parts?.find((part) => part.type === 'choices')).toEqual({
      type: 'choices',
      options: ['Go in', 'Wait'],
    });
    await session.edit(player!.id, '  I knock \u0007twice ');
    const history = await session.history();
    expect(history).toHaveLength(4);
    expect(history[0]?.content).toBe('I knock twice');
  });

  it('with rerun drops the story after the player message and has the GM answer the new text', async () => {
    const session = await storyOf(3);
    const before = await session.history();
    const turn = session.edit(before[2]!.id, 'I search the abandoned chapel', { rerun: true });
    const result = await turn.result;
    expect(result.status).toBe('complete');
    const after = await session.history();
    expect(after.map((m) => m.content).slice(0, 2)).toEqual(before.slice(0, 2).map((m) => m.content));
    expect(after[2]).toMatchObject({ role: 'user', content: 'I search the abandoned chapel' });
    expect(after[3]?.kind).toBe('narration');
    expect(after).toHaveLength(4);
    expect(result.messages.map((m) => m.id)).toEqual([after[2]!.id, after[3]!.id]);
    // the old story from the edited message on is kept out of the story
    const all = await session.history({ includeRewound: true });
    expect(all.filter((m) => m.rewoundAt).map((m) => m.id)).toEqual(before.slice(2).map((m) => m.id));
  });

  it('refuses bad input at once, unknown messages with NOT_FOUND, rerun of a reply with INVALID_INPUT', async () => {
    const session = await storyOf(1);
    const [, reply] = await session.history();
    expect(await codeOf(() => session.edit(reply!.id, '   '))).toBe('INVALID_INPUT');
    expect(await codeOf(() => session.edit(reply!.id, 'x'.repeat(10_000)))).toBe('INVALID_INPUT');
    expect(await codeOf(session.edit('msg_nope', 'text'))).toBe('NOT_FOUND');
    const other = await storyOf(1);
    const [otherPlayer] = await other.history();
    expect(await codeOf(session.edit(otherPlayer!.id, 'text'))).toBe('NOT_FOUND');
    const rerun = await session.edit(reply!.id, 'text', { rerun: true }).result;
    expect(rerun.error?.code).toBe('INVALID_INPUT');
    expect(await session.history()).toHaveLength(2);
  });
});

describe('session.rewind', () => {
  it('undoes back to and including a message; the rest stays retrievable; the story goes on from there', async () => {
    const session = await storyOf(3);
    const before = await session.history();
    expect(await session.rewind(before[2]!.id)).toBe(4);
    expect((await session.history()).map((m) => m.id)).toEqual(before.slice(0, 2).map((m) => m.id));
    const all = await session.history({ includeRewound: true });
    expect(all.map((m) => m.id)).toEqual(before.map((m) => m.id));
    expect(all.slice(2).every((m) => typeof m.rewoundAt === 'string')).toBe(true);
    expect((await session.send('I turn back').result).status).toBe('complete');
    expect((await session.history()).map((m) => m.content)[2]).toBe('I turn back');
    // a rewound message cannot be rewound again, nor one of another story
    expect(await codeOf(session.rewind(before[3]!.id))).toBe('NOT_FOUND');
    expect(await codeOf(session.rewind('msg_unknown'))).toBe('NOT_FOUND');
  });

  it('drops a rolling summary that reached past the rewind', async () => {
    const session = await storyOf(2);
    const history = await session.history();
    await dd.storage.setThreadData(session.threadId, 'dreamdeck:summary', {
      text: 'Uma walked to two doors.',
      throughMessageId: history[3]!.id,
      updatedAt: new Date().toISOString(),
    });
    await session.rewind(history[2]!.id);
    expect(await session.summary()).toBeNull();
  });
});

describe('session.branch', () => {
  it('starts a new story holding the story up to a message; the parent is unchanged', async () => {
    const session = await storyOf(3);
    const history = await session.history();
    const branch = await session.branch(history[3]!.id);
    expect(branch.threadId).not.toBe(session.threadId);
    expect(branch.thread).toMatchObject({ parentThreadId: session.threadId, branchedFromMessageId: history[3]!.id });
    expect(branch.thread.title).toContain('(branch)');
    const copied = await branch.history();
    expect(copied.map((m) => m.content)).toEqual(history.slice(0, 4).map((m) => m.content));
    expect(copied.every((m) => m.threadId === branch.threadId && !history.some((h) => h.id === m.id))).toBe(true);
    expect(await session.history()).toHaveLength(6);
    // the branch plays on by itself
    expect((await branch.send('I take the other road').result).status).toBe('complete');
    expect(await branch.history()).toHaveLength(6);
    expect(await session.history()).toHaveLength(6);
    expect((await dd.storage.listThreads('uma')).items.map((t) => t.id)).toContain(branch.threadId);
  });

  it('refuses a message not in the story with NOT_FOUND and makes no thread', async () => {
    const session = await storyOf(1);
    const [first] = await session.history();
    await session.rewind(first!.id);
    const threads = (await dd.storage.listThreads('uma')).items.length;
    expect(await codeOf(session.branch(first!.id))).toBe('NOT_FOUND');
    expect((await dd.storage.listThreads('uma')).items.length).toBe(threads);
  });
});

describe('session.continue', () => {
  it('extends the latest GM reply in place, streaming deltas onto it', async () => {
    const session = await storyOf(1);
    const [, reply] = await session.history();
    const turn = session.continue();
    const events = await eventsOf(turn);
    const start = events.find((e) => e.type === 'message-start');
    expect(start).toMatchObject({ messageId: reply!.id, kind: 'narration' });
    const deltas = events.filter((e) => e.type === 'message-delta');
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((e) => e.type === 'message-delta' && e.messageId === reply!.id)).toBe(true);
    const after = await session.history();
    expect(after).toHaveLength(2);
    expect(after[1]!.content.startsWith(reply!.content.trimEnd())).toBe(true);
    expect(after[1]!.content.length).toBeGreaterThan(reply!.content.length);
    expect(after[1]!.status).toBe('complete');
  });

  it('ends with INVALID_INPUT when the latest message is not a GM reply', async () => {
    const session = await dd.openSession({ userId: 'uma' });
    expect((await session.continue().result).error?.code).toBe('INVALID_INPUT');
    await session.send('/roll 1d6').result;
    expect((await session.continue().result).error?.code).toBe('INVALID_INPUT');
  });
});

describe('session.selectAlternative', () => {
  it('keeps every regenerated version and shows the one selected, in a stable order', async () => {
    const session = await storyOf(1);
    const [, first] = await session.history();
    await session.regenerate().result;
    await session.regenerate().result;
    const [, third] = await session.history();
    expect(third!.alternatives).toHaveLength(2);
    expect(third!.alternativeIndex).toBe(2);
    const shown = await session.selectAlternative(first!.id, 0);
    expect(shown.content).toBe(first!.content);
    expect(shown.alternativeIndex).toBe(0);
    expect(shown.alternatives?.[1]?.content).toBe(third!.content);
    // back to the newest: the order of versions never changes
    const back = await session.selectAlternative(first!.id, 2);
    expect(back.content).toBe(third!.content);
    expect(back.alternatives?.map((a) => a.content)).toEqual(third!.alternatives?.map((a) => a.content));
    // a regenerate after a selection adds the new version last and shows it
    await session.selectAlternative(first!.id, 1);
    await session.regenerate().result;
    const [, fourth] = await session.history();
    expect(fourth!.alternatives).toHaveLength(3);
    expect(fourth!.alternativeIndex).toBe(3);
    expect(fourth!.alternatives?.[0]?.content).toBe(first!.content);
  });

  it('refuses an index out of range and a reply with one version', async () => {
    const session = await storyOf(1);
    const [player, reply] = await session.history();
    expect(await codeOf(session.selectAlternative(reply!.id, 1))).toBe('INVALID_INPUT');
    await session.regenerate().result;
    expect(await codeOf(session.selectAlternative(reply!.id, 2))).toBe('INVALID_INPUT');
    expect(await codeOf(session.selectAlternative(reply!.id, -1))).toBe('INVALID_INPUT');
    expect(await codeOf(session.selectAlternative(reply!.id, 0.5))).toBe('INVALID_INPUT');
    expect(await codeOf(session.selectAlternative(player!.id, 0))).toBe('INVALID_INPUT');
    expect(await codeOf(session.selectAlternative('msg_x', 0))).toBe('NOT_FOUND');
  });
});

describe('the turn lock', () => {
  it('refuses every mutating control with CONFLICT while a turn runs, and changes nothing', async () => {
    const slow = await createDreamdeck({
      model: createDemoModel({ latencyMs: 4 }),
      env: false,
      config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
    });
    try {
      const session = await slow.openSession({ userId: 'uma' });
      await session.send('I wake').result;
      await session.regenerate().result;
      const [player, reply] = await session.history();
      const other = await slow.openSession({ userId: 'uma', threadId: session.threadId });
      const turn = session.send('I listen at the door');
      for await (const event of turn) if (event.type === 'message-delta') break;
      expect(await codeOf(other.rewind(player!.id))).toBe('CONFLICT');
      expect(await codeOf(other.edit(reply!.id, 'changed'))).toBe('CONFLICT');
      expect(await codeOf(other.branch(player!.id))).toBe('CONFLICT');
      expect(await codeOf(other.selectAlternative(reply!.id, 0))).toBe('CONFLICT');
      expect((await other.continue().result).error?.code).toBe('CONFLICT');
      expect((await other.edit(player!.id, 'changed', { rerun: true }).result).error?.code).toBe('CONFLICT');
      await turn.result;
      const history = await session.history();
      expect(history).toHaveLength(4);
      expect(history[1]!.content).toBe(reply!.content);
      expect((await slow.storage.listThreads('uma')).items).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

describe('titles', () => {
  it('a story is named after its first GM reply (the demo model names the town), and only once', async () => {
    const session = await dd.openSession({ userId: 'uma' });
    expect(session.thread.title).toBe('New story');
    await session.send('I arrive at dusk').result;
    const [, reply] = await session.history();
    const town = /The story opens in \*\*(\w+)\*\*/.exec(reply!.content)?.[1];
    const named = await dd.storage.getThread(session.threadId);
    expect(town).toBeDefined();
    expect(named?.title).toBe(town);
    await dd.storage.updateThread(session.threadId, { title: 'My own name' });
    await session.send('I look around').result;
    expect((await dd.storage.getThread(session.threadId))?.title).toBe('My own name');
  });

  it('is named even when the first reply ends on the storyboard question (default flags) the player never answers', async () => {
    const defaults = await createDreamdeck({
      model: createDemoModel({ latencyMs: 0 }),
      env: false,
      config: { logging: { level: 'silent' } },
    });
    try {
      const session = await defaults.openSession({ userId: 'una' });
      const first = await session.send('I arrive at dusk').result;
      expect(first.status).toBe('interrupted');
      const title = (await defaults.storage.getThread(session.threadId))?.title;
      expect(title).not.toBe('New story');
      expect((await session.history())[1]?.content).toContain(`**${title}**`);
    } finally {
      await defaults.close();
    }
  });

  it('a story given a title keeps it', async () => {
    const session = await dd.openSession({ userId: 'uma', title: 'Given' });
    await session.send('I arrive').result;
    expect((await dd.storage.getThread(session.threadId))?.title).toBe('Given');
  });

  it('storyTitleFrom reads a bold name, else a capitalised name, else the first words', () => {
    expect(storyTitleFrom('The story opens in **Saltmere**, a town.')).toBe('Saltmere');
    expect(storyTitleFrom('You wake. The bells of Karsk Harbour ring.')).toBe('Karsk Harbour');
    expect(storyTitleFrom('rain falls on the road and you keep walking.')).toBe('rain falls on the road and');
    expect(storyTitleFrom('   ')).toBeUndefined();
    expect(storyTitleFrom(`**${'A'.repeat(58)}**`)?.length).toBeLessThanOrEqual(60);
  });
});

describe('dd.importThread', () => {
  it('reads session.export("json") output back into a new thread, every message with a new id', async () => {
    const session = await storyOf(2);
    await session.regenerate().result;
    const exported = await session.export('json');
    const imported = await dd.importThread('ida', exported);
    expect(imported.userId).toBe('ida');
    const original = await session.history();
    const copy = await imported.history();
    expect(copy.map((m) => [m.role, m.kind, m.content])).toEqual(original.map((m) => [m.role, m.kind, m.content]));
    expect(copy.at(-1)?.alternatives?.map((a) => a.content)).toEqual(
      original.at(-1)?.alternatives?.map((a) => a.content),
    );
    expect(copy.some((m) => original.some((o) => o.id === m.id))).toBe(false);
    expect(imported.thread.title).toBe((await dd.storage.getThread(session.threadId))?.title);
    // the parsed object works too, and the imported story plays on
    const again = await dd.importThread('ida', JSON.parse(exported));
    expect(await again.history()).toHaveLength(4);
    expect((await imported.send('I go on').result).status).toBe('complete');
  });

  it('reads a SillyTavern chat .jsonl: metadata line, then messages with swipes', async () => {
    const chat = [
      JSON.stringify({
        user_name: 'Uma',
        character_name: 'Seraphina',
        create_date: '2024-4-5@19h43m',
        chat_metadata: {},
      }),
      JSON.stringify({
        name: 'Seraphina',
        is_user: false,
        send_date: 'April 5, 2024 7:43pm',
        mes: '*She smiles.* Welcome.',
      }),
      JSON.stringify({ name: 'Uma', is_user: true, send_date: 'April 5, 2024 7:44pm', mes: 'Where am I?' }),
      JSON.stringify({
        name: 'Seraphina',
        is_user: false,
        send_date: 'April 5, 2024 7:45pm',
        mes: 'In the glade.',
        swipes: ['In the forest.', 'In the glade.', 'Safe.'],
        swipe_id: 1,
      }),
    ].join('\n');
    const imported = await dd.importThread('ida', chat);
    expect(imported.thread.title).toBe('Seraphina (SillyTavern)');
    const history = await imported.history();
    expect(history.map((m) => [m.role, m.kind, m.content])).toEqual([
      ['assistant', 'narration', '*She smiles.* Welcome.'],
      ['user', 'player', 'Where am I?'],
      ['assistant', 'narration', 'In the glade.'],
    ]);
    expect(history[0]?.createdAt).toBe(new Date('April 5, 2024 7:43 pm').toISOString());
    expect(history[2]).toMatchObject({ alternativeIndex: 1 });
    expect(history[2]?.alternatives?.map((a) => a.content)).toEqual(['In the forest.', 'Safe.']);
  });

  it('refuses anything else with INVALID_INPUT and stores nothing', async () => {
    const bad: unknown[] = [
      '',
      'not json',
      '{"thread": {}, "messages": "no"}',
      { thread: { title: 'x' }, messages: [{ role: 'wizard', content: 'x' }] },
      { thread: { title: 'x' }, messages: [] },
      [
        JSON.stringify({ user_name: 'U', character_name: 'C', chat_metadata: {} }),
        JSON.stringify({ name: 'C', is_user: false, mes: 'fine' }),
        '{broken',
      ].join('\n'),
      [JSON.stringify({ hello: 1 }), JSON.stringify({ name: 'C', is_user: false, mes: 'x' })].join('\n'),
      42,
    ];
    for (const input of bad) expect(await codeOf(dd.importThread('ida', input)), String(input)).toBe('INVALID_INPUT');
    expect((await dd.storage.listThreads('ida')).items).toHaveLength(0);
  });

  it('keeps only safe parts: no script URLs, no memory links', () => {
    const story = readImport({
      thread: { title: 'T' },
      messages: [
        {
          role: 'tool',
          kind: 'storyboard',
          content: 'x',
          createdAt: '2024-01-01T00:00:00.000Z',
          status: 'complete',
          parts: [
            { type: 'image', image: { id: 'a', url: 'javascript:alert(1)', mimeType: 'image/png', prompt: 'p' } },
            { type: 'image', image: { id: 'b', url: 'https://example.com/a.png', mimeType: 'image/png', prompt: 'p' } },
            { type: 'remembered', memoryId: 'mem_1' },
          ],
        },
      ],
    });
    expect(story.messages[0]?.parts).toEqual([
      { type: 'image', image: { id: 'b', url: 'https://example.com/a.png', mimeType: 'image/png', prompt: 'p' } },
    ]);
  });
});
