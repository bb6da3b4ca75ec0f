import { interrupt } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import type { StoryMessage } from '../../types.js';
import { createDiceTask } from './dice.js';
import { createTestTurn, type TestTurn } from './test-turn.js';

const roll = (turn: TestTurn, notation: string, reason?: string) => ({
  threadId: turn.threadId,
  turnId: turn.turnId,
  userId: turn.userId,
  notation,
  ...(reason && { reason }),
});

describe('the roll-dice task', () => {
  it('rolls, emits the roll, and stores it as a dice message whose line the narration gets', async () => {
    const turn = await createTestTurn();
    const rollDice = createDiceTask(turn.context);
    const run = await turn.run(() => rollDice(roll(turn, '2d6+3', 'strength')));
    expect(run.tasks).toEqual(['roll-dice']);
    const [message] = (await turn.storage.listMessages(turn.threadId)) as [StoryMessage];
    expect(message).toMatchObject({ role: 'tool', kind: 'dice', status: 'complete', turnId: turn.turnId });
    const part = message.parts?.[0];
    if (part?.type !== 'dice') throw new Error(`expected a dice part, got ${JSON.stringify(part)}`);
    expect(part.roll).toMatchObject({ notation: '2d6+3', reason: 'strength' });
    expect(part.roll.rolls).toHaveLength(2);
    expect(part.roll.total).toBe(part.roll.rolls.reduce((sum, die) => sum + die.value, 0) + 3);
    expect(run.result?.line).toMatch(new RegExp(`^Dice: 2d6\\+3 for strength → ${part.roll.total}\\b`));
    // the roll comes first, then the message whole
    expect(turn.events.map((e) => e.type)).toEqual(['dice-roll', 'message-start', 'message-delta', 'message-end']);
    expect(turn.events[0]).toEqual({ type: 'dice-roll', messageId: message.id, roll: part.roll });
    expect(turn.events[1]).toEqual({ type: 'message-start', messageId: message.id, role: 'tool', kind: 'dice' });
    expect(turn.events[2]).toMatchObject({ type: 'message-delta', text: message.content });
  });

  it('answers bad notation with a dice message that says what is wrong, and rolls nothing', async () => {
    const turn = await createTestTurn();
    const rollDice = createDiceTask(turn.context);
    const run = await turn.run(() => rollDice(roll(turn, 'banana')));
    expect(run.result).toEqual({});
    const [message] = (await turn.storage.listMessages(turn.threadId)) as [StoryMessage];
    expect(message.kind).toBe('dice');
    expect(message.parts).toEqual([{ type: 'error', code: 'INVALID_INPUT', message: message.content }]);
    expect(message.content).toMatch(/banana/);
    expect(turn.events.some((e) => e.type === 'dice-roll')).toBe(false);
  });

  // issue 21: "switched off for this story" was said whoever had switched it off
  it("says where dice rolling was switched off: the player's settings, or the server", async () => {
    const turn = await createTestTurn();
    await turn.context.flags.set('diceRolling', false, { userId: turn.userId });
    const rollDice = createDiceTask(turn.context);
    await turn.run(() => rollDice(roll(turn, '1d20')));
    const [mine] = (await turn.storage.listMessages(turn.threadId)) as [StoryMessage];
    expect(mine.content).toBe('Dice rolling is switched off in your settings.');
    await turn.context.flags.set('diceRolling', null, { userId: turn.userId });
    await turn.context.flags.set('diceRolling', false);
    await turn.run(() => rollDice(roll(turn, '1d20')));
    const [, server] = (await turn.storage.listMessages(turn.threadId)) as [StoryMessage, StoryMessage];
    expect(server.content).toBe('Dice rolling is switched off on this server.');
  });

  it('says so, and rolls nothing, when dice rolling is off', async () => {
    const turn = await createTestTurn({ config: { features: { diceRolling: false } } });
    const rollDice = createDiceTask(turn.context);
    const run = await turn.run(() => rollDice(roll(turn, '1d20')));
    expect(run.result).toEqual({});
    const [message] = (await turn.storage.listMessages(turn.threadId)) as [StoryMessage];
    expect(message).toMatchObject({ kind: 'dice', content: 'Dice rolling is switched off on this server.' });
    expect(message.parts).toEqual([
      { type: 'error', code: 'FEATURE_DISABLED', message: 'Dice rolling is switched off on this server.' },
    ]);
    expect(turn.events.some((e) => e.type === 'dice-roll')).toBe(false);
  });

  it('is replayed, not rolled again, when a turn paused after it resumes', async () => {
    const turn = await createTestTurn();
    const rollDice = createDiceTask(turn.context);
    const body = async () => {
      const { line } = await rollDice(roll(turn, '1d100'));
      return `${line} / ${interrupt('go on?')}`;
    };
    const paused = await turn.run(body);
    expect(paused.interrupts).toEqual(['go on?']);
    const resumed = await turn.run(body, { value: 'yes' });
    expect(resumed.tasks).toEqual([]);
    expect(resumed.replayed).toEqual(['roll-dice']);
    const messages = await turn.storage.listMessages(turn.threadId);
    expect(messages).toHaveLength(1);
    expect(turn.events.filter((e) => e.type === 'dice-roll')).toHaveLength(1);
    const part = messages[0]?.parts?.[0];
    expect(part?.type === 'dice' && resumed.result).toBe(
      `Dice: 1d100 → ${part?.type === 'dice' && part.roll.total} / yes`,
    );
  });
});
