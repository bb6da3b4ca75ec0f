// What a StorySession does to the story's stored messages outside a turn: marks replies a stopped
// process left streaming, and records the player's feedback.
import { cleanText } from './clean-text.js';
import type { EngineContext } from './engine/engine-context.js';
import { DreamdeckError } from './errors.js';
import type { StoryMessage } from './types.js';

/**
 * Marks `aborted` the replies among `messages` that a process which died mid-turn left
 * `streaming`, so the story reads cleanly, and returns the messages as stored now. Done where the
 * story is read rather than when a session opens, so a turn pays no extra read for it. If another
 * instance is in fact still streaming such a reply, its final write wins (`ifStatus`).
 */
export async function recoverInterrupted(
  engine: EngineContext,
  threadId: string,
  messages: StoryMessage[],
): Promise<StoryMessage[]> {
  const turnRunning = engine.turns.running(threadId) !== undefined;
  if (turnRunning || !messages.some((m) => m.status === 'streaming')) return messages;
  return Promise.all(
    messages.map(async (message) => {
      if (message.status !== 'streaming') return message;
      try {
        const stored = await engine.storage.updateMessage(message.id, { status: 'aborted', ifStatus: 'streaming' });
        if (stored.status === 'aborted') {
          engine.logger.warn(
            { threadId, messageId: message.id },
            'reply left streaming by a stopped process marked aborted',
          );
        }
        return stored;
      } catch (error) {
        // housekeeping only: a failure here surfaces on the next real write instead
        engine.logger.warn({ err: error, threadId }, 'could not mark an interrupted reply');
        return message;
      }
    }),
  );
}

/** Records a player's thumbs up (1) or down (-1), with an optional comment, on a message of the thread. */
export async function recordFeedback(
  engine: EngineContext,
  session: { readonly threadId: string; readonly userId: string },
  messageId: string,
  value: 1 | -1,
  comment?: string,
): Promise<void> {
  const { storage } = engine;
  const { threadId, userId } = session;
  const message = await storage.getMessage(messageId);
  if (!message || message.threadId !== threadId) throw new DreamdeckError('NOT_FOUND', 'That message does not exist.');
  if (value !== 1 && value !== -1) throw new DreamdeckError('INVALID_INPUT', 'Feedback is 1 (up) or -1 (down).');
  const clean = comment === undefined ? undefined : cleanText(comment).slice(0, 2000);
  // the daily report counts feedback given: a changed vote on the same message is not counted again
  const first = !(await storage.getFeedback(messageId, userId));
  await storage.setFeedback({
    messageId,
    threadId,
    userId,
    value,
    ...(clean && { comment: clean }),
    ...(message.persona && { persona: message.persona }),
  });
  if (first) await storage.addUsage?.(userId, 'feedback');
}
