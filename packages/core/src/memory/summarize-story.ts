import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import type { PromptMessage } from './context-window.js';
import { type TokenCounter, truncateToTokens } from './token-count.js';

/** The structured output a summary is asked for. */
export const summarySchema = z.object({
  summary: z.string().describe('The updated summary of the whole story so far, in plain prose.'),
});

/** The name the summary's structured output goes by (the demo model answers it by this name). */
export const SUMMARY_TOOL = 'summarize_story';

/** Words per token, roughly, for telling a model how long to write. */
const WORDS_PER_TOKEN = 0.7;

/** What to fold into a summary. */
export interface SummaryRequest {
  /** The summary so far ('' for a new one). */
  previous: string;
  /** The passages leaving the window, oldest first. */
  passages: PromptMessage[];
  /** The summary's budget in tokens (config `memory.summaryTokens`). */
  maxTokens: number;
  /** Aborts the model call. */
  signal?: AbortSignal;
}

/** A passage as the summarizer reads it: `Player:` or `GM:` and its text. */
export function transcriptLine(message: PromptMessage): string {
  return `${message.role === 'assistant' ? 'GM' : 'Player'}: ${message.content.replace(/\s+/g, ' ').trim()}`;
}

/**
 * Folds `passages` into the summary with the model's structured output, and holds the result to
 * `maxTokens` (cut at a word when a model writes more than asked). Rejects when the model fails.
 */
export async function summarizeStory(model: BaseChatModel, count: TokenCounter, request: SummaryRequest) {
  const words = Math.max(20, Math.floor(request.maxTokens * WORDS_PER_TOKEN));
  const writer = model.withStructuredOutput(summarySchema, { name: SUMMARY_TOOL });
  const answer = summarySchema.parse(
    await writer.invoke(
      [
        {
          role: 'system',
          content: `You keep the running summary of a collaborative story between a player and a game master (GM). Fold the new passages into the summary so far. Keep every name, place, object, relationship, promise, debt and open thread; drop flourish and repetition. Write at most ${words} words.`,
        },
        {
          role: 'user',
          content: `Summary so far:\n${request.previous || '(none yet)'}\n\nNew passages:\n${request.passages.map(transcriptLine).join('\n')}`,
        },
      ],
      request.signal ? { signal: request.signal } : {},
    ),
  );
  return truncateToTokens(count, answer.summary.trim(), request.maxTokens);
}
