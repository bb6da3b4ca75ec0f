import { task } from '@langchain/langgraph';
import { DreamdeckError } from '../../errors.js';
import { createDreamdeckMemory } from '../../memory/dreamdeck-memory.js';
import { readMemories } from '../../memory/memory-book.js';
import { rankMemories } from '../../memory/memory-ranking.js';
import { clearThreadMemory, readThreadMemory } from '../../memory/summary-state.js';
import { sendReply } from '../story-messages.js';
import type { TurnContext } from '../turn-context.js';

/** A memory command in a thread: `/remember`, `/forget`, `/memory`. */
export interface MemoryCommandInput {
  threadId: string;
  turnId: string;
  userId: string;
  /** What the player wrote after the command. */
  args: string;
}

/** Most memories `/memory` lists. */
const LISTED = 50;

const memoryOf = (context: TurnContext) =>
  createDreamdeckMemory({ storage: context.storage, config: context.config, embeddings: context.embeddings });

/**
 * The `remember-command` task (`/remember <fact>`): stores the fact as the player's own memory of
 * this story (`dd.memory.remember` with the thread) and says so; resolves to the reply's id.
 */
export function createRememberCommandTask(context: TurnContext) {
  return task('remember-command', async (input: MemoryCommandInput): Promise<string> => {
    const reply = (content: string) => sendReply(context, { ...input, kind: 'system', content });
    if (!input.args.trim()) return reply('Write what to remember: `/remember my sister is called Lena`.');
    try {
      const record = await memoryOf(context).remember(input.userId, { text: input.args, threadId: input.threadId });
      return reply(`I will remember: ${record.text}`);
    } catch (error) {
      if (DreamdeckError.isInstance(error) && error.code === 'INVALID_INPUT') return reply(error.message);
      throw error;
    }
  });
}

/**
 * The `forget-command` task (`/forget <words or id>`): deletes the memory with that id, else the
 * one that best matches the words (among the user's memories and this story's), for good; says
 * which, or that nothing matched. Resolves to the reply's id.
 */
export function createForgetCommandTask(context: TurnContext) {
  return task('forget-command', async (input: MemoryCommandInput): Promise<string> => {
    const reply = (content: string) => sendReply(context, { ...input, kind: 'system', content });
    const wanted = input.args.trim();
    if (!wanted) return reply('Write what to forget: `/forget sister`, or a memory id from `/memory`.');
    const records = await readMemories(context.storage.store, input.userId, input.threadId);
    const target =
      records.find((record) => record.id === wanted) ??
      (await rankMemories(records, wanted, context.embeddings ? { embeddings: context.embeddings } : {}))[0];
    if (!target) return reply(`I don't remember anything about "${wanted.slice(0, 100)}".`);
    await memoryOf(context).forget(input.userId, target.id);
    return reply(`Forgotten: ${target.text}`);
  });
}

/**
 * The `list-memories` task (`/memory`): what the GM remembers in this story, the player's `user`
 * memories and this thread's (newest first, with their ids for `/forget`), and the story's rolling
 * summary. Resolves to the reply's id.
 */
export function createListMemoriesTask(context: TurnContext) {
  return task('list-memories', async (input: MemoryCommandInput): Promise<string> => {
    const [records, state] = await Promise.all([
      readMemories(context.storage.store, input.userId, input.threadId),
      readThreadMemory(context.storage, input.threadId),
    ]);
    const lines = records
      .slice(0, LISTED)
      .map((record) => `- ${record.text} (\`${record.id}\`${record.scope === 'user' ? ', every story' : ''})`);
    const more = records.length > LISTED ? `\n\n…and ${records.length - LISTED} more.` : '';
    const memories = lines.length
      ? `What I remember:\n\n${lines.join('\n')}${more}\n\nForget one with \`/forget <words or id>\`.`
      : 'I remember nothing in particular yet. Tell me with `/remember <fact>`.';
    const summary = state.summary?.text ? `\n\nThe story so far: ${state.summary.text}` : '';
    return sendReply(context, { ...input, kind: 'system', content: memories + summary });
  });
}

/** The thread whose chapter ends. */
export interface ResetMemoryInput {
  threadId: string;
}

/**
 * The `reset-memory` task (`/reset`, after the chapter break is stored): drops the thread's rolling
 * summary, so the new chapter starts a new one. Long-term memories stay.
 */
export function createResetMemoryTask(context: TurnContext) {
  return task('reset-memory', async (input: ResetMemoryInput): Promise<void> => {
    await clearThreadMemory(context.storage, input.threadId, { keepCursor: true });
  });
}
