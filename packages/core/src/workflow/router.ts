import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import { findDiceInText } from '../dice/roll-dice.js';

/** The slash commands, with the help line for each (what `/help` lists). */
export const COMMANDS = {
  /** `/roll <notation> [for <reason>]`: rolls dice (also inline in a sentence); a roll within the story is then narrated. */
  roll: {
    /** An example of the command as a player types it. */
    usage: '/roll 1d20+3 for strength',
    /** One line on what it does. */
    help: 'Roll dice: 2d6, 1d20+5, 4d6kh3, 2d20kl1, 3d6!, d%, 4dF.',
  },
  /** `/write [topic]`: the GM narrates the next passage, about the topic when one is given. */
  write: {
    /** An example of the command as a player types it. */
    usage: '/write a storm hits the harbour',
    /** One line on what it does. */
    help: 'Ask the GM to write the next passage about something.',
  },
  /** `/storyboard [scene]`: paints the given scene, else the latest narration (needs `imageGeneration`). */
  storyboard: {
    /** An example of the command as a player types it. */
    usage: '/storyboard',
    /** One line on what it does. */
    help: 'Paint the current scene as 1–3 storyboard images.',
  },
  /** `/persona [id or name]`: lists the personas, or switches the thread's persona. */
  persona: {
    /** An example of the command as a player types it. */
    usage: '/persona dungeon-master',
    /** One line on what it does. */
    help: 'List personas, or switch this story to another one.',
  },
  /** `/help [command]`: lists the commands that work for the player, or explains one. */
  help: {
    /** An example of the command as a player types it. */
    usage: '/help roll',
    /** One line on what it does. */
    help: 'Show this list, or explain one command.',
  },
  /** `/reset`: stores a chapter break (a `reset` part); the model's memory window stops there. */
  reset: {
    /** An example of the command as a player types it. */
    usage: '/reset',
    /** One line on what it does. */
    help: 'Start a new chapter: the GM forgets the story so far (it stays in your history).',
  },
  /** `/remember <fact>`: the GM keeps the fact in long-term memory (this story's). */
  remember: {
    /** An example of the command as a player types it. */
    usage: '/remember my sister is called Lena',
    /** One line on what it does. */
    help: 'Ask the GM to remember a fact.',
  },
  /** `/forget <words or id>`: deletes the best-matching memory for good. */
  forget: {
    /** An example of the command as a player types it. */
    usage: '/forget sister',
    /** One line on what it does. */
    help: 'Make the GM forget a fact (by words or by its id).',
  },
  /** `/memory`: lists what the GM remembers, and the story so far. */
  memory: {
    /** An example of the command as a player types it. */
    usage: '/memory',
    /** One line on what it does. */
    help: 'Show what the GM remembers.',
  },
  /** `/save`: replies with how to download the story (`GET /threads/:id/export`); the story itself is not put into a message. */
  save: {
    /** An example of the command as a player types it. */
    usage: '/save',
    /** One line on what it does. */
    help: 'How to download the story so far (markdown or JSON).',
  },
  /** `/search <query>`: searches the web (needs `webSearch` and a `SearchAdapter`); the GM weaves the results in. */
  search: {
    /** An example of the command as a player types it. */
    usage: '/search the legend of the drowned bell',
    /** One line on what it does. */
    help: 'Search the web; the GM weaves what it finds into the story.',
  },
  /** `/todo add|done|list|clear`: the player's to-do list (`dd.todos`). */
  todo: {
    /** An example of the command as a player types it. */
    usage: '/todo add ask the smith about the key',
    /** One line on what it does. */
    help: 'Keep a to-do list: `/todo add`, `/todo list`, `/todo done <n>`, `/todo clear`.',
  },
  /** `/report`: today's report (turns, rolls, to-dos done, feedback) as markdown. */
  report: {
    /** An example of the command as a player types it. */
    usage: '/report',
    /** One line on what it does. */
    help: "Today's report: turns played, dice rolled, to-dos done, feedback given.",
  },
  /** `/lore <question>`: asks the knowledge base; the GM answers from the passages it finds and cites them. */
  lore: {
    /** An example of the command as a player types it. */
    usage: '/lore who rules the harbour?',
    /** One line on what it does. */
    help: 'Ask your documents (the knowledge base); the GM answers and cites them.',
  },
} as const;

/** A slash command name. */
export type CommandName = keyof typeof COMMANDS;

/** Where the router sends player input. */
export type Route =
  | { type: 'command'; name: CommandName; args: string }
  | { type: 'unknown-command'; name: string }
  | { type: 'dice'; notation: string; reason?: string; story: string; via: 'command' | 'rules' | 'model' }
  | { type: 'storyboard'; via: 'model' }
  | { type: 'knowledge'; query: string; via: 'model' }
  | { type: 'search'; query: string; via: 'model' }
  | { type: 'narrate'; via: 'rules' | 'model' | 'fallback' };

const isCommand = (name: string): name is CommandName => Object.hasOwn(COMMANDS, name);

/** The structured output the model router answers with. */
export const routeSchema = z.object({
  route: z
    .enum(['narrate', 'dice', 'storyboard', 'knowledge', 'search', 'help'])
    .describe('What to do with the input.'),
  notation: z.string().optional().describe('Dice notation when route is dice, for example 1d20+3.'),
  reason: z.string().optional().describe('Why the dice are rolled.'),
  query: z.string().optional().describe('What to look up for knowledge or search.'),
});

/**
 * Phrases that suggest a tool might be wanted; only such input is sent to the model router.
 * Story verbs that merely sound like tools ("I search the room", "I draw my sword") are not hints:
 * asking the model about every action would add a model call to most turns.
 */
const TOOL_HINTS =
  /\b(roll(ing)? (the )?dice|dice|(draw|paint|sketch|illustrate) ((me |us )?(a |the |this |that )?(picture|image|scene|portrait|map)|what|how|it)|picture of|image of|show me|lore|legend|history of|search (the web|online|the internet)|look it up|google|remind me)\b/i;

/**
 * The cheap, certain routes: slash commands (at the start, or an inline `/roll` inside a
 * sentence), and natural-language dice ("roll 2d6 for attack"). Returns `undefined` when the
 * input has tool hints the rules cannot settle, and `narrate` when it has none.
 */
export function routeByRules(text: string): Route | undefined {
  const trimmed = text.trim();
  const command = /^\/([a-z]+)\b\s*([\s\S]*)$/i.exec(trimmed);
  if (command) {
    const name = (command[1] ?? '').toLowerCase();
    const args = (command[2] ?? '').trim();
    if (!isCommand(name)) return { type: 'unknown-command', name };
    if (name === 'roll') {
      const found = /^(\S+)(?:\s+(?:for|to)\s+(.+))?$/i.exec(args);
      return {
        type: 'dice',
        notation: found?.[1] ?? args,
        ...(found?.[2] && { reason: found[2].trim() }),
        story: '',
        via: 'command',
      };
    }
    return { type: 'command', name, args };
  }
  const inline = /(^|\s)\/roll\s+(\S+)(?:\s+(?:for|to)\s+([^/\n]+?))?\s*(?=$|[.!?]|\s\/)/i.exec(trimmed);
  if (inline) {
    const story = (trimmed.slice(0, inline.index) + trimmed.slice(inline.index + inline[0].length)).trim();
    return {
      type: 'dice',
      notation: inline[2] ?? '',
      ...(inline[3] && { reason: inline[3].trim() }),
      story,
      via: 'command',
    };
  }
  if (/\broll(s|ing)?\b/i.test(trimmed)) {
    const dice = findDiceInText(trimmed);
    if (dice) return { type: 'dice', ...dice, story: trimmed, via: 'rules' };
  }
  if (!TOOL_HINTS.test(trimmed)) return { type: 'narrate', via: 'rules' };
  return undefined;
}

/**
 * Asks the model to classify input the rules could not settle, with structured output.
 * Any failure (or an answer that does not fit) falls back to narration; it never throws.
 */
export async function routeByModel(
  model: BaseChatModel,
  text: string,
  options: { signal?: AbortSignal; onError?: (error: unknown) => void } = {},
): Promise<Route> {
  try {
    const router = model.withStructuredOutput(routeSchema, { name: 'route_input' });
    const answer = routeSchema.parse(
      await router.invoke(
        [
          {
            role: 'system',
            content:
              'Classify the player input of a story game. Routes: narrate (story action or talk), dice (an explicit roll request; give notation), storyboard (wants a picture of the scene), knowledge (asks about setting lore; give query), search (wants a web search), help.',
          },
          { role: 'user', content: text },
        ],
        options.signal ? { signal: options.signal } : {},
      ),
    );
    switch (answer.route) {
      case 'dice':
        if (answer.notation && findDiceInText(answer.notation)) {
          return {
            type: 'dice',
            notation: answer.notation,
            ...(answer.reason && { reason: answer.reason }),
            story: text,
            via: 'model',
          };
        }
        return { type: 'narrate', via: 'fallback' };
      case 'storyboard':
        return { type: 'storyboard', via: 'model' };
      case 'knowledge':
        return { type: 'knowledge', query: answer.query || text, via: 'model' };
      case 'search':
        return { type: 'search', query: answer.query || text, via: 'model' };
      case 'help':
        return { type: 'command', name: 'help', args: '' };
      default:
        return { type: 'narrate', via: 'model' };
    }
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.onError?.(error);
    return { type: 'narrate', via: 'fallback' };
  }
}
