import type { HttpContext } from '../http-context.js';
import { regenerateBody, resumeBody, turnBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse } from '../validation.js';

/**
 * The routes that run a turn and answer its event stream: `POST /threads/:id/turns` (the player's
 * text), `POST /threads/:id/resume` (an interrupt's answer) and
 * `POST /threads/:id/messages/:mid/regenerate`. A new turn and a regenerate count against
 * `turnsPerMinute`; a resume (which runs no new turn) counts against `apiCallsPerHour`, spent
 * before its stream starts, so answering interrupts is bounded too.
 */
export function turnRoutes({ dd, maxBodyBytes, streams }: HttpContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: ['threads', ':id', 'turns'],
      name: '/threads/:id/turns',
      stream: true,
      handle: async (context) => {
        const body = parse(turnBody(dd.config.input.maxLength), await readJsonBody(context.request, maxBodyBytes));
        return streams.start(context, context.params.id!, (session, signal) => session.send(body.text, { signal }));
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'resume'],
      name: '/threads/:id/resume',
      stream: true,
      handle: async (context) => {
        await dd.limits.consume(context.user.id, 'apiCallsPerHour');
        const body = parse(resumeBody, await readJsonBody(context.request, maxBodyBytes));
        return streams.start(context, context.params.id!, (session, signal) =>
          session.resume(body.interruptId, body.value, { signal }),
        );
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'messages', ':mid', 'regenerate'],
      name: '/threads/:id/messages/:mid/regenerate',
      stream: true,
      handle: async (context) => {
        parse(regenerateBody, (await readJsonBody(context.request, maxBodyBytes)) ?? {});
        return streams.start(context, context.params.id!, (session, signal) =>
          session.regenerate(context.params.mid, { signal }),
        );
      },
    },
  ];
}
