import type { Dreamdeck } from '../../dreamdeck.js';
import type { StorySession } from '../../session.js';
import type { SurveyDefinition } from '../../surveys/survey-types.js';
import type { InterruptKind, StoryMessage } from '../../types.js';
import { boundedMessage } from '../../workflow/export-story.js';
import type { AuthUser } from '../token-auth.js';

/** A message as the thread routes answer it: with the caller's own rating when they gave one. */
export type MessageWithFeedback = StoryMessage & {
  /** The caller's own rating of this message, when they gave one. */
  feedback?: {
    /** Thumbs up (1) or down (-1). */
    value: 1 | -1;
    /** The comment they left with it. */
    comment?: string;
  };
};

/** The question a thread waits on, as `GET /threads/:id` answers it under `interrupt`. */
export interface PendingInterrupt {
  /** Answer it with `POST /threads/:id/resume` and this id. */
  interruptId: string;
  /** What is asked: a storyboard to approve, a choice, a survey. */
  kind: InterruptKind;
  /** The question, as the player sees it. */
  prompt: string;
  /** The answers to pick from, for a `choice`. */
  options?: string[];
  /** For a `survey`: its id, title and questions. */
  survey?: SurveyDefinition;
}

/**
 * The most characters of message content one page of the message routes carries (1,000,000): a
 * page stops early (with `hasMore`) rather than pass it, and each message's content is cut at
 * 100,000 characters (`MAX_MESSAGE_CHARS`), so a thread holding a huge old message still answers.
 */
export const PAGE_CONTENT_CHARS = 1_000_000;

/**
 * One page of a thread's story for the message routes: the newest `query.limit` messages (default
 * `defaultLimit`) before `query.before`, oldest first, and whether older ones exist. Bounded: each
 * message's content is cut at 100,000 characters, and the page ends early (older messages left for
 * the next page, `hasMore: true`) once it holds {@link PAGE_CONTENT_CHARS} of content.
 */
export async function historyPage(
  session: StorySession,
  query: { limit?: number | undefined; before?: string | undefined },
  defaultLimit: number,
): Promise<{ messages: StoryMessage[]; hasMore: boolean }> {
  const limit = query.limit ?? defaultLimit;
  const messages = await session.history({ limit: limit + 1, ...(query.before && { before: query.before }) });
  let hasMore = messages.length > limit;
  const page = (hasMore ? messages.slice(1) : messages).map(boundedMessage);
  let size = 0;
  // newest first: the newest message always makes the page, older ones while the budget lasts
  for (let index = page.length - 1; index >= 0; index--) {
    size += page[index]!.content.length;
    if (size > PAGE_CONTENT_CHARS && index < page.length - 1) {
      hasMore = true;
      return { messages: page.slice(index + 1), hasMore };
    }
  }
  return { messages: page, hasMore };
}

/**
 * Adds the caller's own `feedback: { value, comment? }` to each assistant message they rated.
 * Only assistant messages can be rated in the widget, so only those are looked up (in parallel).
 */
export async function withOwnFeedback(
  dd: Dreamdeck,
  user: AuthUser,
  messages: StoryMessage[],
): Promise<MessageWithFeedback[]> {
  const rated = await Promise.all(
    messages.map((message) => (message.role === 'assistant' ? dd.storage.getFeedback(message.id, user.id) : null)),
  );
  return messages.map((message, index) => {
    const record = rated[index];
    if (!record || record.userId !== user.id) return message;
    return { ...message, feedback: { value: record.value, ...(record.comment && { comment: record.comment }) } };
  });
}

/** The session's pending interrupt, reduced to the public fields; `undefined` when there is none. */
export async function pendingInterruptOf(session: StorySession): Promise<PendingInterrupt | undefined> {
  const pending = await session.pendingInterrupt();
  if (!pending) return undefined;
  return {
    interruptId: pending.interruptId,
    kind: pending.kind,
    prompt: pending.prompt,
    ...(pending.options && { options: [...pending.options] }),
    ...(pending.survey && { survey: pending.survey }),
  };
}
