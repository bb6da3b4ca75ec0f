import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../errors.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import { MAX_TODO_LENGTH, MAX_TODOS, TodoBook, todoNamespace, utcDay } from './todo-book.js';

async function book() {
  const storage = createMemoryStorage();
  await storage.init();
  return { storage, todos: new TodoBook(storage) };
}

async function failure(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DreamdeckError.isInstance(error)).toBe(true);
  return error as DreamdeckError;
}

describe('TodoBook', () => {
  it('adds, marks done, lists newest first with totals, per user, in the store', async () => {
    const { storage, todos } = await book();
    const rope = await todos.add('ana', '  buy   rope ');
    await todos.add('ana', 'ask the smith about the key');
    await todos.add('bo', 'someone else’s');
    expect(rope).toMatchObject({ n: 1, text: 'buy rope', done: false });
    const done = await todos.done('ana', 1);
    expect(done).toMatchObject({ n: 1, done: true, doneAt: expect.any(String) });
    // really stored: read the store itself
    const raw = await storage.store.get(todoNamespace('ana'), '00000001');
    expect(raw?.value).toMatchObject({ userId: 'ana', n: 1, done: true });

    expect(await todos.list('ana')).toEqual({
      todos: [expect.objectContaining({ n: 2, text: 'ask the smith about the key' })],
      total: 1,
      open: 1,
      done: 1,
    });
    expect((await todos.list('ana', { status: 'all' })).todos.map((t) => t.n)).toEqual([2, 1]);
    expect((await todos.list('ana', { status: 'done' })).todos.map((t) => t.n)).toEqual([1]);
    expect((await todos.list('bo')).todos.map((t) => t.text)).toEqual(['someone else’s']);
    // done twice is harmless
    expect(await todos.done('ana', 1)).toMatchObject({ n: 1, done: true });
    expect((await todos.list('ana')).done).toBe(1);
  });

  it('refuses bad input with stable codes and changes nothing', async () => {
    const { todos } = await book();
    expect((await failure(todos.add('ana', '   '))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.add('ana', 'x'.repeat(MAX_TODO_LENGTH + 1)))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.done('ana', 0))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.done('ana', 1.5))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.done('ana', 7))).code).toBe('NOT_FOUND');
    await todos.add('bo', 'mine');
    // another user's number 1 is not yours
    expect((await failure(todos.done('ana', 1))).code).toBe('NOT_FOUND');
    expect((await failure(todos.list('ana', { limit: 0 }))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.list('ana', { limit: 101 }))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.list('ana', { status: 'later' as never }))).code).toBe('INVALID_INPUT');
    expect((await failure(todos.report('ana', 'yesterday'))).code).toBe('INVALID_INPUT');
    expect(await todos.list('ana')).toEqual({ todos: [], total: 0, open: 0, done: 0 });
  });

  it(`keeps at most ${MAX_TODOS} to-dos, pages them, and clears them all`, async () => {
    const { todos } = await book();
    for (let i = 1; i <= MAX_TODOS; i++) await todos.add('ana', `task ${i}`);
    const full = await failure(todos.add('ana', 'one too many'));
    expect(full.code).toBe('CONFLICT');
    expect(full.message).toMatch(/full/);
    const page = await todos.list('ana', { limit: 100, offset: 200 });
    expect(page.todos).toHaveLength(100);
    expect(page.todos[0]?.n).toBe(MAX_TODOS - 200);
    expect(page.total).toBe(MAX_TODOS);
    await todos.done('ana', 5_000);
    expect((await todos.list('ana', { status: 'done' })).todos.map((t) => t.n)).toEqual([5_000]);
    expect(await todos.clear('ana')).toBe(MAX_TODOS);
    expect(await todos.list('ana', { status: 'all' })).toMatchObject({ todos: [], open: 0, done: 0 });
    // numbers are not reused after a clear
    expect((await todos.add('ana', 'fresh')).n).toBe(MAX_TODOS + 1);
  });

  it('reports the day from the usage counters, as markdown', async () => {
    const { storage, todos } = await book();
    await storage.addUsage!('ana', 'turns', 4);
    await storage.addUsage!('ana', 'rolls', 2);
    await storage.addUsage!('ana', 'feedback');
    await storage.addUsage!('bo', 'turns', 9);
    await todos.add('ana', 'find the *bell*');
    await todos.add('ana', 'pay the ferryman');
    await todos.done('ana', 2);
    const report = await todos.report('ana');
    expect(report).toMatchObject({
      day: utcDay(),
      turns: 4,
      rolls: 2,
      todosDone: 1,
      feedback: 1,
      searches: 0,
      openTodos: 1,
      counted: true,
    });
    expect(report.markdown).toContain(`## Report for ${utcDay()}`);
    expect(report.markdown).toContain('- Turns played: 4');
    expect(report.markdown).toContain('- #1 find the \\*bell\\*');
    expect((await todos.report('ana', '2001-01-01')).turns).toBe(0);
  });
});
