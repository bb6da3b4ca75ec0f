import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { diceLine } from '../dice/roll-dice.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StoryMessage } from '../types.js';

/** A rough token estimate (about four characters a token), good enough for budgeting. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Messages read by the first storage call; when they do not fill the window, one more call reads the rest. */
const FIRST_PAGE = 16;

/**
 * The recent window of a thread as chat messages, newest last, within `budgetTokens`.
 * Reads the newest few first and, only when they leave budget over, the rest up to `maxMessages`
 * (two storage calls at most), so its cost follows what the window holds, not the thread's
 * length. Stops at the last `/reset`. `before` (a message id) leaves out that message and
 * everything after it.
 */
export async function recentWindow(
  storage: StorageAdapter,
  threadId: string,
  options: { budgetTokens: number; maxMessages: number; before?: string },
): Promise<BaseMessage[]> {
  const out: BaseMessage[] = [];
  let used = 0;
  let read = 0;
  let before = options.before;
  while (read < options.maxMessages) {
    const limit = read === 0 ? Math.min(FIRST_PAGE, options.maxMessages) : options.maxMessages - read;
    const stored = await storage.listMessages(threadId, { limit, ...(before && { before }) });
    read += stored.length;
    for (let i = stored.length - 1; i >= 0; i--) {
      const message = stored[i] as StoryMessage;
      if (message.parts?.some((part) => part.type === 'reset')) return out.reverse();
      const chat = toChatMessage(message);
      if (!chat) continue;
      const cost = estimateTokens(typeof chat.content === 'string' ? chat.content : '');
      if (used + cost > options.budgetTokens && out.length > 0) return out.reverse();
      used += cost;
      out.push(chat);
    }
    if (stored.length < limit) break;
    before = (stored[0] as StoryMessage).id;
  }
  return out.reverse();
}

function toChatMessage(message: StoryMessage): BaseMessage | undefined {
  if (message.status === 'error' && !message.content) return undefined;
  if (message.role === 'user') return new HumanMessage(message.content);
  if (message.kind === 'narration') return new AIMessage(message.content);
  if (message.kind === 'dice') {
    const roll = message.parts?.find((p) => p.type === 'dice');
    if (roll?.type === 'dice') return new HumanMessage(diceLine(roll.roll));
  }
  return undefined;
}
