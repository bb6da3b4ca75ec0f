import type { Dreamdeck } from '../../dreamdeck.js';
import { DreamdeckError } from '../../errors.js';
import type { HttpContext } from '../http-context.js';
import { jsonResponse } from '../http-errors.js';
import type { Route } from '../router.js';

/** `GET /personas`: the personas a player may pick (their own, imported from cards, last), and the default. */
export function personaRoutes({ dd }: HttpContext): Route[] {
  return [
    {
      method: 'GET',
      pattern: ['personas'],
      name: '/personas',
      handle: async ({ user }) =>
        jsonResponse({
          personas: [...dd.personas(), ...(user.id ? await dd.lore.personas(user.id) : [])].map(
            ({ id, name, description, icon }) => ({ id, name, description, icon }),
          ),
          defaultPersona: dd.config.defaultPersona,
        }),
    },
  ];
}

/** True when `persona` is the id of one of the engine's personas. */
export function isPersona(dd: Dreamdeck, persona: string): boolean {
  return dd.personas().some((p) => p.id === persona);
}

/** Throws `INVALID_INPUT` (400) unless `persona` is the id of one of the engine's personas. */
export function checkPersona(dd: Dreamdeck, persona: string): void {
  if (!isPersona(dd, persona)) throw new DreamdeckError('INVALID_INPUT', `There is no persona "${persona}".`);
}

/** True when `persona` is one of the engine's personas or one `userId` imported from a card. */
export async function isPersonaFor(dd: Dreamdeck, userId: string, persona: string): Promise<boolean> {
  return isPersona(dd, persona) || (await dd.lore.personas(userId)).some((p) => p.id === persona);
}

/** Throws `INVALID_INPUT` (400) unless `persona` is one of the engine's or `userId`'s own personas. */
export async function checkPersonaFor(dd: Dreamdeck, userId: string, persona: string): Promise<void> {
  if (!(await isPersonaFor(dd, userId, persona)))
    throw new DreamdeckError('INVALID_INPUT', `There is no persona "${persona}".`);
}
