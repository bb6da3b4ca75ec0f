import { DiceRoll as LibraryRoll, Parser } from '@dice-roller/rpg-dice-roller';
import { DreamdeckError } from '../errors.js';
import type { DiceRoll } from '../types.js';

/** Caps that keep a roll fast and its output readable. */
export const DICE_LIMITS = { maxDice: 100, maxSides: 10_000, maxNotationLength: 80 } as const;

const invalid = (message: string, cause?: unknown) =>
  new DreamdeckError('INVALID_INPUT', message, cause === undefined ? {} : { cause });

interface ParsedDie {
  qty?: number;
  sides?: number | string;
}

/**
 * Rolls dice notation (`2d6`, `1d20+5`, `4d6kh3`, `2d20kl1`, `3d6!`, `d%`, `4dF`, …) with
 * `@dice-roller/rpg-dice-roller`. Absurd or invalid notation (`1000000d6`, `d0`) throws
 * `INVALID_INPUT` with a message a player can act on; it never hangs.
 */
export function rollDice(notation: string, reason?: string): DiceRoll {
  const text = notation.trim().replace(/\s+/g, '');
  if (!text) throw invalid('Tell me which dice to roll, for example `/roll 1d20+3`.');
  if (text.length > DICE_LIMITS.maxNotationLength) throw invalid('That dice notation is too long.');
  let parsed: unknown[];
  try {
    parsed = Parser.parse(text) as unknown[];
  } catch (error) {
    throw invalid(`\`${text}\` is not dice notation I understand. Try \`2d6\`, \`1d20+5\` or \`4d6kh3\`.`, error);
  }
  let dice = 0;
  for (const part of parsed) {
    const die = part as ParsedDie;
    if (typeof part !== 'object' || part === null || die.qty === undefined) continue;
    dice += die.qty;
    if (typeof die.sides === 'number' && die.sides > DICE_LIMITS.maxSides) {
      throw invalid(`Dice with more than ${DICE_LIMITS.maxSides} sides are not allowed.`);
    }
  }
  if (dice === 0) throw invalid(`\`${text}\` has no dice in it. Try \`1d20\`.`);
  if (dice > DICE_LIMITS.maxDice)
    throw invalid(`That is ${dice} dice; the most I roll at once is ${DICE_LIMITS.maxDice}.`);
  let roll: LibraryRoll;
  try {
    roll = new LibraryRoll(text);
  } catch (error) {
    throw invalid(`I can't roll \`${text}\`: ${(error as Error).message}.`, error);
  }
  const rolls: DiceRoll['rolls'] = [];
  for (const group of roll.rolls as unknown[]) {
    const results = (group as { rolls?: unknown[] }).rolls;
    if (!Array.isArray(results)) continue;
    for (const result of results as Array<{ value: number; modifiers: Set<string>; useInTotal?: boolean }>) {
      const modifiers = result.modifiers ?? new Set<string>();
      rolls.push({
        value: result.value,
        ...(result.useInTotal === false || modifiers.has('drop') ? { dropped: true } : {}),
        ...(modifiers.has('explode') ? { exploded: true } : {}),
        ...(modifiers.has('critical-success') ? { critical: 'success' as const } : {}),
        ...(modifiers.has('critical-failure') ? { critical: 'failure' as const } : {}),
      });
    }
  }
  const cleanReason = reason
    ?.trim()
    .replace(/^for\s+/i, '')
    .slice(0, 200);
  return {
    notation: roll.notation,
    rolls,
    total: roll.total,
    output: roll.output,
    ...(cleanReason ? { reason: cleanReason } : {}),
  };
}

/** Matches dice notation inside free text ("roll 2d6 for attack"). */
const NOTATION =
  /(?<![\w])(\d{0,4}d(?:\d{1,6}|%|F)(?:!{1,2}|kh\d*|kl\d*|dh\d*|dl\d*|k\d*|d\d+|r\d*|ro\d*|[<>=]\d+)*(?:\s*[+\-*/]\s*(?:\d{0,4}d(?:\d{1,6}|%|F)(?:!{1,2}|kh\d*|kl\d*|k\d*)*|\d+))*)(?![\w])/i;

/** Finds the first dice notation in free text and the reason after it ("for strength"). */
export function findDiceInText(text: string): { notation: string; reason?: string } | undefined {
  const match = NOTATION.exec(text);
  if (!match?.[1]) return undefined;
  const after = text.slice(match.index + match[0].length);
  const reason = /^\s*(?:for|to)\s+([^.!?\n/]{1,120})/i.exec(after)?.[1]?.trim();
  return { notation: match[1].replace(/\s+/g, ''), ...(reason ? { reason } : {}) };
}

/** A one-line markdown summary of a roll for chat: `🎲 **1d20+3** for strength: [17]+3 = **20**`. */
export function formatRoll(roll: DiceRoll): string {
  const dice = roll.rolls.map((r) => (r.dropped ? `~~${r.value}~~` : String(r.value))).join(', ');
  const natural = naturalNote(roll);
  return `🎲 **${roll.notation}**${roll.reason ? ` for ${roll.reason}` : ''}: [${dice}] → **${roll.total}**${natural ? ` (${natural})` : ''}`;
}

/** "natural 20" / "natural 1" for a single d20 roll, else undefined. */
export function naturalNote(roll: DiceRoll): string | undefined {
  if (!/^1?d20(\b|[+-])/i.test(roll.notation)) return undefined;
  const kept = roll.rolls.filter((r) => !r.dropped);
  if (kept.length !== 1) return undefined;
  if (kept[0]?.value === 20) return 'natural 20';
  if (kept[0]?.value === 1) return 'natural 1';
  return undefined;
}

/**
 * The line the engine hands the model with a roll, for example
 * `Dice: 1d20+3 for strength → 23 (natural 20)`; the model weaves it into the narration.
 */
export function diceLine(roll: DiceRoll): string {
  const natural = naturalNote(roll);
  return `Dice: ${roll.notation}${roll.reason ? ` for ${roll.reason}` : ''} → ${roll.total}${natural ? ` (${natural})` : ''}`;
}
