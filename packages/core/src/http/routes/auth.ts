import { randomUUID } from 'node:crypto';
import { DreamdeckError } from '../../errors.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse } from '../validation.js';

/**
 * `POST /auth/guest` (a signed token for a new `guest_…` user; 404 when guest mode is off) and
 * `GET /me` (the caller, and the limits a client shapes its input by: `inputMaxLength` is config
 * `input.maxLength`, the longest turn text accepted).
 */
export function authRoutes({ dd, options, maxBodyBytes }: HttpContext): Route[] {
  return [
    {
      method: 'POST',
      pattern: ['auth', 'guest'],
      name: '/auth/guest',
      open: true,
      handle: async ({ request }) => {
        if (!options.guest) throw new DreamdeckError('NOT_FOUND', 'Guest mode is off on this server.');
        parse(emptyBody, (await readJsonBody(request, maxBodyBytes)) ?? {});
        const user = { id: `guest_${randomUUID().replaceAll('-', '')}`, roles: ['guest'] };
        const ttlSeconds = 'ttlSeconds' in options.guest ? options.guest.ttlSeconds : undefined;
        const token = await options.guest.issueToken({ ...user, ...(ttlSeconds && { ttlSeconds }) });
        await dd.storage.upsertUser({ id: user.id, roles: user.roles });
        return jsonResponse({ token, user }, 201);
      },
    },
    {
      method: 'GET',
      pattern: ['me'],
      name: '/me',
      handle: async ({ user }) =>
        jsonResponse({
          user: { id: user.id, roles: user.roles ?? [] },
          limits: { inputMaxLength: dd.config.input.maxLength },
        }),
    },
  ];
}
