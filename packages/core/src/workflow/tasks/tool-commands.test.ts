import { describe, expect, it } from 'vitest';
import type { SearchAdapter } from '../../models/model-adapter.js';
import { createTestTurn, type TestTurn } from './test-turn.js';
import { createDailyReportTask, createHelpTask, createTodoCommandTask } from './tool-commands.js';

const search: SearchAdapter = { name: 'test', search: async () => [] };

async function reply(turn: TestTurn, run: () => Promise<unknown>) {
  const done = await turn.run(run);
  return turn.storage.getMessage(String(done.result ?? ''));
}

describe('/todo', () => {
  it('adds, lists, marks done, clears, and answers bad input with an error part', async () => {
    const turn = await createTestTurn();
    const task = createTodoCommandTask(turn.context);
    const todo = (args: string) =>
      reply(turn, () => task({ threadId: turn.threadId, turnId: turn.turnId, userId: turn.userId, args }));
    expect((await todo('add buy *rope*'))?.content).toBe('Added to-do #1: buy \\*rope\\*');
    expect((await todo('add ask the smith'))?.content).toBe('Added to-do #2: ask the smith');
    expect((await todo('list'))?.content).toBe(
      '**To-dos** (2 open, 0 done)\n\n- #2 ask the smith\n- #1 buy \\*rope\\*',
    );
    expect((await todo('done #1'))?.content).toBe('✓ Done: #1 buy \\*rope\\*');
    expect((await todo(''))?.content).toBe('**To-dos** (1 open, 1 done)\n\n- #2 ask the smith');
    for (const [args, code, text] of [
      ['add', 'INVALID_INPUT', /needs some text/],
      ['done', 'INVALID_INPUT', /by its number/],
      ['done two', 'INVALID_INPUT', /by its number/],
      ['done 99', 'NOT_FOUND', /no to-do number 99/],
      ['list -1', 'INVALID_INPUT', /whole number/],
      ['dance', 'INVALID_INPUT', /I don't know `\/todo dance`/],
    ] as const) {
      const message = await todo(args);
      expect(message?.content).toMatch(text);
      expect(message?.parts).toEqual([expect.objectContaining({ type: 'error', code })]);
    }
    expect((await todo('clear'))?.content).toBe('Cleared 2 to-dos.');
    expect((await todo('list'))?.content).toBe('You have no open to-dos. Add one with `/todo add <text>`.');
    expect(await turn.context.storage.listUsage!({ userId: turn.userId })).toEqual([
      expect.objectContaining({ metric: 'todos-done', count: 1 }),
    ]);
  });

  it('pages a long list', async () => {
    const turn = await createTestTurn();
    const task = createTodoCommandTask(turn.context);
    const todo = (args: string) =>
      reply(turn, () => task({ threadId: turn.threadId, turnId: turn.turnId, userId: turn.userId, args }));
    for (let i = 1; i <= 45; i++) await todo(`add task ${i}`);
    const first = await todo('list');
    expect(first?.content).toContain('- #45 task 45');
    expect(first?.content).toContain('Page 1 of 3: `/todo list 2` shows more.');
    const third = await todo('list 3');
    expect(third?.content.match(/- #/g)).toHaveLength(5);
  });
});

describe('/report', () => {
  it("writes today's report as markdown", async () => {
    const turn = await createTestTurn();
    await turn.storage.addUsage!(turn.userId, 'turns', 3);
    const task = createDailyReportTask(turn.context);
    const message = await reply(turn, () =>
      task({ threadId: turn.threadId, turnId: turn.turnId, userId: turn.userId, args: '' }),
    );
    expect(message).toMatchObject({ kind: 'todo', role: 'tool' });
    expect(message?.content).toMatch(/^## Report for \d{4}-\d{2}-\d{2}/);
    expect(message?.content).toContain('- Turns played: 3');
  });
});

describe('/help', () => {
  async function help(options: { args?: string; features?: Record<string, boolean>; search?: SearchAdapter }) {
    const turn = await createTestTurn({
      config: { features: options.features ?? {} },
      ...(options.search && { search: options.search }),
    });
    const task = createHelpTask(turn.context);
    const message = await reply(turn, () =>
      task({ threadId: turn.threadId, turnId: turn.turnId, userId: turn.userId, args: options.args ?? '' }),
    );
    return message?.content ?? '';
  }

  it('lists only the commands that work for the player', async () => {
    const plain = await help({});
    expect(plain).not.toContain('/search');
    expect(plain).toContain('/roll');
    expect(plain).toContain('/todo add');
    const off = await help({ features: { diceRolling: false, imageGeneration: false } });
    expect(off).not.toContain('/roll');
    expect(off).not.toContain('/storyboard');
    const searching = await help({ features: { webSearch: true }, search });
    expect(searching).toContain('/search the legend of the drowned bell');
    // the flag alone is not enough: without a service /search is left out
    expect(await help({ features: { webSearch: true } })).not.toContain('/search');
  });

  it('explains one command, and says so for an unknown or switched-off one', async () => {
    const roll = await help({ args: 'roll' });
    expect(roll).toMatch(/^\*\*`\/roll`\*\*/);
    expect(roll).toContain('4d6kh3');
    expect(await help({ args: '/todo' })).toContain('`/todo done <n>`');
    expect(await help({ args: 'dance' })).toMatch(/^There is no command `\/dance`\. Commands:/);
    expect(await help({ args: 'search' })).toMatch(/^`\/search` is switched off here\. Commands:/);
  });
});
