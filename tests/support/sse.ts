export { type NumberedEvent, readEventStream } from '../../packages/core/src/http/serve-for-tests.js';

import type { NumberedEvent } from '../../packages/core/src/http/serve-for-tests.js';

/** What a turn's events add up to: per message its kind and whole text, in order, and how the turn ended. */
export function storyOf(events: NumberedEvent[]) {
  const messages: Array<{ id: string; kind: unknown; text: string }> = [];
  for (const { event, data } of events) {
    if (event === 'message-start') messages.push({ id: data.messageId as string, kind: data.kind, text: '' });
    if (event === 'message-delta') {
      const message = messages.find((candidate) => candidate.id === data.messageId);
      if (message) message.text += data.text as string;
    }
  }
  return {
    types: events.map((event) => event.event),
    messages,
    status: events.at(-1)?.event === 'turn-end' ? events.at(-1)?.data.status : undefined,
  };
}
