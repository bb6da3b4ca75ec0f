import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../errors.js';
import { findDiceInText, formatRoll, naturalNote, rollDice } from './roll-dice.js';

const kept = (roll: ReturnType<typeof rollDice>) => roll.rolls.filter((r) => !r.dropped);

describe('rollDice', () => {
  it.each([
    ['2d6', 2, 12, 2],
    ['1d20+5', 6, 25, 1],
    ['d%', 1, 100, 1],
    ['4dF', -4, 4, 4],
  ])('rolls %s within bounds', (notation, min, max, dice) => {
    for (let i = 0; i < 50; i++) {
      const roll = rollDice(notation);
      expect(roll.total).toBeGreaterThanOrEqual(min);
      expect(roll.total).toBeLessThanOrEqual(max);
      expect(roll.rolls).toHaveLength(dice);
    }
  });

  it('keeps the highest three of 4d6 and totals only kept dice', () => {
    for (let i = 0; i < 50; i++) {
      const roll = rollDice('4d6kh3');
      expect(roll.rolls).toHaveLength(4);
      expect(kept(roll)).toHaveLength(3);
      const dropped = roll.rolls.find((r) => r.dropped)!;
      expect(kept(roll).every((r) => r.value >= dropped.value)).toBe(true);
      expect(roll.total).toBe(kept(roll).reduce((sum, r) => sum + r.value, 0));
    }
  });

  it('keeps the lowest of 2d20 (disadvantage)', () => {
    const roll = rollDice('2d20kl1');
    expect(kept(roll)).toHaveLength(1);
    expect(roll.total).toBe(Math.min(...roll.rolls.map((r) => r.value)));
  });

  it('explodes 3d6! (an exploded die is followed by another)', () => {
    let sawExplosion = false;
    for (let i = 0; i < 300 && !sawExplosion; i++) {
      const roll = rollDice('3d6!');
      expect(roll.total).toBe(roll.rolls.reduce((sum, r) => sum + r.value, 0));
      if (roll.rolls.some((r) => r.exploded)) {
        sawExplosion = true;
        expect(roll.rolls.length).toBeGreaterThan(3);
      }
    }
    expect(sawExplosion).toBe(true);
  });

  it('keeps the reason without a leading "for"', () => {
    expect(rollDice('1d20', 'for strength').reason).toBe('strength');
  });

  it.each(['1000000d6', 'd0', '101d6', '1d100000', 'banana', '', '1d6+'.repeat(40)])(
    'rejects %j with INVALID_INPUT',
    (notation) => {
      const attempt = () => rollDice(notation);
      expect(attempt).toThrow(DreamdeckError);
      try {
        attempt();
      } catch (error) {
        expect(DreamdeckError.isInstance(error) && error.code).toBe('INVALID_INPUT');
      }
    },
  );

  it('reports natural 20 and natural 1 on a single d20 only', () => {
    const fake = (notation: string, values: number[]) => ({
      notation,
      rolls: values.map((value) => ({ value })),
      total: 0,
      output: '',
    });
    expect(naturalNote(fake('1d20+3', [20]))).toBe('natural 20');
    expect(naturalNote(fake('d20', [1]))).toBe('natural 1');
    expect(naturalNote(fake('2d20', [20, 1]))).toBeUndefined();
    expect(naturalNote(fake('1d6', [1]))).toBeUndefined();
  });

  it('formats dropped dice struck through', () => {
    const text = formatRoll({
      notation: '2d20kl1',
      rolls: [{ value: 15, dropped: true }, { value: 3 }],
      total: 3,
      output: '',
    });
    expect(text).toContain('~~15~~');
    expect(text).toContain('**3**');
  });
});

describe('findDiceInText', () => {
  it.each([
    ['roll 2d6 for attack', '2d6', 'attack'],
    ['I roll 1d20+3 to climb the wall', '1d20+3', 'climb the wall'],
    ['roll d% please', 'd%', undefined],
    ['roll 4d6kh3', '4d6kh3', undefined],
  ])('finds dice in %j', (text, notation, reason) => {
    expect(findDiceInText(text)).toEqual({ notation, ...(reason && { reason }) });
  });

  it('ignores words that only look like dice', () => {
    expect(findDiceInText('the dragon dived at us')).toBeUndefined();
  });
});

describe('dice arithmetic (the lightweight mathjs instance)', () => {
  it.each([
    ['1d1+floor(7/2)*2', 7],
    ['1d1+ceil(2.1)+abs(-3)+round(1.6)', 9],
    ['1d1*sqrt(16)+pow(2,3)-sign(-5)', 13],
    ['1d1+min(4,9)+max(4,9)', 14],
    ['(1d1+2)^2%5', 4],
  ])('evaluates %s', (notation, total) => {
    expect(rollDice(notation).total).toBe(total);
  });

  it('builds only what dice notation reaches', async () => {
    const { evaluate } = await import('./dice-math.js');
    expect(evaluate('2+3*floor(2.5)')).toBe(8);
    // full mathjs would have these; the dice instance never builds them
    expect(() => evaluate('simplify("x+x")')).toThrow(/Undefined function simplify/);
    expect(() => evaluate('derivative("x^2", "x")')).toThrow(/Undefined function derivative/);
  });
});
