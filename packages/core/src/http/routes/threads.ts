import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import {
  createThreadBody,
  exportQuery,
  feedbackBody,
  listThreadsQuery,
  messagesQuery,
  updateThreadBody,
} from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';
import { checkPersonaFor, isPersonaFor } from './personas.js';
import { historyPage, pendingInterruptOf, withOwnFeedback } from './thread-views.js';

/**
 * The caller's threads and their messages: create, list, read (with a pending interrupt), page
 * messages, rename or change persona, delete, rate a message, export the story (a download; `/save`
 * turns left out, each message cut at 100,000 characters). Every route that takes a
 * thread id opens the caller's own session first, so another user's thread answers 404.
 */
export function threadRoutes({ dd, maxBodyBytes, openSession }: HttpContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: ['threads'],
      name: '/threads',
      handle: async ({ request, user }) => {
        const body = parse(createThreadBody, (await readJsonBody(request, maxBodyBytes)) ?? {});
        let persona = body.persona;
        if (persona) await checkPersonaFor(dd, user.id, persona);
        else {
          const stored = (await dd.storage.getPreferences(user.id)).persona;
          if (typeof stored === 'string' && (await isPersonaFor(dd, user.id, stored))) persona = stored;
        }
        const session = await dd.openSession({
          userId: user.id,
          ...(persona && { persona }),
          ...(body.title && { title: body.title }),
        });
        return jsonResponse({ thread: session.thread }, 201);
      },
    },
    {
      method: 'GET',
      pattern: ['threads'],
      name: '/threads',
      handle: async ({ url, user }) => {
        const query = parseQuery(listThreadsQuery, url);
        const page = await dd.storage.listThreads(user.id, query);
        return jsonResponse({ threads: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(messagesQuery, url);
        const session = await openSession(user, params.id!);
        const { messages, hasMore } = await historyPage(session, query, 200);
        const [thread, page, interrupt] = await Promise.all([
          dd.storage.getThread(session.threadId),
          withOwnFeedback(dd, user, messages),
          // a running turn delivers its own interrupt to the client that streams it
          session.turnRunning ? undefined : pendingInterruptOf(session),
        ]);
        return jsonResponse({
          thread: thread ?? session.thread,
          messages: page,
          hasMore,
          ...(interrupt && { interrupt }),
        });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'messages'],
      name: '/threads/:id/messages',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(messagesQuery, url);
        const session = await openSession(user, params.id!);
        const { messages, hasMore } = await historyPage(session, query, 50);
        return jsonResponse({ messages: await withOwnFeedback(dd, user, messages), hasMore });
      },
    },
    {
      method: 'PATCH',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ request, user, params }) => {
        const body = parse(updateThreadBody, await readJsonBody(request, maxBodyBytes));
        const session = await openSession(user, params.id!);
        if (body.persona) await checkPersonaFor(dd, user.id, body.persona);
        const thread = await dd.storage.updateThread(session.threadId, {
          ...(body.title && { title: body.title }),
          ...(body.persona && { persona: body.persona }),
        });
        return jsonResponse({ thread });
      },
    },
    {
      method: 'DELETE',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ user, params }) => {
        // what memory keeps of the story goes with it, for good (its user-wide memories stay)
        await (await openSession(user, params.id!)).delete();
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'messages', ':mid', 'feedback'],
      name: '/threads/:id/messages/:mid/feedback',
      handle: async ({ request, user, params }) => {
        const body = parse(feedbackBody, await readJsonBody(request, maxBodyBytes));
        const session = await openSession(user, params.id!);
        await session.feedback(params.mid!, body.value, body.comment || undefined);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'export'],
      name: '/threads/:id/export',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(exportQuery, url);
        const session = await openSession(user, params.id!);
        const story = await session.export(query.format);
        const json = query.format === 'json';
        return new Response(story, {
          headers: {
            'content-type': json ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
            'content-disposition': `attachment; filename="${session.threadId}.${json ? 'json' : 'md'}"`,
            'cache-control': 'no-store',
          },
        });
      },
    },
  ];
}
