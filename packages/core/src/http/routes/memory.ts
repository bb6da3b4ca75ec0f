import { z } from 'zod';
import { MAX_MEMORY_LENGTH } from '../../memory/memory-text.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { cleanTextSchema, emptyQuery, idSchema } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/** `GET /memories`. */
export const listMemoriesQuery = z.strictObject({
  threadId: idSchema.optional(),
  query: cleanTextSchema(500).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** `POST /memories`. */
export const rememberBody = z
  .strictObject({
    text: cleanTextSchema(MAX_MEMORY_LENGTH, 1),
    scope: z.enum(['user', 'thread']).optional(),
    threadId: idSchema.optional(),
  })
  .refine((body) => body.scope !== 'thread' || body.threadId !== undefined, 'a thread memory needs a threadId');

/** `PATCH /memories/:id`. */
export const updateMemoryBody = z.strictObject({ text: cleanTextSchema(MAX_MEMORY_LENGTH, 1) });

/** `GET /threads/:id/context`: `?text=` previews the prompt for that player message. */
export const contextQuery = z.strictObject({ text: cleanTextSchema(100_000).optional() });

/**
 * The caller's long-term memory (`dd.memory`) and the prompt inspector: list (`?threadId=&query=`),
 * remember (201), update, forget (204, for good); `GET /threads/:id/context` (the exact prompt the
 * next narration sends, with tokens per section) and `GET /threads/:id/summary`. Owner-only: another
 * user's memory or thread answers 404.
 */
export function memoryRoutes({ dd, maxBodyBytes, openSession }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['memories'],
      name: '/memories',
      handle: async ({ url, user }) => {
        const query = parseQuery(listMemoriesQuery, url);
        const memories = await dd.memory.list(user.id, {
          ...(query.threadId && { threadId: query.threadId }),
          ...(query.query && { query: query.query }),
          ...(query.limit && { limit: query.limit }),
        });
        return jsonResponse({ memories });
      },
    },
    {
      method: 'POST',
      pattern: ['memories'],
      name: '/memories',
      handle: async ({ request, user }) => {
        const body = parse(rememberBody, await readJsonBody(request, maxBodyBytes));
        const memory = await dd.memory.remember(user.id, body);
        return jsonResponse({ memory }, 201);
      },
    },
    {
      method: 'PATCH',
      pattern: ['memories', ':id'],
      name: '/memories/:id',
      handle: async ({ request, user, params }) => {
        const body = parse(updateMemoryBody, await readJsonBody(request, maxBodyBytes));
        return jsonResponse({ memory: await dd.memory.update(user.id, params.id!, body) });
      },
    },
    {
      method: 'DELETE',
      pattern: ['memories', ':id'],
      name: '/memories/:id',
      handle: async ({ user, params }) => {
        await dd.memory.forget(user.id, params.id!);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'context'],
      name: '/threads/:id/context',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(contextQuery, url);
        const session = await openSession(user, params.id!);
        return jsonResponse(await session.context(query.text));
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'summary'],
      name: '/threads/:id/summary',
      handle: async ({ url, user, params }) => {
        parseQuery(emptyQuery, url);
        const session = await openSession(user, params.id!);
        return jsonResponse({ summary: await session.summary() });
      },
    },
  ];
}
