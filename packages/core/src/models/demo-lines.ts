// The demo storyteller's lines: tracery rules (`#npc#`, `#town#`, …) it picks from, by kind of action and outcome.
import type { ActionKind } from './demo-reading.js';

/** Tracery rules of a reply: scene senses, reactions by kind of action, outcomes, the NPC's lines, hooks. */
export const GRAMMAR: Record<string, string[]> = {
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

/** The options a reply ends with, by kind of action. */
export const CHOICES: Record<ActionKind, string[]> = {
  fight: ['Press the attack', 'Fall back and look for an advantage', 'Offer terms before blood is spilled'],
  sneak: ['Slip deeper inside', 'Wait and watch who comes', 'Create a distraction'],
  search: ['Follow the trail you found', 'Ask #npc# what they know', 'Pocket the clue and move on'],
  talk: ['Press #npc# for the truth', 'Offer a trade', 'Change the subject and watch their reaction'],
  travel: ['Head for #venue#', 'Take the long road around #town#', 'Stop and make camp'],
  other: ['Investigate #venue#', 'Seek out **#rival#**', 'Talk to #npc#'],
};

/** How a reply to an action about `#object#` (and `#other#`) goes on, by kind of action. */
export const OBJECT_LINES: Record<ActionKind, string[]> = {
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
export const OTHER_LINES: Record<'found' | 'trace' | 'lost', string[]> = {
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
export const TALK_OTHER_LINES = [
  '"#other.capitalize#?" #npc# repeats, a little too quickly. "Who told you about that?"',
  'When you bring up #other#, the whole room seems to lean in to listen.',
];

/** A `/write` passage's line about the first thing it names (`#object#`), when it names only one. */
export const WRITE_OBJECT_LINES = [
  'By nightfall, #object# is all anyone in #town# can talk about.',
  'No one who saw #object# that day forgets it.',
];

/** A `/write` passage's line about the second thing it names (`#other#`), when it names two. */
export const WRITE_OTHER_LINES = [
  'Around #other#, shutters bang, lanterns swing, and #npc# is among the first to come running.',
  'At #other#, people stop what they are doing and stare, and even #npc# falls quiet.',
];

/** How a `/write` passage goes on after its topic sentence. */
export const WRITE_LINES = [
  'People in #town# will tell it differently for years, but this is how it began.',
  'For a while nobody in #town# speaks of anything else.',
  'It happens quickly, the way the important things always do.',
];
