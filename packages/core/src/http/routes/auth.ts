import { randomUUID } from 'node:crypto';
import { DreamdeckError } from '../../errors.js';
import { clientAddressOf } from '../client-address.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse } from '../validation.js';

const HOUR_MS = 3_600_000;

/**
 * Spends one guest sign-up of the counter `key` (an hour's window on the storage's shared
 * counters, so the limit holds across instances); over `max` it throws `RATE_LIMITED`.
 */
async function spendGuestSignup(context: HttpContext, key: string, max: number): Promise<void> {
  const result = await context.dd.storage.consume(key, 1, HOUR_MS, max);
  if (result.allowed) return;
  const retryAfterMs = Math.max(1, result.resetInMs);
  throw new DreamdeckError(
    'RATE_LIMITED',
    `Too many guests have joined from here lately. Try again in ${Math.ceil(retryAfterMs / 60_000)} min.`,
    { retryAfterMs },
  );
}

/**
 * `POST /auth/guest` (a signed token for a new `guest_…` user; 404 when guest mode is off; at most
 * config `limits.guestsPerHourPerClient` per client address and `limits.guestsPerHour` in all, else 429) and
 * `GET /me` (the caller, and the limits a client shapes its input by: `inputMaxLength` is config
 * `input.maxLength`, the longest turn text accepted).
 */
export function authRoutes(context: HttpContext): Route[] {
  const { dd, options, maxBodyBytes } = context;
  const addressOf = options.clientAddress ?? clientAddressOf;
  return [
    {
      method: 'POST',
      pattern: ['auth', 'guest'],
      name: '/auth/guest',
      open: true,
      handle: async ({ request }) => {
        if (!options.guest) throw new DreamdeckError('NOT_FOUND', 'Guest mode is off on this server.');
        parse(emptyBody, (await readJsonBody(request, maxBodyBytes)) ?? {});
        const limits = dd.config.limits;
        const address = addressOf(request)?.slice(0, 200);
        if (address) await spendGuestSignup(context, `guests:${address}`, limits.guestsPerHourPerClient);
        await spendGuestSignup(context, 'guests', limits.guestsPerHour);
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
