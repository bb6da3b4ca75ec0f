import { task } from '@langchain/langgraph';
import { readWindow } from '../../memory/context-window.js';
import { summarizeStory } from '../../memory/summarize-story.js';
import { readThreadMemory, writeSummary } from '../../memory/summary-state.js';
import { loadTokenCounter } from '../../memory/token-count.js';
import { planFold } from '../../memory/upkeep-plan.js';
import { sinkFor, type TurnContext } from '../turn-context.js';

/** The thread whose window to fold, and the turn that asks. */
export interface SummarizeInput {
  threadId: string;
  turnId: string;
}

/** What a `summarize` run did. */
export interface SummarizeResult {
  /** Chat messages folded into the summary (0: nothing to fold, or the model failed). */
  folded: number;
  /** The summary's new last message, when it moved. */
  throughMessageId?: string;
}

/**
 * The `summarize` task: when the thread's window (its messages after the summary) has outgrown
 * `memory.windowTokens` or `memory.windowMessages`, folds its oldest messages into the rolling summary
 * (`memory.summaryTokens`), written by the model, and moves the summary's end
 * (`throughMessageId`). It works from what is stored, not from what the turn remembers, so a run
 * lost to a crash is made up by the next turn's, and a run repeated folds nothing twice. A model
 * failure is logged and leaves the summary as it was: the next turn tries again; the player's turn
 * never fails for it. After a `/reset` the fold starts a new summary.
 */
export function createSummarizeTask(context: TurnContext) {
  return task('summarize', async (input: SummarizeInput): Promise<SummarizeResult> => {
    const config = context.config();
    const memory = config.memory;
    if (memory.summaryTokens <= 0) return { folded: 0 };
    const { storage } = context;
    const count = await loadTokenCounter();
    const state = await readThreadMemory(storage, input.threadId);
    const window = await readWindow(storage, input.threadId, count, {
      budgetTokens: Number.POSITIVE_INFINITY,
      // enough to reach the summary when an earlier fold failed; older messages are past saving
      maxMessages: memory.windowMessages * 2 + 16,
      ...(state.summary && { throughMessageId: state.summary.throughMessageId }),
      readPastBudget: true,
    });
    const plan = planFold(window, config);
    if (!plan) return { folded: 0 };
    // a walk that stopped at a chapter break never reached the old summary: it is of the earlier chapter
    const previous = window.stop === 'reset' ? '' : (state.summary?.text ?? '');
    let text = previous;
    if (plan.passages.length) {
      try {
        text = await summarizeStory(context.model().model, count, {
          previous,
          passages: plan.passages,
          maxTokens: memory.summaryTokens,
          signal: sinkFor(context, input.threadId).signal,
        });
      } catch (error) {
        context.logger.warn(
          { err: error, threadId: input.threadId },
          'summary not updated: the model failed; the next turn tries again',
        );
        return { folded: 0 };
      }
    }
    await writeSummary(storage, input.threadId, {
      text,
      throughMessageId: plan.throughMessageId,
      updatedAt: new Date().toISOString(),
    });
    return { folded: plan.passages.length, throughMessageId: plan.throughMessageId };
  });
}
