import { unsendableEvent } from '../engine/turn-journal.js';
import { type DreamdeckError, publicMessage } from '../errors.js';
import type { TurnEvent } from '../types.js';

/** The longest `data:` line one event may have (characters of JSON); a longer event is replaced by an `error` event. */
export const MAX_SSE_EVENT_CHARS = 4 * 1024 * 1024;

const encoder = new TextEncoder();
const EVENT_TYPE = /^[a-z][a-z-]{0,39}$/;

/**
 * One server-sent event as text: `id: <seq>` (when given), `event: <type>` and `data: <json>`.
 * Never throws: an event that cannot be serialised (a `RangeError: Invalid string length`, a
 * cycle, a BigInt) or whose JSON is over {@link MAX_SSE_EVENT_CHARS} is sent as an `error` event
 * (code `INTERNAL`, not retryable) under the same id, so the stream goes on.
 */
export function formatEventText(event: TurnEvent, seq?: number): string {
  const id = seq === undefined ? '' : `id: ${seq}\n`;
  let data: string | undefined;
  try {
    data = JSON.stringify(event);
  } catch {
    data = undefined;
  }
  if (data === undefined || data.length > MAX_SSE_EVENT_CHARS || !EVENT_TYPE.test(String(event?.type))) {
    const replacement = unsendableEvent(event);
    return `${id}event: error\ndata: ${JSON.stringify(replacement)}\n\n`;
  }
  return `${id}event: ${event.type}\ndata: ${data}\n\n`;
}

/** One server-sent event, encoded (see `formatEventText`). */
export function formatEvent(event: TurnEvent, seq?: number): Uint8Array {
  return encoder.encode(formatEventText(event, seq));
}

/** A batch of a turn's events as event text: `events[i]` gets `id: firstSeq + i`. */
export function formatBatch(events: readonly TurnEvent[], firstSeq: number): string {
  let text = '';
  for (let index = 0; index < events.length; index++) {
    text += formatEventText(events[index] as TurnEvent, firstSeq + index);
  }
  return text;
}

/**
 * How a stream ends that cannot go on (the events asked for are no longer kept, the instance
 * running the turn stopped answering): an `error` event with the error's code, then a `turn-end`
 * of status `error`, neither with an `id:` (they are this stream's, not the turn's), so a client
 * stops reading and reloads the story.
 */
export function formatFailure(error: DreamdeckError, turnId: string): string {
  const failure: TurnEvent = { type: 'error', code: error.code, message: publicMessage(error), retryable: false };
  const end: TurnEvent = { type: 'turn-end', turnId, status: 'error' };
  return formatEventText(failure) + formatEventText(end);
}
