import type { FlagName } from '../config/config-schema.js';
import { COMMANDS, type CommandName } from './router.js';

/** What a command needs to work, and the longer help `/help <command>` gives. */
export interface CommandDetail {
  /** The feature flag the command needs; `/help` leaves the command out while it is off. */
  flag?: FlagName;
  /** True when the command also needs a web search service (`createDreamdeck({ search })`). */
  needsSearch?: boolean;
  /** Markdown: what it does, its forms, an example or two. */
  detail: string;
}

/** The longer help of each command (a command without an entry shows its one-line help). */
export const COMMAND_DETAILS: Partial<Record<CommandName, CommandDetail>> = {
  roll: {
    flag: 'diceRolling',
    detail: [
      'Rolls dice and shows each die. Inside a sentence the GM then narrates the outcome:',
      '`I swing at the troll /roll 1d20+5 for attack`.',
      '',
      'Notation: `2d6` (two six-sided dice), `1d20+5` (a modifier), `4d6kh3` (keep the highest 3),',
      '`2d20kl1` (disadvantage), `3d6!` (exploding), `d%` (percentile), `4dF` (Fate dice).',
      'Add `for <reason>` to say why.',
    ].join('\n'),
  },
  write: {
    detail:
      'The GM writes the next passage. With a topic (`/write a storm hits the harbour`) it writes about that; without one it simply goes on.',
  },
  storyboard: {
    flag: 'imageGeneration',
    detail:
      'Paints the latest scene (or the scene you describe: `/storyboard the lighthouse at dawn`) as 1–3 images. When storyboard review is on, you approve the scenes before they are painted.',
  },
  persona: {
    detail:
      'Without a name, lists the storytellers you can choose. `/persona <id>` hands this story to another one; the story so far stays.',
  },
  help: {
    detail: '`/help` lists the commands you can use here; `/help <command>` (for example `/help roll`) explains one.',
  },
  reset: {
    detail:
      'Starts a new chapter: the GM sets the story so far aside (it stays in your history, and long-term memories stay).',
  },
  remember: {
    detail:
      'Tells the GM a fact to keep for this story: `/remember my sister is called Lena`. `/memory` lists what is kept; `/forget` removes a fact.',
  },
  forget: {
    detail:
      'Removes the remembered fact that best matches your words (`/forget sister`) or has that id. It is gone for good.',
  },
  memory: {
    detail: 'Lists the facts the GM remembers for you and this story, and the summary of the story so far.',
  },
  save: {
    detail: 'Your story is saved as you play. `/save` tells you how to download a copy as markdown or JSON.',
  },
  lore: {
    flag: 'knowledge',
    detail: [
      'Asks your documents (the knowledge base: `.txt`, `.md` and `.pdf` files added under World → Documents).',
      'The GM answers from the passages it finds and cites them under its reply; open a citation to read the passage.',
      'Example: `/lore who rules the harbour?`. Only your documents, this story’s and the shared ones are searched.',
    ].join('\n'),
  },
  search: {
    flag: 'webSearch',
    needsSearch: true,
    detail: [
      'Searches the web and shows the results as links; the GM then weaves what it found into the story.',
      'Example: `/search the legend of the drowned bell`.',
      'Results come from the web: check a link before you open it. Searches count toward your hourly request limit.',
    ].join('\n'),
  },
  todo: {
    detail: [
      'A to-do list for your campaign, kept for you across stories:',
      '',
      '- `/todo add <text>`: add a to-do (`/todo add ask the smith about the key`)',
      '- `/todo list [page]`: your open to-dos, newest first, 20 to a page',
      '- `/todo done <n>`: mark to-do number n done',
      '- `/todo clear`: remove every to-do',
      '',
      '`/report` shows what you did today, to-dos done included.',
    ].join('\n'),
  },
  report: {
    detail:
      "Writes today's report (UTC): turns played, dice rolled, to-dos done, feedback given, searches, and your open to-dos.",
  },
};

/** What decides which commands a player can use: their effective flags and whether search is set up. */
export interface CommandAvailability {
  flags: Partial<Record<FlagName, boolean>>;
  searchConfigured: boolean;
}

/** True when `name` works for the player: its flag is on (and search is set up, for `/search`). */
export function commandAvailable(name: CommandName, availability: CommandAvailability): boolean {
  const detail = COMMAND_DETAILS[name];
  if (detail?.flag && availability.flags[detail.flag] === false) return false;
  if (detail?.needsSearch && !availability.searchConfigured) return false;
  return true;
}

/** The reply to `/help` (and to an unknown command, after `intro`): the commands that work here, with usage. */
export function availableHelpText(availability: CommandAvailability, intro = ''): string {
  const names = (Object.keys(COMMANDS) as CommandName[]).filter((name) => commandAvailable(name, availability));
  return `${intro}Commands:\n\n${names
    .map((name) => `- \`${COMMANDS[name].usage}\`: ${COMMANDS[name].help}`)
    .join('\n')}\n\nOr just write what your character does. \`/help <command>\` explains one command.`;
}

/**
 * The reply to `/help <command>`: its usage and detail, or (for a command that is off for the
 * player, or unknown) a sentence saying so before the list.
 */
export function commandHelpText(args: string, availability: CommandAvailability): string {
  const wanted = args.trim().replace(/^\//, '').toLowerCase();
  const name = Object.hasOwn(COMMANDS, wanted) ? (wanted as CommandName) : undefined;
  if (!name) return availableHelpText(availability, `There is no command \`/${wanted}\`. `);
  if (!commandAvailable(name, availability)) {
    return availableHelpText(availability, `\`/${name}\` is switched off here. `);
  }
  const command = COMMANDS[name];
  return `**\`/${name}\`**: ${command.help}\n\nExample: \`${command.usage}\`\n\n${COMMAND_DETAILS[name]?.detail ?? ''}`.trim();
}
