import { task } from '@langchain/langgraph';
import { type ReplyInput, sendReply } from '../story-messages.js';
import type { TurnContext } from '../turn-context.js';

/**
 * The `reply` task: stores and emits a reply the engine writes itself (help, `/reset`, notices).
 * Resolves to the reply's id.
 */
export function createReplyTask(context: TurnContext) {
  return task('reply', (input: ReplyInput) => sendReply(context, input));
}
