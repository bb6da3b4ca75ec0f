import tracery from 'tracery-grammar';
import {
  CHOICES,
  GRAMMAR,
  OBJECT_LINES,
  OTHER_LINES,
  TALK_OTHER_LINES,
  WRITE_LINES,
  WRITE_OBJECT_LINES,
  WRITE_OTHER_LINES,
} from './demo-lines.js';
import { classifyAction, nounPhrases, outcomeFromDice, secondPerson } from './demo-reading.js';
import { createWorld, worldFromHistory } from './demo-world.js';
import { hashString, pick, seededRandom } from './seeded-random.js';

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
