import { newId } from '../storage/ids.js';
import type { MessageKind, MessagePart, StoryMessage } from '../types.js';
import { sinkFor, type TurnContext } from './turn-context.js';

/** A new story message of a turn: a fresh id, now, status `complete` unless `fields` say otherwise. */
export function newMessage(
  threadId: string,
  turnId: string,
  fields: Pick<StoryMessage, 'role' | 'kind' | 'content'> & Partial<StoryMessage>,
): StoryMessage {
  return {
    id: newId('msg'),
    threadId,
    turnId,
    createdAt: new Date().toISOString(),
    status: 'complete',
    ...fields,
  };
}

/**
 * Stores a finished tool or system reply and emits it whole (`message-start`, one
 * `message-delta` with its content when it has any, `message-end`). Returns its id.
 */
export async function storeReply(context: TurnContext, threadId: string, message: StoryMessage): Promise<string> {
  const sink = sinkFor(context, threadId);
  // the speaker of the turn, kept with the message (not read from the story's persona later)
  if (!message.persona && sink.persona) message = { ...message, persona: sink.persona };
  await context.storage.appendMessage(message);
  sink.emit({
    type: 'message-start',
    messageId: message.id,
    role: message.role === 'assistant' ? 'assistant' : 'tool',
    kind: message.kind as Exclude<MessageKind, 'player'>,
    ...(message.persona && { persona: message.persona }),
  });
  if (message.content) sink.emit({ type: 'message-delta', messageId: message.id, text: message.content });
  sink.emit({ type: 'message-end', message });
  return message.id;
}

/** A reply the engine writes itself (no model): help, command answers, notices. */
export interface ReplyInput {
  threadId: string;
  turnId: string;
  kind: MessageKind;
  content: string;
  parts?: MessagePart[];
  /** `tool` unless said otherwise. */
  role?: 'tool' | 'system';
  /** Who says it; default the turn's persona. */
  persona?: string;
}

/** Stores and emits a reply the engine writes itself ({@link storeReply}). Returns its id. */
export function sendReply(context: TurnContext, input: ReplyInput): Promise<string> {
  return storeReply(
    context,
    input.threadId,
    newMessage(input.threadId, input.turnId, {
      role: input.role ?? 'tool',
      kind: input.kind,
      content: input.content,
      ...(input.parts && { parts: input.parts }),
      ...(input.persona && { persona: input.persona }),
    }),
  );
}
