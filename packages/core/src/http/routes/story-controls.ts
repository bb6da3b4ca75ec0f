import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { editMessageBody, emptyBody, importStoryBody, messageIdBody, selectAlternativeBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse } from '../validation.js';

/** The largest story file `POST /threads/import` reads (what the Node listener reads by default). */
export const MAX_IMPORT_BYTES = 1024 * 1024;

/**
 * The story controls over HTTP (see docs/story-controls.md): edit a message (an event stream when
 * the GM answers again), rewind, branch, continue the latest reply (an event stream), show another
 * version of a regenerated reply, import a story. Each opens the caller's own session first, so
 * another user's thread answers 404; a control refused while a turn runs answers 409 `CONFLICT`.
 * The streamed ones count against `turnsPerMinute`, the others against `apiCallsPerHour`.
 */
export function storyControlRoutes({ dd, maxBodyBytes, openSession, streams }: HttpContext): Route[] {
  return [
    {
      method: 'PATCH',
      pattern: ['threads', ':id', 'messages', ':mid'],
      name: '/threads/:id/messages/:mid',
      stream: true,
      handle: async (context) => {
        const body = parse(editMessageBody, await readJsonBody(context.request, maxBodyBytes));
        const { id, mid } = context.params as { id: string; mid: string };
        if (body.rerun) {
          return streams.start(context, id, (session, signal) => session.edit(mid, body.text, { rerun: true, signal }));
        }
        await dd.limits.consume(context.user.id, 'apiCallsPerHour');
        const session = await openSession(context.user, id);
        return jsonResponse({ message: await session.edit(mid, body.text) });
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'rewind'],
      name: '/threads/:id/rewind',
      handle: async ({ request, user, params }) => {
        const body = parse(messageIdBody, await readJsonBody(request, maxBodyBytes));
        const session = await openSession(user, params.id!);
        const rewound = await session.rewind(body.messageId);
        return jsonResponse({ rewound, messages: await session.history({ limit: 200 }) });
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'branch'],
      name: '/threads/:id/branch',
      handle: async ({ request, user, params }) => {
        const body = parse(messageIdBody, await readJsonBody(request, maxBodyBytes));
        const branch = await (await openSession(user, params.id!)).branch(body.messageId);
        return jsonResponse({ thread: branch.thread }, 201);
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'continue'],
      name: '/threads/:id/continue',
      stream: true,
      handle: async (context) => {
        parse(emptyBody, (await readJsonBody(context.request, maxBodyBytes)) ?? {});
        return streams.start(context, context.params.id!, (session, signal) => session.continue({ signal }));
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'messages', ':mid', 'select'],
      name: '/threads/:id/messages/:mid/select',
      handle: async ({ request, user, params }) => {
        const body = parse(selectAlternativeBody, await readJsonBody(request, maxBodyBytes));
        const session = await openSession(user, params.id!);
        return jsonResponse({ message: await session.selectAlternative(params.mid!, body.index) });
      },
    },
    {
      method: 'POST',
      pattern: ['threads', 'import'],
      name: '/threads/import',
      handle: async ({ request, user }) => {
        const body = parse(importStoryBody, await readJsonBody(request, Math.max(maxBodyBytes, MAX_IMPORT_BYTES)));
        const session = await dd.importThread(user.id, 'text' in body ? body.text : body);
        return jsonResponse({ thread: session.thread }, 201);
      },
    },
  ];
}
