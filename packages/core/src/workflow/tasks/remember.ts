import { task } from '@langchain/langgraph';
import { readWindow } from '../../memory/context-window.js';
import { extractFacts, type FactSource } from '../../memory/extract-facts.js';
import { readMemories } from '../../memory/memory-book.js';
import { mergeFacts } from '../../memory/merge-facts.js';
import { readThreadMemory, writeExtractedThrough, writeExtractRetry } from '../../memory/summary-state.js';
import { loadTokenCounter } from '../../memory/token-count.js';
import type { MessagePart } from '../../types.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** The thread to read for facts, its player, and the turn that asks. */
export interface RememberFactsInput {
  threadId: string;
  turnId: string;
  userId: string;
}

/** Messages read for facts in one run at most (the newest, when more went unread). */
const MAX_SOURCES = 24;

/**
 * The `remember` task: reads the thread's messages since its last run (the extraction cursor in
 * thread data) for facts worth keeping, with the model's structured output, and merges them into
 * the player's memories (duplicates skipped, a known subject updated: see `mergeFacts`). Each
 * message a fact came from gets a `remembered` part (and the turn a `memory-added` event). A model failure is logged and leaves the
 * cursor where it was and marks the thread, so the next turn reads those messages again; the
 * player's turn never fails for it. Resolves to the ids of the memories written.
 */
export function createRememberTask(context: TurnContext) {
  return task('remember', async (input: RememberFactsInput): Promise<string[]> => {
    const { storage } = context;
    const config = context.config();
    const count = await loadTokenCounter();
    const state = await readThreadMemory(storage, input.threadId);
    const window = await readWindow(storage, input.threadId, count, {
      budgetTokens: Number.POSITIVE_INFINITY,
      maxMessages: MAX_SOURCES * 2,
      ...(state.extractedThrough && { throughMessageId: state.extractedThrough }),
      readPastBudget: true,
    });
    const newest = window.stored[0];
    if (!newest) return [];
    const sources: FactSource[] = window.entries
      .slice(-MAX_SOURCES)
      .map((entry) => ({ role: entry.role, content: entry.content.slice(0, 4000), messageId: entry.messageId }));
    if (sources.length === 0) {
      await writeExtractedThrough(storage, input.threadId, newest.id);
      return [];
    }
    let written: string[];
    try {
      const known = await readMemories(storage.store, input.userId, input.threadId);
      const facts = await extractFacts(context.model().model, {
        known,
        messages: sources,
        signal: sinkFor(context, input.threadId).signal,
      });
      const merged = await mergeFacts(
        storage.store,
        { userId: input.userId, threadId: input.threadId, maxRecords: config.memory.maxRecords },
        facts,
        sources,
      );
      const changed = [...merged.created, ...merged.updated];
      await markSources(context, input.threadId, changed);
      written = changed.map((record) => record.id);
    } catch (error) {
      context.logger.warn(
        { err: error, threadId: input.threadId },
        'facts not extracted: the model failed; the next turn reads these messages again',
      );
      if (!state.extractRetry) await writeExtractRetry(storage, input.threadId, true);
      return [];
    }
    await writeExtractedThrough(storage, input.threadId, newest.id);
    if (state.extractRetry) await writeExtractRetry(storage, input.threadId, false);
    return written;
  });
}

/**
 * Adds a `remembered` part to each message a fact came from (replacing an earlier one for the same
 * memory), and tells the running turn with a `memory-added` event per fact, so a UI marks the message live.
 */
async function markSources(
  context: TurnContext,
  threadId: string,
  records: Array<{ id: string; messageId?: string; text: string }>,
): Promise<void> {
  const bySource = new Map<string, typeof records>();
  for (const record of records) {
    if (record.messageId) bySource.set(record.messageId, [...(bySource.get(record.messageId) ?? []), record]);
  }
  for (const [messageId, facts] of bySource) {
    const message = await context.storage.getMessage(messageId);
    if (!message) continue;
    const ids = new Set(facts.map((fact) => fact.id));
    const parts: MessagePart[] = [
      ...(message.parts ?? []).filter((part) => part.type !== 'remembered' || !ids.has(part.memoryId)),
      ...facts.map((fact): MessagePart => ({ type: 'remembered', memoryId: fact.id })),
    ];
    await context.storage.updateMessage(messageId, { parts });
    const sink = context.sinks.get(threadId);
    for (const fact of facts) sink?.emit({ type: 'memory-added', messageId, memoryId: fact.id });
  }
}
