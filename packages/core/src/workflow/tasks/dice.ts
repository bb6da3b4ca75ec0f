import { task } from '@langchain/langgraph';
import { diceLine, formatRoll, rollDice } from '../../dice/roll-dice.js';
import { DreamdeckError } from '../../errors.js';
import { newMessage, sendReply, storeReply } from '../story-messages.js';
import { switchedOff } from '../switched-off.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** A roll the player asked for. */
export interface DiceInput {
  threadId: string;
  turnId: string;
  userId: string;
  notation: string;
  reason?: string;
}

/** What a roll gives the narration: its line for the model, none when nothing was rolled. */
export interface DiceOutcome {
  line: string | undefined;
}

/**
 * The `roll-dice` task: rolls, emits `dice-roll`, and stores the roll as a `dice` message. When
 * `diceRolling` is off for the user, or the notation is bad, it stores a `dice` message that says
 * so (with an error part) and rolls nothing.
 */
export function createDiceTask(context: TurnContext) {
  return task('roll-dice', async (input: DiceInput): Promise<DiceOutcome> => {
    if (!(await context.flags.isEnabled('diceRolling', { userId: input.userId }))) {
      const message = await switchedOff(context, 'diceRolling', input.userId, 'Dice rolling');
      await sendReply(context, {
        ...input,
        kind: 'dice',
        content: message,
        parts: [{ type: 'error', code: 'FEATURE_DISABLED', message }],
      });
      return { line: undefined };
    }
    try {
      const roll = rollDice(input.notation, input.reason);
      const message = newMessage(input.threadId, input.turnId, {
        role: 'tool',
        kind: 'dice',
        content: formatRoll(roll),
        parts: [{ type: 'dice', roll }],
      });
      sinkFor(context, input.threadId).emit({ type: 'dice-roll', messageId: message.id, roll });
      await storeReply(context, input.threadId, message);
      await context.storage.addUsage?.(input.userId, 'rolls');
      return { line: diceLine(roll) };
    } catch (error) {
      if (!DreamdeckError.isInstance(error) || error.code !== 'INVALID_INPUT') throw error;
      await storeReply(
        context,
        input.threadId,
        newMessage(input.threadId, input.turnId, {
          role: 'tool',
          kind: 'dice',
          content: error.message,
          parts: [{ type: 'error', code: error.code, message: error.message }],
        }),
      );
      return { line: undefined };
    }
  });
}
