import { z } from 'zod';
import type { HttpContext } from '../http-context.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/** A sequence number as a client sends it back (`Last-Event-ID`, `?after=`). */
const seqSchema = z
  .string()
  .regex(/^\d{1,10}$/, 'a whole number from 0')
  .transform(Number)
  .refine(Number.isSafeInteger, 'a whole number from 0');

const eventsQuery = z.strictObject({ after: seqSchema.optional() });

/**
 * Routes of a running turn: `GET /threads/:id/turns/:turnId/events` rejoins its event stream
 * after the `Last-Event-ID` header (or `?after=`), and `POST /threads/:id/turns/:turnId/stop`
 * stops it, on whichever instance it runs. The caller's threads only (404 otherwise, as for a
 * thread that does not exist); both count against `apiCallsPerHour`.
 */
export function turnEventRoutes({ streams, openSession }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['threads', ':id', 'turns', ':turnId', 'events'],
      name: '/threads/:id/turns/:turnId/events',
      handle: async (context) => {
        const query = parseQuery(eventsQuery, context.url);
        const header = context.request.headers.get('last-event-id');
        const fromHeader =
          header === null || header.trim() === '' ? undefined : parse(seqSchema, header.trim(), 'Last-Event-ID');
        const after = fromHeader ?? query.after ?? 0;
        return streams.replay(context, context.params.id!, context.params.turnId!, after);
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'turns', ':turnId', 'stop'],
      name: '/threads/:id/turns/:turnId/stop',
      handle: async (context) => {
        const session = await openSession(context.user, context.params.id!);
        await session.stop(context.params.turnId!);
        return new Response(null, { status: 204, headers: context.headers });
      },
    },
  ];
}
