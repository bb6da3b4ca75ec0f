// How the demo storyteller reads the player's words: the kind of action, a dice outcome, the things named.

/** What the player is trying to do, as the demo storyteller reads it. */
export type ActionKind = 'fight' | 'talk' | 'sneak' | 'search' | 'travel' | 'other';
/** How a dice roll went for the player. */
export type Outcome = 'triumph' | 'success' | 'partial' | 'failure' | 'mishap' | 'none';

const ACTION_WORDS: Array<[ActionKind, RegExp]> = [
  [
    'fight',
    /\b(attack|fight|strike|stab|slash|shoot|punch|kick|swing|charge|hit|duel|parry|battle|draw my (sword|blade|bow))\w*/i,
  ],
  ['sneak', /\b(sneak|hide|creep|steal|pickpocket|tiptoe|lurk|shadow|stealth|slip past|pick the lock)\w*/i],
  ['search', /\b(search|look|inspect|examine|investigate|study|check|read|listen|find|explore)\w*/i],
  ['talk', /\b(ask|talk|say|tell|greet|persuade|convince|bribe|threaten|charm|speak|whisper|shout|negotiate|"|“)/i],
  ['travel', /\b(go|walk|travel|ride|head|leave|enter|climb|run|sail|follow|journey|return|cross|open the door)\w*/i],
];

/** Classifies a player's action by its verbs. */
export function classifyAction(text: string): ActionKind {
  for (const [kind, pattern] of ACTION_WORDS) if (pattern.test(text)) return kind;
  return 'other';
}

/** Reads an outcome from a dice line the engine wrote: `Dice: 1d20+3 for strength → 23 (natural 20)`. */
export function outcomeFromDice(line: string | undefined): Outcome {
  if (!line) return 'none';
  if (/natural 20/i.test(line)) return 'triumph';
  if (/natural 1\b/i.test(line)) return 'mishap';
  const match = /Dice:\s*(\S+).*?→\s*(-?\d+)/.exec(line);
  if (!match?.[1] || !match[2]) return 'none';
  const total = Number(match[2]);
  let max = 0;
  for (const group of match[1].matchAll(/(\d*)d(\d+|%|F)/gi)) {
    const qty = Number(group[1] || 1);
    const sides = group[2] === '%' ? 100 : group[2]?.toUpperCase() === 'F' ? 1 : Number(group[2]);
    max += qty * sides;
  }
  const bonus = [...match[1].matchAll(/[+-]\d+(?!d)/g)].reduce((sum, m) => sum + Number(m[0]), 0);
  const ratio = max > 0 ? (total - bonus) / max : 0.5;
  if (ratio >= 0.65) return 'success';
  if (ratio >= 0.4) return 'partial';
  return 'failure';
}

/** Words that end a noun phrase: prepositions, conjunctions, pronouns, common verbs. */
const PHRASE_STOP = new Set(
  `for to with and or of in on at into onto from by while then but if as so up down out over under near behind
  beside past through toward towards about around across until before after i you he she it we they me him her us them
  is are was were be been am do does did have has had will would can could should may might must that which who whom
  where when what why how not no yes hits hit strikes falls comes goes rises breaks`.split(/\s+/),
);
const DETERMINERS = /^(the|a|an|my|your|his|her|their|its|our|this|that|these|those|some|every)$/i;

/**
 * The things a player's words are about, as noun phrases with their determiner, in order, at most
 * `max`: "I search the abandoned chapel for the missing relic" → `the abandoned chapel`,
 * `the missing relic`. The player's "my" becomes "your". Not a parser: a determiner and up to
 * three words after it, cut at the first preposition, pronoun or verb-like word.
 *
 * @param text - the player's words, or a `/write` topic
 * @param max - how many phrases to return (default 2)
 */
export function nounPhrases(text: string, max = 2): string[] {
  const words = text
    .replace(/[^\p{L}\p{N}'’ -]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  const found: string[] = [];
  for (let index = 0; index < words.length && found.length < max; index++) {
    const word = words[index] as string;
    if (!DETERMINERS.test(word)) continue;
    const phrase: string[] = [];
    for (let next = index + 1; next < words.length && phrase.length < 3; next++) {
      const candidate = words[next] as string;
      if (PHRASE_STOP.has(candidate.toLowerCase()) || DETERMINERS.test(candidate)) break;
      phrase.push(candidate);
    }
    if (!phrase.length) continue;
    const determiner =
      word.toLowerCase() === 'my' ? 'your' : word.toLowerCase() === 'our' ? 'your' : word.toLowerCase();
    found.push(`${determiner} ${phrase.join(' ')}`);
    index += phrase.length;
  }
  return found;
}

/**
 * The player's action told back in the second person ("I search the chapel" → "You search the
 * chapel."), or `undefined` when it is not a first-person sentence of a readable length.
 */
export function secondPerson(action: string): string | undefined {
  const match = /^\s*I\s+(?!am\b|'m\b)(.{3,140}?)[.!?]*\s*$/i.exec(action);
  if (!match?.[1] || /\n/.test(match[1])) return undefined;
  const rest = match[1]
    .replace(/\bmy\b/gi, 'your')
    .replace(/\bmyself\b/gi, 'yourself')
    .replace(/\bme\b/gi, 'you')
    .replace(/\bI\b/g, 'you')
    .replace(/\bam\b/gi, 'are');
  return `You ${rest}.`;
}
