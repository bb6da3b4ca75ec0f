import { diceLine } from '../dice/roll-dice.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StoryMessage } from '../types.js';
import { MESSAGE_OVERHEAD_TOKENS, type TokenCounter } from './token-count.js';

/** A message of the prompt, in the shape every chat model takes. */
export interface PromptMessage {
  /** `system` (persona, summary), `user` (the player, dice lines) or `assistant` (the GM's earlier replies). */
  role: 'system' | 'user' | 'assistant';
  /** Its text. */
  content: string;
}

/** A story message as it enters the prompt, with its token cost. */
export interface WindowEntry extends PromptMessage {
  /** The stored message it was made from. */
  messageId: string;
  /** Its tokens, with the per-message overhead. */
  tokens: number;
}

/** The recent window of a thread: what came after its summary, newest last. */
export interface StoryWindow {
  /** The messages in the prompt, oldest first (within the budget). */
  entries: WindowEntry[];
  /** Their tokens. */
  tokens: number;
  /** Stored messages read (chat or not) from the newest back to where the walk stopped. */
  read: number;
  /**
   * Where the walk stopped: the summary's last message, a chapter break, the thread's start, the
   * budget (unless `readPastBudget`), or `maxMessages`.
   */
  stop: 'summary' | 'reset' | 'start' | 'budget' | 'cap';
  /** Older messages were left out because the budget was full: the summary lags behind. */
  overflow: boolean;
  /** The `/reset` message the walk stopped at (a summary older than it belongs to an earlier chapter). */
  resetId?: string;
  /** How many stored messages came after `marker` when the walk met it (undefined: not met). */
  afterMarker?: number;
  /** Every stored message read, newest first (for folding and extraction). */
  stored: StoryMessage[];
}

/** Options for {@link readWindow}. */
export interface ReadWindowOptions {
  /** Tokens the entries may hold. */
  budgetTokens: number;
  /** Most stored messages to read. */
  maxMessages: number;
  /** The summary's last message: the window starts after it. */
  throughMessageId?: string;
  /** Leave out this message and everything after it. */
  before?: string;
  /** A message id to look for on the way (the extraction cursor); see `afterMarker`. */
  marker?: string;
  /** Keep reading past the budget (up to `maxMessages`), to collect `stored` for a fold. */
  readPastBudget?: boolean;
}

/**
 * Messages read by the first storage call; when they do not reach the summary, one more call reads
 * on. A window folds down to `memory.foldTo` of its 40 messages (32) and grows back to 40, so with
 * the defaults one call reads it whole (16 took two calls on every turn: a round trip on PostgreSQL).
 */
const FIRST_PAGE = 40;

/**
 * The recent window of a thread: its messages after the summary's last one (`throughMessageId`),
 * newest last, within `budgetTokens`. Reads the newest few first and, only when they do not reach
 * the summary, the rest up to `maxMessages` (two storage calls at most), so its cost follows what
 * the window holds, not the thread's length. Stops at the last `/reset` (a chapter break).
 */
export async function readWindow(
  storage: StorageAdapter,
  threadId: string,
  count: TokenCounter,
  options: ReadWindowOptions,
): Promise<StoryWindow> {
  const entries: WindowEntry[] = [];
  const stored: StoryMessage[] = [];
  const window: StoryWindow = { entries, tokens: 0, read: 0, stop: 'start', overflow: false, stored };
  let before = options.before;
  while (window.read < options.maxMessages) {
    const limit = window.read === 0 ? Math.min(FIRST_PAGE, options.maxMessages) : options.maxMessages - window.read;
    const page = await storage.listMessages(threadId, { limit, ...(before && { before }) });
    for (let i = page.length - 1; i >= 0; i--) {
      const message = page[i] as StoryMessage;
      if (message.id === options.throughMessageId) return finish(window, 'summary');
      if (message.id === options.marker) window.afterMarker = window.read;
      if (message.parts?.some((part) => part.type === 'reset')) {
        window.resetId = message.id;
        return finish(window, 'reset');
      }
      window.read++;
      stored.push(message);
      if (window.overflow) continue;
      const chat = toPromptMessage(message);
      if (!chat) continue;
      const tokens = count(chat.content) + MESSAGE_OVERHEAD_TOKENS;
      if (window.tokens + tokens > options.budgetTokens) {
        window.overflow = true;
        if (!options.readPastBudget) return finish(window, 'budget');
        continue;
      }
      window.tokens += tokens;
      entries.push({ ...chat, messageId: message.id, tokens });
    }
    if (page.length < limit) return finish(window, 'start');
    before = (page[0] as StoryMessage).id;
  }
  return finish(window, 'cap');
}

function finish(window: StoryWindow, stop: StoryWindow['stop']): StoryWindow {
  window.stop = stop;
  window.entries.reverse();
  return window;
}

/** A stored message as the model sees it, or undefined for what it never sees (help, storyboards, failures). */
export function toPromptMessage(message: StoryMessage): PromptMessage | undefined {
  if (message.status === 'error' && !message.content) return undefined;
  if (message.role === 'user') return { role: 'user', content: message.content };
  if (message.kind === 'narration') return { role: 'assistant', content: message.content };
  if (message.kind === 'dice') {
    const roll = message.parts?.find((p) => p.type === 'dice');
    if (roll?.type === 'dice') return { role: 'user', content: diceLine(roll.roll) };
  }
  return undefined;
}
