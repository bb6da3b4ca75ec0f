import type { TurnEvent } from '../types.js';
import type { EventQueue } from '../workflow/turn-sink.js';
import {
  goneEventsError,
  type TurnEventSource,
  type TurnEventsEnd,
  type TurnEventsListener,
} from './turn-event-source.js';

/** Entries a turn's journal holds at most; past it the oldest are dropped. */
export const JOURNAL_MAX_ENTRIES = 20_000;
/** Bytes (about: characters of JSON) a turn's journal holds at most; past it the oldest entries are dropped. */
export const JOURNAL_MAX_BYTES = 8 * 1024 * 1024;
/** The largest single event a journal keeps; a larger one is replaced by an `error` event. */
export const JOURNAL_MAX_EVENT_BYTES = 1024 * 1024;

/** Where a turn from `runTurn` keeps its {@link TurnJournal}, for the HTTP layer. Internal. */
export const TURN_JOURNAL = Symbol('dreamdeck.turnJournal');

/** What a delta costs beyond its text (type, message id, JSON), for the byte cap. */
const DELTA_OVERHEAD = 64;

/** Limits of one {@link TurnJournal} (defaults: the `JOURNAL_MAX_*` constants). */
export interface TurnJournalLimits {
  /** Entries held at most. */
  maxEntries?: number;
  /** Bytes held at most. */
  maxBytes?: number;
  /** The largest single event kept as it is. */
  maxEventBytes?: number;
}

/** Receives each batch as it is sealed (`ended` on the batch holding `turn-end`): the storage mirror. */
export type SealedListener = (events: readonly TurnEvent[], firstSeq: number, ended: boolean) => void;

interface Reader {
  /** The last seq this reader has. */
  position: number;
  onEvents: TurnEventsListener;
  onEnd: TurnEventsEnd;
}

/**
 * One turn's events, numbered 1, 2, 3 … in one place, so every reader (the turn's own stream, a
 * rejoin on this engine, another instance through storage) sees the same entries with the same
 * numbers. Events pushed in the same turn of the event loop are sealed together on the next one
 * (`setImmediate`) and handed to readers as one batch; within such a batch, consecutive deltas of
 * one message are joined into one `message-delta` (deltas concatenate, so the text is the same).
 *
 * Bounded: past `maxEntries` or `maxBytes` the oldest entries are dropped (a reader asking for
 * them gets `NOT_FOUND`, never wrong data); an event over `maxEventBytes`, or one that cannot be
 * serialised, is kept as an `error` event (code `INTERNAL`) instead. Not public API.
 */
export class TurnJournal implements TurnEventSource {
  /** Held events: `events[i]` has seq `base + i`. */
  private events: TurnEvent[] = [];
  private base = 1;
  /** The last seq pushed, and the last one handed to readers. */
  private last = 0;
  private sealed = 0;
  private bytes = 0;
  /** The tail is an unsealed delta that the next delta of its message may join; `tailOwned`: a copy this journal may change. */
  private tailJoinable = false;
  private tailOwned = false;
  private scheduled = false;
  private endPushed = false;
  private done = false;
  private readers: Set<Reader> | undefined;
  private raw: EventQueue<TurnEvent> | undefined;
  private sealedListener: SealedListener | undefined;
  private stopper: ((reason: unknown) => void) | undefined;
  private graceMs: number | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private watched = false;
  /** A reader subscribed at some point; one left before the end. */
  private everRead = false;
  private leftEarly = false;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly maxEventBytes: number;

  /**
   * @param turnId - the turn
   * @param threadId - its thread
   * @param limits - caps (defaults: `JOURNAL_MAX_*`)
   */
  constructor(
    readonly turnId: string,
    readonly threadId: string,
    limits: TurnJournalLimits = {},
  ) {
    this.maxEntries = Math.max(2, limits.maxEntries ?? JOURNAL_MAX_ENTRIES);
    this.maxBytes = limits.maxBytes ?? JOURNAL_MAX_BYTES;
    this.maxEventBytes = limits.maxEventBytes ?? JOURNAL_MAX_EVENT_BYTES;
  }

  /** True once `turn-end` was sealed: every entry has been handed out. */
  get ended(): boolean {
    return this.done;
  }

  /** The last sequence number pushed so far (0 before the first event). */
  get lastSeq(): number {
    return this.last;
  }

  /** Whether the entries after `after` are all still held. */
  holds(after: number): boolean {
    return after >= this.base - 1;
  }

  /** About how many bytes the held entries take (characters of JSON). */
  get size(): number {
    return this.bytes;
  }

  /**
   * Whether every reader read the turn to its end: at least one subscribed and none left while it
   * ran. A journal read to the end needs no long retention (no client is waiting to rejoin it).
   */
  get readToEnd(): boolean {
    return this.everRead && !this.leftEarly;
  }

  /** Readers subscribed right now. */
  get readerCount(): number {
    return this.readers?.size ?? 0;
  }

  /** Also hands each event, as pushed and unjoined, to `queue` (the public `Turn` iterator), until {@link TurnJournal.detachRaw}. */
  attachRaw(queue: EventQueue<TurnEvent>): void {
    this.raw = queue;
  }

  /** Stops feeding the raw queue and drops what it buffered (a consumer reads this journal instead). */
  detachRaw(): void {
    this.raw?.discard();
    this.raw = undefined;
  }

  /** Adds the next event. Ignored after `turn-end`. */
  push(event: TurnEvent): void {
    if (this.endPushed) return;
    this.raw?.push(event);
    if (event.type === 'message-delta') {
      const tail = this.events[this.events.length - 1];
      if (this.tailJoinable && tail?.type === 'message-delta' && tail.messageId === event.messageId) {
        if (this.tailOwned) tail.text += event.text;
        else {
          this.events[this.events.length - 1] = { ...tail, text: tail.text + event.text };
          this.tailOwned = true;
        }
        this.bytes += event.text.length;
        this.trim();
        return;
      }
      this.append(event, event.text.length + DELTA_OVERHEAD);
      this.tailJoinable = true;
      this.tailOwned = false;
      return;
    }
    this.tailJoinable = false;
    const size = measure(event);
    if (size === undefined || size > this.maxEventBytes) {
      const replacement = unsendableEvent(event);
      this.append(replacement, measure(replacement) ?? 0);
    } else this.append(event, size);
    if (event.type === 'turn-end') this.endPushed = true;
  }

  /**
   * Ends the journal without a `turn-end` (whoever produced the events stopped): readers end
   * after the entries pushed so far.
   */
  close(): void {
    if (this.endPushed) return;
    this.endPushed = true;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.seal());
    }
  }

  /** Hands each sealed batch to `listener` from now on, after the batches sealed so far (the storage mirror). */
  share(listener: SealedListener): void {
    if (this.sealed >= this.base) {
      listener(this.events.slice(0, this.sealed - this.base + 1), this.base, this.done);
    }
    this.sealedListener = listener;
  }

  /** Sets how to stop the running turn ({@link TurnJournal.stop}). */
  setStopper(stopper: (reason: unknown) => void): void {
    this.stopper = stopper;
  }

  /** Stops the running turn (its `turn-end` says `aborted`). No-op once it has ended. */
  stop(reason: unknown): void {
    if (!this.endPushed) this.stopper?.(reason);
  }

  /**
   * From now on, once no reader is left while the turn runs, stops it after `graceMs` (at once
   * for 0) unless a reader subscribes again meanwhile or another instance {@link TurnJournal.watch}es it.
   */
  stopWhenUnread(graceMs: number): void {
    this.graceMs = graceMs;
    if (this.readerCount === 0) this.unread();
  }

  /** Another instance reads this turn: it is never stopped for want of readers here. */
  watch(): void {
    this.watched = true;
    clearTimeout(this.graceTimer);
  }

  subscribe(after: number, onEvents: TurnEventsListener, onEnd: TurnEventsEnd): () => void {
    const position = Math.max(0, Math.floor(after));
    if (!this.holds(position)) {
      onEnd(goneEventsError());
      return () => {};
    }
    if (this.sealed > position) {
      const from = Math.max(position + 1, this.base);
      onEvents(this.events.slice(from - this.base, this.sealed - this.base + 1), from);
    }
    if (this.done) {
      onEnd();
      return () => {};
    }
    const reader: Reader = { position: Math.max(position, this.sealed), onEvents, onEnd };
    this.readers ??= new Set();
    this.readers.add(reader);
    this.everRead = true;
    clearTimeout(this.graceTimer);
    return () => {
      if (!this.readers?.delete(reader)) return;
      this.leftEarly = true;
      if (this.readers.size === 0) this.unread();
    };
  }

  private append(event: TurnEvent, size: number): void {
    this.events.push(event);
    this.last++;
    this.bytes += size;
    this.trim();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.seal());
    }
  }

  /** Drops the oldest entries (a tenth of the cap at a time, never the newest) while over a cap. */
  private trim(): void {
    const { events } = this;
    if (events.length <= this.maxEntries && this.bytes <= this.maxBytes) return;
    const entryFloor = Math.floor(this.maxEntries * 0.9);
    const byteFloor = Math.floor(this.maxBytes * 0.9);
    let drop = 0;
    let freed = 0;
    while (drop < events.length - 1 && (events.length - drop > entryFloor || this.bytes - freed > byteFloor)) {
      const event = events[drop] as TurnEvent;
      freed += event.type === 'message-delta' ? event.text.length + DELTA_OVERHEAD : (measure(event) ?? 0);
      drop++;
    }
    events.splice(0, drop);
    this.base += drop;
    this.bytes -= freed;
  }

  /** Hands the batch pushed since the last seal to the mirror and the readers. */
  private seal(): void {
    this.scheduled = false;
    this.tailJoinable = false;
    this.tailOwned = false;
    if (this.done) return;
    if (this.endPushed) this.done = true;
    if (this.sealed < this.last) {
      // entries dropped before they were ever handed out (a flood in one tick) are skipped
      const from = Math.max(this.sealed + 1, this.base);
      this.sealed = this.last;
      const batch = this.events.slice(from - this.base);
      this.sealedListener?.(batch, from, this.done);
      if (this.readers) {
        for (const reader of [...this.readers]) this.deliver(reader, batch, from);
      }
    }
    if (this.done) {
      clearTimeout(this.graceTimer);
      const readers = this.readers;
      this.readers = undefined;
      for (const reader of readers ?? []) reader.onEnd();
    }
  }

  private deliver(reader: Reader, batch: TurnEvent[], from: number): void {
    if (reader.position < from - 1) {
      this.readers?.delete(reader);
      reader.onEnd(goneEventsError());
      return;
    }
    const offset = reader.position + 1 - from;
    // a reader that asked for a seq not reached yet stays where it asked
    if (offset >= batch.length) return;
    reader.position = from + batch.length - 1;
    reader.onEvents(offset > 0 ? batch.slice(offset) : batch, from + offset);
  }

  private unread(): void {
    const grace = this.graceMs;
    if (grace === undefined || this.endPushed || this.watched) return;
    const reason = new DOMException('The client went away.', 'AbortError');
    if (grace <= 0) {
      this.stop(reason);
      return;
    }
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (this.readerCount === 0 && !this.watched) this.stop(reason);
    }, grace);
    this.graceTimer.unref?.();
  }
}

/**
 * What readers get instead of an event that cannot be sent (too large, or not serialisable): an
 * `error` event (code `INTERNAL`, not retryable). The journal and the SSE formatter both use it.
 */
export function unsendableEvent(event: TurnEvent | undefined): TurnEvent {
  return {
    type: 'error',
    code: 'INTERNAL',
    message:
      event?.type === 'message-end'
        ? 'A message was too large to send. Reload the story to read it.'
        : 'An event was too large to send.',
    retryable: false,
  };
}

/** The size of an event as JSON, or `undefined` when it cannot be serialised. */
function measure(event: TurnEvent): number | undefined {
  try {
    return JSON.stringify(event).length;
  } catch {
    return undefined;
  }
}
