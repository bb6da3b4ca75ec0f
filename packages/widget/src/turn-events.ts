import { createParser } from 'eventsource-parser';
import type { TurnEvent } from './protocol.js';

/**
 * Reads a `text/event-stream` body and calls `onEvent` with each parsed `TurnEvent` and its `id:`
 * (the event's sequence number in its turn) when it has one. Resolves when the stream ends;
 * rejects on network failure or abort.
 *
 * @param body - the response body
 * @param onEvent - receives each event in order, with its sequence number
 */
export async function readTurnEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: TurnEvent, seq?: number) => void,
): Promise<void> {
  const parser = createParser({
    onEvent(message) {
      if (!message.data) return;
      let event: TurnEvent;
      try {
        event = JSON.parse(message.data) as TurnEvent;
      } catch {
        return;
      }
      const seq = message.id && /^\d{1,10}$/.test(message.id) ? Number(message.id) : undefined;
      if (event && typeof event === 'object' && typeof event.type === 'string') onEvent(event, seq);
    },
  });
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(value);
  }
}
