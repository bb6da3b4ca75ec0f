import type { DreamdeckConfig } from '../config/config-schema.js';
import type { StoryWindow, WindowEntry } from './context-window.js';
import type { AssembledPrompt } from './prompt-assembly.js';
import { MESSAGE_OVERHEAD_TOKENS } from './token-count.js';

/** What memory upkeep a turn's narration calls for (small: it is checkpointed with the narrate task). */
export interface UpkeepHints {
  /** The window has outgrown its budget: fold its oldest messages into the summary. */
  summarize: boolean;
  /** Read the new messages for facts worth remembering. */
  extract: boolean;
}

/**
 * Extraction runs at once when the player says something about themselves or how they want the
 * story told (not when they ask about it), and when messages are about to fold out of the window; otherwise every sixteen turns
 * at least, over the messages since the last run. A model call on every turn would double what a
 * turn costs, and until they fold the facts are in the window, in front of the model, anyway.
 */
const PERSONAL =
  /\b(my|mine|i am|i'm|im|call me|i (?:carry|have|hold|owe|fear|hate|love|like|prefer|promised|swore|come from|live)|please (?:no|don't|do not|avoid)|no (?:gore|violence|romance|spiders|horror))\b/i;

/**
 * A question ("what is my sister called?") asks about a fact rather than stating one: it does not
 * call for extraction at once (what it says is read with the rest on the next regular run).
 */
const ASKING = /\?\s*$/;

/** Extraction runs at least once per this many stored messages (sixteen turns). */
export const EXTRACT_EVERY_MESSAGES = 32;

/**
 * Decides, once the reply is written, whether memory upkeep runs this turn: `summarize` when the
 * window with this turn's messages passes `memory.windowTokens` or `memory.windowMessages` (or was
 * already cut by its budget), `extract` when the player's words sound personal, when a fold is due
 * (nothing leaves the window unread), when the last extraction failed, or when enough messages went
 * unread since the last one.
 */
export function planUpkeep(config: DreamdeckConfig, prompt: AssembledPrompt, reply: string, playerText: string) {
  const memory = config.memory;
  const window = prompt.window;
  const tokens = window.tokens + prompt.promptTokens + prompt.count(reply) + MESSAGE_OVERHEAD_TOKENS;
  const summarize =
    memory.summaryTokens > 0 &&
    (window.overflow ||
      window.stop === 'cap' ||
      tokens > memory.windowTokens ||
      window.read + 2 > memory.windowMessages);
  const pending = (window.afterMarker ?? window.read) + 2;
  const extract =
    memory.extract &&
    (summarize ||
      prompt.state.extractRetry ||
      pending >= EXTRACT_EVERY_MESSAGES ||
      (PERSONAL.test(playerText.slice(0, 4000)) && !ASKING.test(playerText.slice(-200))));
  return { summarize, extract } satisfies UpkeepHints;
}

/** The messages a fold takes out of the window, and the last of them (the summary's new end). */
export interface FoldPlan {
  /** The chat messages to fold into the summary, oldest first. */
  passages: WindowEntry[];
  /** The newest stored message folded (chat or not): the window starts after it. */
  throughMessageId: string;
}

/**
 * What to fold out of a window read whole (`readPastBudget`) when it is over its budget: the older
 * messages, keeping the newest that fill `memory.foldTo` (default 0.8) of `memory.windowTokens` and
 * `memory.windowMessages`, starting at a player's message so a turn stays together. Folding below
 * the budget (hysteresis) keeps the window's start, and so the prompt's cacheable prefix, unchanged
 * for a few turns; folding to 0.8 rather than to half keeps the prompt's size steady (within 1.1×
 * from turn 100 to turn 1,000 in `bench/memory-cost`). Undefined when the window is within budget.
 */
export function planFold(window: StoryWindow, config: DreamdeckConfig): FoldPlan | undefined {
  const memory = config.memory;
  const { entries, stored } = window;
  const over = window.tokens > memory.windowTokens || window.read > memory.windowMessages || window.stop === 'cap';
  if (!over || stored.length === 0) return undefined;
  let cut = entries.length;
  let keptTokens = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] as WindowEntry;
    if (keptTokens + entry.tokens > memory.windowTokens * memory.foldTo) break;
    if (entries.length - i > memory.windowMessages * memory.foldTo) break;
    keptTokens += entry.tokens;
    cut = i;
  }
  while (cut < entries.length && entries[cut]?.role !== 'user') cut++;
  const firstKept = entries[cut];
  // `stored` is newest first: the message just older than the first one kept ends the fold
  const through = firstKept ? stored[stored.findIndex((m) => m.id === firstKept.messageId) + 1] : stored[0];
  if (!through) return undefined;
  return { passages: entries.slice(0, cut), throughMessageId: through.id };
}
