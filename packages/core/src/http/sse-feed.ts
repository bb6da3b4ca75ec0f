import type { TurnEventSource, TurnEventsEnd, TurnEventsListener } from '../engine/turn-event-source.js';
import { TURN_JOURNAL, TurnJournal } from '../engine/turn-journal.js';
import type { DreamdeckError } from '../errors.js';
import type { Turn, TurnEvent } from '../types.js';
import { type EventQueue, TURN_EVENTS } from '../workflow/turn-sink.js';

/**
 * The journal behind a turn: the engine's own for a turn from `runTurn` (its public iterator stops
 * buffering: this stream reads the journal instead); for any other `Turn` (a wrapper, a test
 * double), a journal of its own fed from the turn's events, stopped through `abort`.
 */
export function journalOf(turn: Turn, abort: AbortController): TurnJournal {
  const own = (turn as { [TURN_JOURNAL]?: TurnJournal })[TURN_JOURNAL];
  if (own) {
    own.detachRaw();
    return own;
  }
  const journal = new TurnJournal(turn.turnId, '');
  journal.setStopper((reason) => abort.abort(reason));
  const queue = (turn as { [TURN_EVENTS]?: EventQueue<TurnEvent> })[TURN_EVENTS];
  if (queue) {
    // by push: no promise per event
    queue.subscribe(
      (event) => journal.push(event),
      () => journal.close(),
    );
    return journal;
  }
  (async () => {
    for await (const event of turn) journal.push(event);
  })()
    .catch(() => {})
    .finally(() => journal.close());
  return journal;
}

/**
 * One subscription of an event stream to a turn's events: batches are buffered (so the stream can
 * look at the first events before it commits its headers) until {@link SseFeed.attach} takes them
 * and the rest as they come.
 */
export class SseFeed {
  private buffered: TurnEvent[] = [];
  private firstSeq = 0;
  private ended = false;
  private error: DreamdeckError | undefined;
  private sink: { onEvents: TurnEventsListener; onEnd: TurnEventsEnd } | undefined;
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  /** Subscribes to `source` after `after`. */
  constructor(source: TurnEventSource, after: number) {
    this.unsubscribe = source.subscribe(
      after,
      (events, firstSeq) => {
        if (this.sink) {
          this.sink.onEvents(events, firstSeq);
          return;
        }
        if (this.buffered.length === 0) this.firstSeq = firstSeq;
        for (const event of events) this.buffered.push(event);
        this.wake?.();
      },
      (error) => {
        this.ended = true;
        this.error = error;
        if (this.sink) this.sink.onEnd(error);
        else this.wake?.();
      },
    );
  }

  /** The events buffered so far (before {@link SseFeed.attach}). */
  peeked(): readonly TurnEvent[] {
    return this.buffered;
  }

  /** Waits until an event other than `turn-start` is buffered, the source ends, or `ms` pass. */
  async peek(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended && !this.buffered.some((event) => event.type !== 'turn-start')) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, left);
        this.wake = done;
      });
    }
  }

  /** Hands the buffered events to `onEvents` at once, then each batch as it comes, then `onEnd`. */
  attach(onEvents: TurnEventsListener, onEnd: TurnEventsEnd): void {
    if (this.buffered.length > 0) {
      const events = this.buffered;
      this.buffered = [];
      onEvents(events, this.firstSeq);
    }
    if (this.ended) onEnd(this.error);
    else this.sink = { onEvents, onEnd };
  }

  /** Stops the subscription (the client went away, or the stream is done). */
  close(): void {
    this.sink = undefined;
    this.unsubscribe();
  }
}
