/**
 * To-dos and the daily report over HTTP on a real SQLite file: `GET/POST/DELETE /todos`,
 * `PATCH /todos/:n`, `GET /report`, `/todo` and `/report` in a story, bad input answered with
 * stable codes, another user's list out of reach, and a list of 10,000 to-dos that still pages.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type Dreamdeck, MAX_TODOS, type TodoPage } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, type RequestHandler } from '@dreamdeck/core/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dd: Dreamdeck;
let handler: RequestHandler;
const auth = createTokenAuth({ secret: 'test-secret-test-secret-test-secret-123' });

beforeAll(async () => {
  dd = await createDreamdeck({
    storage: createSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'dd-todos-')), 'story.db') }),
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { apiCallsPerHour: 1_000_000, turnsPerMinute: 10_000 },
    },
  });
  handler = createRequestHandler(dd, { authenticate: auth.authenticate });
});
afterAll(async () => {
  await handler.close?.();
  await dd.close();
});

async function call(user: string, path: string, init: { method?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${await auth.issueToken({ id: user })}` };
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  return handler(
    new Request(`http://x${path}`, {
      method: init.method ?? 'GET',
      headers,
      ...(init.json !== undefined && { body: JSON.stringify(init.json) }),
    }),
  );
}

async function errorCode(response: Response) {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('to-dos over HTTP', () => {
  it('adds, lists, marks done and clears; owner-only', async () => {
    const created = await call('ana', '/todos', { method: 'POST', json: { text: 'buy rope' } });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ todo: expect.objectContaining({ n: 1, text: 'buy rope', done: false }) });
    await call('ana', '/todos', { method: 'POST', json: { text: 'find the bell' } });
    const done = await call('ana', '/todos/1', { method: 'PATCH', json: { done: true } });
    expect(((await done.json()) as { todo: { done: boolean } }).todo.done).toBe(true);
    const open = (await (await call('ana', '/todos')).json()) as TodoPage;
    expect(open).toEqual({ todos: [expect.objectContaining({ n: 2 })], total: 1, open: 1, done: 1 });
    const all = (await (await call('ana', '/todos?status=all&limit=1&offset=1')).json()) as TodoPage;
    expect(all.todos.map((t) => t.n)).toEqual([1]);
    // bo sees none of ana's, and cannot finish them
    expect(((await (await call('bo', '/todos')).json()) as TodoPage).total).toBe(0);
    const foreign = await call('bo', '/todos/2', { method: 'PATCH', json: { done: true } });
    expect(foreign.status).toBe(404);
    expect(await errorCode(foreign)).toBe('NOT_FOUND');
    const cleared = await call('ana', '/todos', { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ removed: 2 });
  });

  it('refuses bad input with 400 INVALID_INPUT and stores nothing', async () => {
    for (const [path, init] of [
      ['/todos', { method: 'POST', json: { text: '' } }],
      ['/todos', { method: 'POST', json: { text: 'x'.repeat(501) } }],
      ['/todos', { method: 'POST', json: { text: 'ok', extra: 1 } }],
      ['/todos/abc', { method: 'PATCH', json: { done: true } }],
      ['/todos/1', { method: 'PATCH', json: { done: false } }],
      ['/todos?limit=0', {}],
      ['/todos?status=later', {}],
      ['/todos?offset=-1', {}],
      ['/report?day=yesterday', {}],
    ] as const) {
      const response = await call('cy', path, init);
      expect(response.status, path).toBe(400);
      expect(await errorCode(response)).toBe('INVALID_INPUT');
    }
    expect(((await (await call('cy', '/todos?status=all')).json()) as TodoPage).total).toBe(0);
  });

  it('/todo and /report in a story reach the same list; GET /report counts the day', async () => {
    const session = await dd.openSession({ userId: 'dee' });
    for (const text of ['/todo add ask the smith about the key', '/roll 2d6', '/todo done 1', '/report']) {
      const turn = session.send(text);
      for await (const _ of turn) {
        // drain
      }
    }
    const history = await session.history();
    expect(history.at(-1)).toMatchObject({ kind: 'todo' });
    expect(history.at(-1)?.content).toContain('- To-dos done: 1');
    expect(history.at(-1)?.content).toContain('- Dice rolled: 1');
    const { report } = (await (await call('dee', '/report')).json()) as { report: Record<string, unknown> };
    expect(report).toMatchObject({ turns: 4, rolls: 1, todosDone: 1, openTodos: 0, counted: true });
  });

  it(`pages a list of ${MAX_TODOS.toLocaleString('en')} to-dos and refuses one more`, async () => {
    for (let i = 1; i <= MAX_TODOS; i++) await dd.todos.add('eve', `task ${i}`);
    const page = (await (await call('eve', '/todos?limit=100&offset=9900')).json()) as TodoPage;
    expect(page.total).toBe(MAX_TODOS);
    expect(page.todos).toHaveLength(100);
    expect(page.todos[0]?.n).toBe(100);
    const full = await call('eve', '/todos', { method: 'POST', json: { text: 'one more' } });
    expect(full.status).toBe(409);
    expect(await errorCode(full)).toBe('CONFLICT');
    const finished = await call('eve', `/todos/${MAX_TODOS}`, { method: 'PATCH', json: { done: true } });
    expect(finished.status).toBe(200);
    expect(await (await call('eve', '/todos', { method: 'DELETE' })).json()).toEqual({ removed: MAX_TODOS });
  });
});
