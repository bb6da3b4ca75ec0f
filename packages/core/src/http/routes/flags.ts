import { USER_TOGGLEABLE_FLAGS } from '../../flags/feature-flags.js';
import { isAdmin, requireAdmin } from '../admin-role.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyQuery, flagsBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import { parse, parseQuery } from '../validation.js';

/**
 * `GET /flags` (effective for the caller; admins also get the global overrides) and
 * `PATCH /flags` (admin only: sets or, with `null`, removes global overrides; each change audited).
 */
export function flagRoutes({ dd, maxBodyBytes, audit }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['flags'],
      name: '/flags',
      handle: async ({ url, user }) => {
        parseQuery(emptyQuery, url);
        const flags = await dd.flags.effective({ userId: user.id });
        const overrides = isAdmin(user) ? { overrides: await dd.storage.getFlagOverrides() } : {};
        return jsonResponse({ flags, toggleable: [...USER_TOGGLEABLE_FLAGS], ...overrides });
      },
    },
    {
      method: 'PATCH',
      pattern: ['flags'],
      name: '/flags',
      handle: async ({ request, user, requestId }) => {
        requireAdmin(user);
        const body = parse(flagsBody, await readJsonBody(request, maxBodyBytes));
        for (const [name, value] of Object.entries(body)) {
          if (value === undefined) continue;
          await dd.flags.set(name, value);
          await audit({ type: 'flag-changed', userId: user.id, detail: { flag: name, value, requestId } });
        }
        return jsonResponse({
          flags: await dd.flags.effective(),
          overrides: await dd.storage.getFlagOverrides(),
          toggleable: [...USER_TOGGLEABLE_FLAGS],
        });
      },
    },
  ];
}
