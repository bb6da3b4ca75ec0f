/**
 * `dd.todos` on PostgreSQL (the LangGraph `PostgresStore` behind the adapter): numbering, pages of
 * open, done and all to-dos, the report, clearing, and another user's list out of reach. Skipped
 * when no PostgreSQL answers at `POSTGRES_TEST_URL`.
 */
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { TodoBook } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) await dropSchemas(schemas);
});

describe.skipIf(!postgres)('to-dos on PostgreSQL', () => {
  it('adds, pages, marks done, reports and clears, per user', async () => {
    const schema = uniqueSchema('todos');
    schemas.push(schema);
    const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema });
    await storage.init();
    try {
      const todos = new TodoBook(storage);
      for (let i = 1; i <= 250; i++) await todos.add('ana', `task ${i}`);
      await todos.add('bo', 'not ana’s');
      await todos.done('ana', 3);
      await todos.done('ana', 250);
      const open = await todos.list('ana', { limit: 100, offset: 100 });
      expect(open).toMatchObject({ total: 248, open: 248, done: 2 });
      expect(open.todos.map((t) => t.n).slice(0, 3)).toEqual([149, 148, 147]);
      expect((await todos.list('ana', { status: 'done' })).todos.map((t) => t.n)).toEqual([250, 3]);
      expect((await todos.list('ana', { status: 'all', limit: 2 })).todos.map((t) => t.n)).toEqual([250, 249]);
      await expect(todos.done('bo', 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const report = await todos.report('ana');
      expect(report).toMatchObject({ todosDone: 2, openTodos: 248, counted: true });
      expect(await todos.clear('ana')).toBe(250);
      expect(await todos.list('ana', { status: 'all' })).toMatchObject({ todos: [], total: 0 });
      expect((await todos.list('bo')).todos.map((t) => t.text)).toEqual(['not ana’s']);
    } finally {
      await storage.close();
    }
  });
});
