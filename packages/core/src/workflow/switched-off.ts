import type { FlagName } from '../config/config-schema.js';
import type { TurnContext } from './turn-context.js';

/**
 * What the GM says when a feature is off: where it was switched off, so the player knows whether
 * their settings can turn it back on (issue 21: "switched off for this story" was said when an
 * admin had switched it off for everyone).
 *
 * @param context - the turn context (its flags)
 * @param name - the flag
 * @param userId - the player
 * @param what - the feature, as the sentence's subject ("Dice rolling")
 */
export async function switchedOff(context: TurnContext, name: FlagName, userId: string, what: string): Promise<string> {
  return (await context.flags.offBy(name, { userId })) === 'player'
    ? `${what} is switched off in your settings.`
    : `${what} is switched off on this server.`;
}
