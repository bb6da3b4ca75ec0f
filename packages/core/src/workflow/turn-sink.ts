import type { StoryMessage, TurnEvent } from '../types.js';

/**
 * Where a running turn's tasks send events. Tasks look the sink up by thread id (one turn runs
 * per thread at a time), so events bypass LangGraph's stream machinery and cost almost nothing
 * per token. Replayed tasks (on resume) do not run, so they emit nothing twice.
 */
export interface TurnSink {
  emit(event: TurnEvent): void;
  readonly signal: AbortSignal;
  /** Tokens streamed so far in this turn. */
  tokens: number;
  /** The player's message, once stored. */
  player?: StoryMessage;
  /**
   * The persona the turn runs as: stamped on the tool and system messages it stores (dice,
   * storyboards, help), so they keep their speaker after a `/persona` switch (issue 21).
   */
  persona?: string;
  /**
   * Task work the turn waits for before it ends, however it ends: an aborted run stops waiting
   * for its tasks, but a reply's last write (its partial text, status `aborted`) must still land.
   */
  settling: Promise<unknown>[];
}

/**
 * Where a turn object keeps its {@link EventQueue}, for consumers in this package that take the
 * events by push ({@link EventQueue.subscribe}) rather than through the public async iterator.
 */
export const TURN_EVENTS = Symbol('dreamdeck.turnEvents');

/** A push-based async queue: producers `push`, one consumer iterates (or subscribes). */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private listener: ((item: T) => void) | undefined;
  private onEnd: (() => void) | undefined;
  private closed = false;

  /** Adds an item (ignored after `close`). */
  push(item: T): void {
    if (this.closed) return;
    if (this.listener) {
      this.listener(item);
      return;
    }
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Ends iteration once buffered items are consumed. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
    const onEnd = this.onEnd;
    this.listener = undefined;
    this.onEnd = undefined;
    onEnd?.();
  }

  /**
   * Closes the queue and drops what it buffered: for a turn whose events a consumer takes from
   * its journal instead, so the queue holds nothing nobody will read.
   */
  discard(): void {
    this.items = [];
    this.close();
  }

  /**
   * Hands the items to `listener` instead of the iterator: the buffered ones at once, then each as
   * it is pushed, synchronously, with no promise per item. `onEnd` runs when the queue closes (at
   * once when it already has). For a consumer that has read part of the queue and now takes the
   * rest; it must not have a read waiting.
   */
  subscribe(listener: (item: T) => void, onEnd: () => void): void {
    if (this.waiting) throw new Error('EventQueue.subscribe: a read is still waiting');
    const buffered = this.items;
    this.items = [];
    for (const item of buffered) listener(item);
    if (this.closed) {
      onEnd();
      return;
    }
    this.listener = listener;
    this.onEnd = onEnd;
  }

  /**
   * Iterates items as they arrive. A plain iterator rather than an async generator: each event
   * costs one promise instead of a generator's several, and a turn yields one per token.
   */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: (): Promise<IteratorResult<T>> => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.closed) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiting = resolve;
        });
      },
      return: (): Promise<IteratorResult<T>> => Promise.resolve({ value: undefined, done: true }),
    };
  }
}
