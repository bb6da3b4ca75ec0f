import type { FlagName } from '../../config/config-schema.js';
import type { Dreamdeck } from '../../dreamdeck.js';
import { DreamdeckError } from '../../errors.js';
import { USER_TOGGLEABLE_FLAGS } from '../../flags/feature-flags.js';
import { STORYBOARD_PREFERENCES, type StoryboardPreference } from '../../workflow/turn-context.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import { emptyQuery, preferencesBody } from '../http-schemas.js';
import { readJsonBody } from '../read-body.js';
import type { Route } from '../router.js';
import type { AuthUser } from '../token-auth.js';
import { parse, parseQuery } from '../validation.js';
import { checkPersonaFor } from './personas.js';

/**
 * `GET /preferences` and `PATCH /preferences`: the caller's persona and their own toggles of the
 * flags users may toggle (403 for any other flag).
 */
export function preferenceRoutes({ dd, maxBodyBytes }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['preferences'],
      name: '/preferences',
      handle: async ({ url, user }) => {
        parseQuery(emptyQuery, url);
        return jsonResponse(await preferencesOf(dd, user));
      },
    },
    {
      method: 'PATCH',
      pattern: ['preferences'],
      name: '/preferences',
      handle: async ({ request, user }) => {
        const body = parse(preferencesBody, await readJsonBody(request, maxBodyBytes));
        for (const [name, value] of Object.entries(body.flags ?? {})) {
          if (value !== undefined && !USER_TOGGLEABLE_FLAGS.includes(name as FlagName)) {
            throw new DreamdeckError('FORBIDDEN', `The flag "${name}" can only be changed by an admin.`);
          }
        }
        if (body.persona) await checkPersonaFor(dd, user.id, body.persona);
        if (body.persona !== undefined) await dd.storage.setPreferences(user.id, { persona: body.persona });
        if (body.storyboards) await dd.storage.setPreferences(user.id, { storyboards: body.storyboards });
        for (const [name, value] of Object.entries(body.flags ?? {})) {
          if (value !== undefined) await dd.flags.set(name, value, { userId: user.id });
        }
        return jsonResponse(await preferencesOf(dd, user));
      },
    },
  ];
}

/** The body both preference routes answer: stored persona, the user's own toggles, effective flags. */
async function preferencesOf(dd: Dreamdeck, user: AuthUser) {
  const [stored, own, flags] = await Promise.all([
    dd.storage.getPreferences(user.id),
    dd.storage.getFlagOverrides({ userId: user.id }),
    dd.flags.effective({ userId: user.id }),
  ]);
  const mine: Partial<Record<FlagName, boolean>> = {};
  for (const name of USER_TOGGLEABLE_FLAGS) if (typeof own[name] === 'boolean') mine[name] = own[name];
  return {
    preferences: {
      persona: typeof stored.persona === 'string' ? stored.persona : null,
      flags: mine,
      // when the GM offers to paint scenes: every reply (default), only on /storyboard, or never asked
      storyboards: (STORYBOARD_PREFERENCES as unknown[]).includes(stored.storyboards)
        ? (stored.storyboards as StoryboardPreference)
        : 'every-reply',
    },
    flags,
    toggleable: [...USER_TOGGLEABLE_FLAGS],
  };
}
