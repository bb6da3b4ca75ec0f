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
   * Task work the turn waits for before it ends, however it ends: an aborted run stops waiting
   * for its tasks, but a reply's last write (its partial text, status `aborted`) must still land.
   */
  settling: Promise<unknown>[];
}

/** A push-based async queue: producers `push`, one consumer iterates. */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | undefined;
  private closed = false;

  /** Adds an item (ignored after `close`). */
  push(item: T): void {
    if (this.closed) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: item, done: false });
    } else this.items.push(item);
  }

  /** Ends iteration once buffered items are consumed. */
  close(): void {
    this.closed = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
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
