import tracery from 'tracery-grammar';
import { hashString, pick, seededRandom } from './seeded-random.js';

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

const FIRST_NAMES = [
  'Mirela',
  'Tobin',
  'Esk',
  'Harrow',
  'Ysolde',
  'Bram',
  'Quill',
  'Odessa',
  'Fenn',
  'Lark',
  'Corvin',
  'Saffi',
  'Doran',
  'Wren',
  'Ilse',
  'Marrek',
  'Juniper',
  'Cato',
  'Nessa',
  'Rook',
];
const SURNAMES = [
  'Ashdown',
  'Vell',
  'Thornwick',
  'Marlowe',
  'Greaves',
  'Oakhart',
  'Sorrel',
  'Blackmere',
  'Dunmore',
  'Pike',
];
const ROLES = [
  'a one-eyed innkeeper',
  'a nervous cartographer',
  'a retired duelist',
  'a smuggler with a silver tooth',
  'a hedge witch',
  'a watch captain',
  'a travelling bard',
  'a grave-keeper',
  'a merchant of curious maps',
  'a young knight',
];
const QUIRKS = [
  'who hums old sea songs',
  'who never quite meets your eye',
  'who counts coins while talking',
  'who smells of rain and cloves',
  'who laughs a beat too late',
  'who keeps a raven on one shoulder',
];
const PLACE_FIRST = ['Ember', 'Hollow', 'Gull', 'Thorn', 'Mist', 'Lantern', 'Raven', 'Salt', 'Briar', 'Copper'];
const PLACE_LAST = ['ford', 'mere', 'watch', 'haven', 'reach', 'wick', 'moor', 'fall', 'gate', 'hollow'];
const VENUES = [
  'the Drowned Lantern inn',
  'the old lighthouse',
  'the crooked market',
  'the bell tower',
  'the ferry docks',
  'the ruined chapel',
];

/** The people and places of one thread, stable across its turns. */
export interface DemoWorld {
  town: string;
  venue: string;
  npc: string;
  npcRole: string;
  npcQuirk: string;
  rival: string;
}

/** Builds a thread's world from a seed. */
export function createWorld(seed: number): DemoWorld {
  const random = seededRandom(seed);
  const npcFirst = pick(random, FIRST_NAMES);
  let rivalFirst = pick(random, FIRST_NAMES);
  if (rivalFirst === npcFirst)
    rivalFirst = FIRST_NAMES[(FIRST_NAMES.indexOf(npcFirst) + 7) % FIRST_NAMES.length] as string;
  return {
    town: `${pick(random, PLACE_FIRST)}${pick(random, PLACE_LAST)}`,
    venue: pick(random, VENUES),
    npc: `${npcFirst} ${pick(random, SURNAMES)}`,
    npcRole: pick(random, ROLES),
    npcQuirk: pick(random, QUIRKS),
    rival: `${rivalFirst} ${pick(random, SURNAMES)}`,
  };
}

/** Recovers a world the demo already introduced from its earlier replies (bold names). */
export function worldFromHistory(replies: string[], fallback: DemoWorld): DemoWorld {
  const text = replies.join('\n');
  const isPerson = (name: string) => FIRST_NAMES.includes(name.split(' ')[0] ?? '');
  // The NPC is always introduced with a role: "**Name**, a one-eyed innkeeper".
  const npc = [...text.matchAll(/\*\*([^*\n]{2,40})\*\*, an? /g)].map((m) => m[1] as string).find(isPerson);
  const rival = [...text.matchAll(/\*\*([^*\n]{2,40})\*\*/g)]
    .map((m) => m[1] as string)
    .find((name) => isPerson(name) && name !== npc);
  const town = /The story opens in \*\*(\w+)\*\*/.exec(text)?.[1];
  return { ...fallback, ...(town && { town }), ...(npc && { npc }), ...(rival && { rival }) };
}

const GRAMMAR: Record<string, string[]> = {
  sense: [
    'Rain needles the shutters and somewhere a dog will not stop barking.',
    'The air smells of tar, woodsmoke and something sweeter underneath.',
    'Lamplight wobbles over wet cobbles, and every shadow seems to lean closer.',
    'A bell tolls twice, far off, though no one admits to ringing it.',
    'Dust hangs in a slant of pale light, turning slowly like it is thinking.',
    'Gulls argue overhead and the wind tastes of salt and iron.',
  ],
  fight: [
    'You lunge, and steel meets steel with a sound like a struck bell.',
    'You close the distance fast; your opponent barely gets a guard up.',
    'The first blow is yours, and the room holds its breath.',
  ],
  sneak: [
    'You melt into the shadows along the wall, one careful step at a time.',
    'You keep low and quiet, timing each step to the creak of the rafters.',
  ],
  search: [
    'You take your time, running your fingers along seams and edges others would miss.',
    'You look closer. Details surface: scratches on the floor, a draught where none should be.',
  ],
  talk: [
    'You speak, and #npc# tilts their head, weighing every word.',
    '#npc# listens, fingers drumming on the table, as you make your case.',
  ],
  travel: [
    'The road unspools beneath your boots, past hedgerows and leaning milestones.',
    'You set off, and #town# shrinks behind you into a smudge of chimney smoke.',
  ],
  other: [
    'The world answers your move in its own quiet way.',
    'For a heartbeat nothing happens. Then the scene shifts around your choice.',
  ],
  triumph: [
    'It goes better than you dared hope: a natural 20, the kind bards argue about for years.',
    'Fortune grins. A natural 20 — everything lines up at once.',
  ],
  success: ['It works.', 'You pull it off, cleanly.', 'Your effort pays off.'],
  partial: ['It works, but not without a price.', 'You manage it, just barely, and someone noticed.'],
  failure: ['It does not go your way.', 'Your attempt falls short.', 'Things slip out of your grasp.'],
  mishap: [
    'A natural 1. Something goes wrong in a way no one will forget soon.',
    'The dice betray you with a natural 1, and the moment turns on its head.',
  ],
  npcLine: [
    '"You are not from #town#, are you?" says **#npc#**, #npcRole# #npcQuirk#.',
    '**#npc#**, #npcRole# #npcQuirk#, leans in: "If you are asking about **#rival#**, ask quietly."',
    '"Trouble follows you like a stray," mutters **#npc#**, #npcRole#.',
    '**#npc#**, #npcRole#, watches you with open curiosity. "Well. That was not what I expected."',
  ],
  hook: [
    'Word is that **#rival#** was seen near #venue# after dark.',
    'Someone has left a folded note with your name on it at #venue#.',
    'A cart overturns in the street outside, and in the confusion a figure slips away.',
    'Far off, the bell of #venue# starts ringing and does not stop.',
  ],
};

const CHOICES: Record<ActionKind, string[]> = {
  fight: ['Press the attack', 'Fall back and look for an advantage', 'Offer terms before blood is spilled'],
  sneak: ['Slip deeper inside', 'Wait and watch who comes', 'Create a distraction'],
  search: ['Follow the trail you found', 'Ask #npc# what they know', 'Pocket the clue and move on'],
  talk: ['Press #npc# for the truth', 'Offer a trade', 'Change the subject and watch their reaction'],
  travel: ['Head for #venue#', 'Take the long road around #town#', 'Stop and make camp'],
  other: ['Investigate #venue#', 'Seek out **#rival#**', 'Talk to #npc#'],
};

/** What the demo storyteller needs to write a reply. */
export interface DemoNarrationInput {
  /** The player's words this turn. */
  action: string;
  /** The engine's tool result lines (dice, knowledge, web search). */
  toolLines: string[];
  /** The persona's display name. */
  persona: string;
  /** Earlier replies of this thread (to keep names). */
  earlierReplies: string[];
  /** Seed for the thread; the turn number varies the rest. */
  threadSeed: number;
  turn: number;
  /** Which take of this reply (1 the first; a regenerated reply is 2, 3, …): each reads differently. */
  version?: number | undefined;
  /** A remembered fact the player asked about, to bring up. */
  memory?: string | undefined;
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

/** How a reply to an action about `#object#` (and `#other#`) goes on, by kind of action. */
const OBJECT_LINES: Record<ActionKind, string[]> = {
  search: [
    'Every corner of #object# gives up a little more under your hands: old soot, a loose stone, a draught where none should be.',
    'You work through #object# slowly, the way a patient person reads a letter twice.',
  ],
  fight: [
    'You square up to #object#, and for one long breath nothing moves.',
    'There is no more talking with #object#; it comes down to nerve and steel.',
  ],
  sneak: [
    'You keep to the edge of #object#, where the light does not quite reach.',
    'Step by careful step, #object# draws closer, and no one raises a cry.',
  ],
  talk: [
    '#npc# hears you out about #object#, and something in their face closes like a door.',
    'At the mention of #object#, #npc# glances at the window before answering.',
  ],
  travel: [
    'The way to #object# is longer than it looked from #town#, and quieter.',
    '#object.capitalize# waits at the end of the path, exactly as the stories said and not at all.',
  ],
  other: [
    'You turn your attention to #object#, and it seems to turn its attention to you.',
    '#object.capitalize# is stranger up close than anyone in #town# let on.',
  ],
};

/** The second thing the player named (`#other#`) when searching or sneaking, by how the dice went. */
const OTHER_LINES: Record<'found' | 'trace' | 'lost', string[]> = {
  found: [
    'And there it is: #other#, half hidden where no one thought to look.',
    'Then you see it: #other#, exactly where it should not be.',
  ],
  trace: [
    'Of #other# there is no sign yet, only a clean square in the dust where something used to rest.',
    'Someone else was looking for #other# here, and not long ago: the marks are fresh.',
  ],
  lost: [
    'Of #other# there is nothing. Whoever came before you knew exactly where to look.',
    'You find everything but #other#, and the silence starts to feel deliberate.',
  ],
};

/** The second thing the player named (`#other#`) when talking. */
const TALK_OTHER_LINES = [
  '"#other.capitalize#?" #npc# repeats, a little too quickly. "Who told you about that?"',
  'When you bring up #other#, the whole room seems to lean in to listen.',
];

/** A `/write` passage's things: the first it names (`#object#`), and the second (`#other#`). */
const WRITE_OBJECT_LINES = [
  'By nightfall, #object# is all anyone in #town# can talk about.',
  'No one who saw #object# that day forgets it.',
];
const WRITE_OTHER_LINES = [
  'Around #other#, shutters bang, lanterns swing, and #npc# is among the first to come running.',
  'At #other#, people stop what they are doing and stare, and even #npc# falls quiet.',
];

/** `/write` (`Write the next passage of the story about: …`): the topic, or `''` for "go on". */
function writeTopic(action: string): string | undefined {
  const topic = /^Write the next passage of the story about:\s*(.+)$/is.exec(action.trim())?.[1];
  if (topic) return topic.trim();
  if (/^Continue (the story with the next passage|your last reply)/i.test(action.trim())) return '';
  return undefined;
}

/** A `/write` topic as the opening sentence of a passage: "a storm hits the harbour" → "A storm hits the harbour." */
function topicSentence(topic: string): string {
  const text = topic
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.!?]*$/, '.');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const WRITE_LINES = [
  'People in #town# will tell it differently for years, but this is how it began.',
  'For a while nobody in #town# speaks of anything else.',
  'It happens quickly, the way the important things always do.',
];

/**
 * Writes a short game-master reply: reacts to the kind of action, turns a dice result into
 * success or failure, voices a named NPC, adds a hook, and ends with choices.
 */
export function writeNarration(input: DemoNarrationInput): string {
  const world = worldFromHistory(input.earlierReplies, createWorld(input.threadSeed));
  // a later take of the same reply (regenerated) draws from another seed, so it reads differently
  const take = input.version && input.version > 1 ? `:v${input.version}` : '';
  const random = seededRandom(hashString(`${input.threadSeed}:${input.turn}:${input.action}${take}`));
  tracery.setRng(random);
  const grammar = tracery.createGrammar({
    ...GRAMMAR,
    npc: world.npc,
    rival: world.rival,
    town: world.town,
    venue: world.venue,
    npcRole: world.npcRole,
    npcQuirk: world.npcQuirk,
  });
  grammar.addModifiers(tracery.baseEngModifiers);
  // `/write <topic>`: a passage about the topic, not a reaction to an action
  const topic = writeTopic(input.action);
  const kind = topic === undefined ? classifyAction(input.action) : 'other';
  // what the player named ("the abandoned chapel", "the missing relic"), woven into the reply
  const [object, other] = nounPhrases(topic ?? input.action);
  const about = (line: string) =>
    grammar.flatten(
      line
        .replaceAll('#object#', object ?? '')
        .replaceAll('#object.capitalize#', capitalize(object ?? ''))
        .replaceAll('#other#', other ?? '')
        .replaceAll('#other.capitalize#', capitalize(other ?? '')),
    );
  const diceLine = input.toolLines.find((line) => line.startsWith('Dice:'));
  const outcome = outcomeFromDice(diceLine);
  const first = input.earlierReplies.length === 0;
  const parts: string[] = [];
  if (first) {
    parts.push(
      `The story opens in **${world.town}**, a town that keeps its secrets behind salt-stained shutters. ${grammar.flatten('#sense#')}`,
    );
  }
  const told = topic === undefined ? secondPerson(input.action) : undefined;
  const result = outcome === 'none' ? '' : ` ${grammar.flatten(`#${outcome}#`)}`;
  if (topic !== undefined) {
    // the passage opens with its topic, told as something that happens
    parts.push(
      topic ? `${topicSentence(topic)} ${grammar.flatten(pick(random, WRITE_LINES))}` : grammar.flatten('#sense#'),
    );
    if (object) parts.push(about(pick(random, other ? WRITE_OTHER_LINES : WRITE_OBJECT_LINES)));
  } else if (object) {
    parts.push(`${told ? `${told} ` : ''}${about(pick(random, OBJECT_LINES[kind]))}${result}`);
    if (other && kind === 'talk') parts.push(about(pick(random, TALK_OTHER_LINES)));
    else if (other && (kind === 'search' || kind === 'sneak')) {
      const found =
        outcome === 'triumph' || outcome === 'success'
          ? 'found'
          : outcome === 'failure' || outcome === 'mishap'
            ? 'lost'
            : 'trace';
      parts.push(about(pick(random, OTHER_LINES[found])));
    }
  } else {
    parts.push((told ? `${told} ` : '') + grammar.flatten(`#${kind}#`) + result);
  }
  if (!first) parts.push(grammar.flatten('#sense#'));
  parts.push(grammar.flatten('#npcLine#'));
  if (input.memory) parts.push(`You remember: *${input.memory.slice(0, 200)}*`);
  const knowledge = input.toolLines.find((line) => line.startsWith('Lore:'));
  if (knowledge) {
    // a knowledge-base passage comes as `[n] Title: text`: quote it and cite it by its number
    const cited = /^\[(\d+)\] ([^:]{1,200}): (.+)$/.exec(knowledge.slice(5).trim());
    parts.push(
      cited
        ? `You recall what *${cited[2]}* says [${cited[1]}]: “${clip(cited[3] as string, 220)}”`
        : `You recall something you once read: *${knowledge.slice(5).trim().slice(0, 160)}*`,
    );
  }
  const found = input.toolLines.find((line) => line.startsWith('Search:'));
  if (found) {
    // `Search: <title> — <snippet> (<url>)`, web text: shown with markdown's punctuation escaped
    const [title = '', snippet = ''] = found
      .slice(7)
      .replace(/\s*\([^()]*\)$/, '')
      .split(' — ');
    const plain = (text: string) =>
      text
        .trim()
        .slice(0, 160)
        .replace(/([\\`*_[\]{}()<>#+!|~])/g, '\\$1');
    parts.push(
      `Word reaches you from far beyond the story, a page called “${plain(title)}”${snippet ? `: ${plain(snippet)}` : '.'}`,
    );
  }
  parts.push(grammar.flatten('#hook#'));
  const options = [...CHOICES[kind]].sort(() => random() - 0.5).slice(0, random() < 0.5 ? 2 : 3);
  const choices = options.map((option, index) => `${index + 1}. ${grammar.flatten(option)}`).join('\n');
  let text = `${parts.join('\n\n')}\n\nWhat do you do?\n\n${choices}`;
  if (first) {
    text += `\n\n[${input.persona} here is Dreamdeck's offline demo storyteller: deterministic and small. Set DREAMDECK_MODEL to use a real model.]`;
  }
  return text;
}

/** A short reply for personas that are not game masters. */
export function writePersonaReply(persona: string, action: string, turn: number): string {
  const random = seededRandom(hashString(`${persona}:${turn}:${action}`));
  const openers = ['I hear you.', 'Good question.', 'Let me think about that.', 'Here is a thought.'];
  const topic = action.replace(/\s+/g, ' ').trim().slice(0, 80);
  return `${pick(random, openers)} You said: “${topic}”. As ${persona}, I'd take it one step at a time: what matters most to you here?\n\n[Demo reply: Dreamdeck's offline demo model. Set DREAMDECK_MODEL to use a real model.]`;
}

/** `text` cut at a word to about `max` characters, with an ellipsis when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

/** Picks 1–3 image prompts from a narration for the storyboard. */
export function storyboardPrompts(narration: string, max: number): string[] {
  const sentences = narration
    .replace(/\[[^\]]*\]/g, '')
    .split('\n')
    .filter((line) => line.trim() && !/^\d+\.|^What do you do/.test(line.trim()))
    .join(' ')
    .replace(/\*\*/g, '')
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 20 && !s.includes('"'));
  const prompts = sentences.slice(0, Math.max(1, max)).map((s) => `Storybook illustration, painterly: ${s}`);
  return prompts.length > 0 ? prompts : ['Storybook illustration, painterly: a quiet town at dusk'];
}

/** Classifies player input for the router, as the demo model's structured output. */
export function demoRoute(text: string): { route: string; notation?: string; reason?: string; query?: string } {
  const dice = /\b(\d*d(?:\d+|%|F)[^\s]*)/i.exec(text);
  if (/\broll\b/i.test(text) && dice?.[1]) return { route: 'dice', notation: dice[1] };
  if (
    /\b(draw|paint|sketch|illustrate)\s+(me\s+)?(a\s+|the\s+)?(picture|image|scene|portrait|this|that|it)\b|\bshow me (a picture|what)/i.test(
      text,
    )
  ) {
    return { route: 'storyboard' };
  }
  if (/\b(search the web|look up online|google)\b/i.test(text)) return { route: 'search', query: text };
  if (/\b(lore|legend|history of|who (is|was)|what (is|was) the)\b/i.test(text))
    return { route: 'knowledge', query: text };
  if (/^(help|what can you do)\??$/i.test(text.trim())) return { route: 'help' };
  return { route: 'narrate' };
}

/** `text` with its first letter upper-case. */
function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
