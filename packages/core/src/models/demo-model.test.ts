import { describe, expect, it } from 'vitest';
import { collect, quietDreamdeck } from '../../test/helpers.js';
import { createDemoModel } from './demo-model.js';
import { classifyAction, outcomeFromDice } from './demo-story.js';

describe('demo storyteller', () => {
  it('keeps its town and NPC across the turns of a thread, and varies between threads', async () => {
    const dd = await quietDreamdeck();
    const npcs = async (userId: string) => {
      const session = await dd.openSession({ userId });
      const found = new Set<string>();
      let town = '';
      for (const action of [
        'I enter the inn',
        'I greet the stranger',
        'I ask about the bell',
        'I look around',
        'I leave for the docks',
      ]) {
        const { text } = await collect(session.send(action));
        town ||= /The story opens in \*\*(\w+)\*\*/.exec(text)?.[1] ?? '';
        for (const match of text.matchAll(/\*\*([^*]+)\*\*, an? (?!town)/g)) found.add(match[1]!);
      }
      return { town, npcs: [...found] };
    };
    const first = await npcs('a');
    expect(first.npcs).toHaveLength(1);
    expect(first.town).not.toBe('');
    const other = await npcs('b');
    expect(other.npcs).toHaveLength(1);
    await dd.close();
  });

  it('is deterministic for the same conversation', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const messages = [
      { role: 'system', content: 'You are Storyteller GM, the game master' },
      { role: 'user', content: 'I open the gate' },
    ];
    expect((await model.invoke(messages)).content).toBe((await model.invoke(messages)).content);
  });

  it('streams token-sized chunks that add up to the whole reply', async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const messages = [
      { role: 'system', content: 'You are Storyteller GM, the game master' },
      { role: 'user', content: 'I sneak past' },
    ];
    const chunks: string[] = [];
    for await (const chunk of await model.stream(messages)) chunks.push(String(chunk.content));
    expect(chunks.length).toBeGreaterThan(30);
    expect(chunks.every((c) => c.trim().split(/\s+/).length === 1)).toBe(true);
    expect(chunks.join('')).toBe((await model.invoke(messages)).content);
  });

  it('says it is a demo on the first reply of a thread', async () => {
    const reply = await createDemoModel({ latencyMs: 0 }).invoke([
      { role: 'system', content: 'You are Storyteller GM, the game master' },
      { role: 'user', content: 'hello' },
    ]);
    expect(reply.content).toMatch(/offline demo storyteller/);
  });

  it('reads actions and dice outcomes', () => {
    expect(classifyAction('I attack the troll')).toBe('fight');
    expect(classifyAction('I sneak into the vault')).toBe('sneak');
    expect(classifyAction('I search the desk')).toBe('search');
    expect(classifyAction('I ask the guard nicely')).toBe('talk');
    expect(classifyAction('I ride to the capital')).toBe('travel');
    expect(outcomeFromDice('Dice: 1d20+3 → 23 (natural 20)')).toBe('triumph');
    expect(outcomeFromDice('Dice: 1d20 → 1 (natural 1)')).toBe('mishap');
    expect(outcomeFromDice('Dice: 1d20+2 → 19')).toBe('success');
    expect(outcomeFromDice('Dice: 2d6 → 3')).toBe('failure');
    expect(outcomeFromDice(undefined)).toBe('none');
  });

  it('answers any structured output schema through bindTools', async () => {
    const { z } = await import('zod');
    const schema = z.object({ title: z.string(), count: z.number(), tags: z.array(z.string()), ok: z.boolean() });
    const answer = await createDemoModel({ latencyMs: 0 })
      .withStructuredOutput(schema, { name: 'anything' })
      .invoke('name this tale');
    expect(schema.parse(answer)).toMatchObject({ count: 1, ok: true });
  });
});
