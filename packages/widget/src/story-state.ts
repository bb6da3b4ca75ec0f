import type { LoadedMessage, MessagePart, StoryMessage, TurnEvent } from './protocol.js';

/**
 * Applies one turn event to a message list and returns the new list (the input is not changed,
 * and untouched messages keep their identity so Lit re-renders only what changed).
 *
 * - `message-start` adds a streaming message, or resets one being regenerated (same id);
 * - `message-delta` appends text; `dice-roll` and `image` add parts; `memory-added` marks its message "remembered";
 * - `message-end` replaces the message with the stored one.
 *
 * @param messages - the current list, oldest first
 * @param event - an event from a turn stream
 * @param threadId - the thread the events belong to
 */
export function applyTurnEvent(messages: StoryMessage[], event: TurnEvent, threadId: string): StoryMessage[] {
  switch (event.type) {
    case 'message-start': {
      const index = messages.findIndex((message) => message.id === event.messageId);
      const started: StoryMessage = {
        ...(index >= 0 ? messages[index] : undefined),
        id: event.messageId,
        threadId,
        role: event.role,
        kind: event.kind,
        ...(event.persona !== undefined && { persona: event.persona }),
        content: '',
        // a tool message may already hold the dice or image parts that arrived before its start
        parts: index >= 0 && event.kind !== 'narration' ? (messages[index]!.parts ?? []) : [],
        createdAt: index >= 0 ? messages[index]!.createdAt : new Date().toISOString(),
        status: 'streaming',
      };
      return index >= 0 ? replaceAt(messages, index, started) : [...messages, started];
    }
    case 'message-delta':
      return update(messages, event.messageId, (message) => ({ ...message, content: message.content + event.text }));
    case 'dice-roll':
      return addPart(messages, event.messageId, { type: 'dice', roll: event.roll }, threadId);
    case 'image':
      return addPart(messages, event.messageId, { type: 'image', image: event.image }, threadId);
    case 'memory-added':
      return update(messages, event.messageId, (message) =>
        message.parts?.some((part) => part.type === 'remembered' && part.memoryId === event.memoryId)
          ? message
          : { ...message, parts: [...(message.parts ?? []), { type: 'remembered', memoryId: event.memoryId }] },
      );
    case 'message-end': {
      const index = messages.findIndex((message) => message.id === event.message.id);
      return index >= 0 ? replaceAt(messages, index, event.message) : [...messages, event.message];
    }
    default:
      return messages;
  }
}

/**
 * Marks every message still `streaming` as `aborted` (a stream that ended without its
 * `message-end`, for example after Stop or a dropped connection).
 *
 * @param messages - the current list
 */
export function settleStreaming(messages: StoryMessage[]): StoryMessage[] {
  return messages.some((message) => message.status === 'streaming')
    ? messages.map((message) => (message.status === 'streaming' ? { ...message, status: 'aborted' } : message))
    : messages;
}

/**
 * The id of the reply that may be regenerated: the latest narration, when it is the latest
 * assistant message.
 *
 * @param messages - the current list
 */
export function regenerableId(messages: StoryMessage[]): string | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === 'user') return undefined;
    if (message.kind === 'narration') return message.status === 'streaming' ? undefined : message.id;
  }
  return undefined;
}

function replaceAt(messages: StoryMessage[], index: number, message: StoryMessage): StoryMessage[] {
  const next = messages.slice();
  next[index] = message;
  return next;
}

function update(messages: StoryMessage[], id: string, change: (message: StoryMessage) => StoryMessage) {
  // the streaming message is almost always the last one
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]!.id === id) return replaceAt(messages, index, change(messages[index]!));
  }
  return messages;
}

function addPart(messages: StoryMessage[], id: string, part: MessagePart, threadId: string): StoryMessage[] {
  const exists = messages.some((message) => message.id === id);
  const base: StoryMessage[] = exists
    ? messages
    : [
        ...messages,
        {
          id,
          threadId,
          role: 'tool',
          kind: part.type === 'dice' ? 'dice' : 'storyboard',
          content: '',
          parts: [],
          createdAt: new Date().toISOString(),
          status: 'streaming',
        },
      ];
  // an image is known by its id, anything else by its whole content
  const key = (candidate: MessagePart) => (candidate.type === 'image' ? candidate.image.id : JSON.stringify(candidate));
  return update(base, id, (message) => {
    const parts = message.parts ?? [];
    return parts.some((existing) => key(existing) === key(part)) ? message : { ...message, parts: [...parts, part] };
  });
}

/**
 * Collects the caller's own ratings from loaded messages into a `messageId → value` map, on top of
 * `known` (ratings from a later page win over nothing; a message's own rating wins over `known`).
 *
 * @param messages - messages from `GET /threads/:id` or `GET /threads/:id/messages`
 * @param known - ratings already held (for example for newer messages)
 */
export function feedbackOf(
  messages: readonly LoadedMessage[],
  known: ReadonlyMap<string, 1 | -1> = new Map(),
): Map<string, 1 | -1> {
  const map = new Map(known);
  for (const message of messages) {
    const value = message.feedback?.value;
    if (value === 1 || value === -1) map.set(message.id, value);
  }
  return map;
}
