import { DreamdeckError } from '../errors.js';
import type { TurnEventEntry } from '../storage/domains/turn-event-storage.js';
import type { TurnEvent } from '../types.js';

/** Receives a batch of a turn's events: `events[i]` has sequence number `firstSeq + i`. */
export type TurnEventsListener = (events: readonly TurnEvent[], firstSeq: number) => void;

/** Called once when a subscription ends: after `turn-end`, or with the error that ended it. */
export type TurnEventsEnd = (error?: DreamdeckError) => void;

/**
 * A turn's events in order, numbered: a turn's own journal on the engine that runs it, or the
 * turn events another instance stored. Not public API; `session.rejoin` wraps it.
 */
export interface TurnEventSource {
  /** The turn. */
  readonly turnId: string;
  /** The thread it runs on. */
  readonly threadId: string;
  /**
   * Delivers the events after `after` in batches (those already known may arrive synchronously,
   * before this returns), then the rest as they come, until the batch holding `turn-end`; then
   * `onEnd()`. Entries no longer held end the subscription with `onEnd(error)` (`NOT_FOUND`).
   * Returns the function that stops delivery.
   */
  subscribe(after: number, onEvents: TurnEventsListener, onEnd: TurnEventsEnd): () => void;
}

/** Where a {@link TurnReplay} keeps its source and position, for the HTTP layer. Internal. */
export const TURN_SOURCE = Symbol('dreamdeck.turnSource');

/** The events of a turn from a point on, as `session.rejoin` answers them. */
export interface TurnReplay extends AsyncIterable<TurnEventEntry> {
  /** The turn. */
  readonly turnId: string;
  /** The sequence number the replay starts after. */
  readonly after: number;
  /** @internal */
  readonly [TURN_SOURCE]: TurnEventSource;
}

/** The error for a turn this engine and its storage know nothing of (or that belongs to another thread). */
export function unknownTurnError(): DreamdeckError {
  return new DreamdeckError('NOT_FOUND', 'That turn is over or unknown. Reload the story to read it.');
}

/** The error for a rejoin from a point whose events are no longer kept. */
export function goneEventsError(): DreamdeckError {
  return new DreamdeckError('NOT_FOUND', 'Those events are no longer kept. Reload the story to read it.');
}

/**
 * A {@link TurnReplay} over `source` from `after`: iterating yields each entry until `turn-end`
 * (inclusive); an error that ends the source is thrown from the iterator; aborting `signal` ends
 * the iteration quietly.
 */
export function replayOf(source: TurnEventSource, after: number, signal?: AbortSignal): TurnReplay {
  return {
    turnId: source.turnId,
    after,
    [TURN_SOURCE]: source,
    [Symbol.asyncIterator]: () => iterate(source, after, signal),
  };
}

function iterate(source: TurnEventSource, after: number, signal?: AbortSignal): AsyncIterator<TurnEventEntry> {
  const buffered: TurnEventEntry[] = [];
  let finished = false;
  let failure: DreamdeckError | undefined;
  let waiting: (() => void) | undefined;
  const wake = () => {
    const resume = waiting;
    waiting = undefined;
    resume?.();
  };
  const finish = (error?: DreamdeckError) => {
    if (finished) return;
    finished = true;
    failure = error;
    signal?.removeEventListener('abort', onAbort);
    wake();
  };
  const onAbort = () => {
    unsubscribe();
    finish();
  };
  const unsubscribe = source.subscribe(
    after,
    (events, firstSeq) => {
      for (let index = 0; index < events.length; index++) {
        buffered.push({ seq: firstSeq + index, event: events[index] as TurnEvent });
      }
      wake();
    },
    finish,
  );
  if (signal?.aborted) onAbort();
  else if (!finished) signal?.addEventListener('abort', onAbort, { once: true });
  return {
    next: async (): Promise<IteratorResult<TurnEventEntry>> => {
      for (;;) {
        const entry = buffered.shift();
        if (entry) return { value: entry, done: false };
        if (finished) {
          if (failure && !signal?.aborted) {
            const error = failure;
            failure = undefined;
            throw error;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => (waiting = resolve));
      }
    },
    return: async (): Promise<IteratorResult<TurnEventEntry>> => {
      unsubscribe();
      finish();
      buffered.length = 0;
      return { value: undefined, done: true };
    },
  };
}
