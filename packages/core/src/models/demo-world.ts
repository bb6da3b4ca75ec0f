// The demo storyteller's world: the names and places it draws from, and a thread's cast kept across turns.
import { pick, seededRandom } from './seeded-random.js';

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
