import { z } from 'zod';
import { DreamdeckError } from '../../errors.js';
import { MAX_TODO_LENGTH, MAX_TODOS } from '../../todos/todo-book.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { cleanTextSchema } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/** `GET /todos`: which to-dos, and the page. */
export const listTodosQuery = z.strictObject({
  status: z.enum(['open', 'done', 'all']).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
  offset: z.coerce.number().int().min(0).max(MAX_TODOS).optional(),
});

/** `POST /todos`. */
export const addTodoBody = z.strictObject({ text: cleanTextSchema(MAX_TODO_LENGTH, 1) });

/** `PATCH /todos/:n`: only marking done is supported (a done to-do stays done). */
export const updateTodoBody = z.strictObject({ done: z.literal(true) });

/** `GET /report`. */
export const reportQuery = z.strictObject({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is written YYYY-MM-DD')
    .optional(),
});

function todoNumber(value: string | undefined): number {
  const n = Number(value);
  if (!value || !/^\d{1,9}$/.test(value) || n < 1) {
    throw new DreamdeckError('INVALID_INPUT', 'A to-do is named by its number, for example /todos/3.');
  }
  return n;
}

/**
 * The caller's to-do list and daily report (`dd.todos`): `GET /todos` (`?status=open|done|all&limit=&offset=`,
 * newest first, with totals), `POST /todos` `{ text }` → 201, `PATCH /todos/:n` `{ done: true }`,
 * `DELETE /todos` (clears the list; answers how many went), `GET /report` (`?day=YYYY-MM-DD`,
 * default today, UTC): the counts and the markdown `/report` shows.
 */
export function todoRoutes({ dd, maxBodyBytes }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['todos'],
      name: '/todos',
      handle: async ({ url, user }) => {
        const query = parseQuery(listTodosQuery, url);
        return jsonResponse(await dd.todos.list(user.id, query));
      },
    },
    {
      method: 'POST',
      pattern: ['todos'],
      name: '/todos',
      handle: async ({ request, user }) => {
        const body = parse(addTodoBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ todo: await dd.todos.add(user.id, body.text) }, 201);
      },
    },
    {
      method: 'DELETE',
      pattern: ['todos'],
      name: '/todos',
      handle: async ({ user }) => jsonResponse({ removed: await dd.todos.clear(user.id) }),
    },
    {
      method: 'PATCH',
      pattern: ['todos', ':n'],
      name: '/todos/:n',
      handle: async ({ request, user, params }) => {
        const n = todoNumber(params.n);
        parse(updateTodoBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ todo: await dd.todos.done(user.id, n) });
      },
    },
    {
      method: 'GET',
      pattern: ['report'],
      name: '/report',
      handle: async ({ url, user }) => {
        const query = parseQuery(reportQuery, url);
        return jsonResponse({ report: await dd.todos.report(user.id, query.day) });
      },
    },
  ];
}
