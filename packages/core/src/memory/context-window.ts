import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { diceLine } from '../dice/roll-dice.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StoryMessage } from '../types.js';

/** A rough token estimate (about four characters a token), good enough for budgeting. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The recent window of a thread as chat messages, newest last, within `budgetTokens`.
 * Reads at most `maxMessages` from storage, so its cost does not grow with the thread.
 * Stops at the last `/reset`. `before` (a message id) leaves out that message and everything after it.
 */
export async function recentWindow(
  storage: StorageAdapter,
  threadId: string,
  options: { budgetTokens: number; maxMessages: number; before?: string },
): Promise<BaseMessage[]> {
  const stored = await storage.listMessages(threadId, {
    limit: options.maxMessages,
    ...(options.before && { before: options.before }),
  });
  const out: BaseMessage[] = [];
  let used = 0;
  for (let i = stored.length - 1; i >= 0; i--) {
    const message = stored[i] as StoryMessage;
    if (message.parts?.some((part) => part.type === 'reset')) break;
    const chat = toChatMessage(message);
    if (!chat) continue;
    const cost = estimateTokens(typeof chat.content === 'string' ? chat.content : '');
    if (used + cost > options.budgetTokens && out.length > 0) break;
    used += cost;
    out.push(chat);
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
