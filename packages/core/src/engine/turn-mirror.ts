import type { Logger } from '../logging/logger.js';
import type { NotificationStorage } from '../storage/domains/notification-storage.js';
import type { TurnEventEntry, TurnEventStorage } from '../storage/domains/turn-event-storage.js';
import type { TurnEvent } from '../types.js';

/** How long deltas wait to be written with the next ones (any other event is written at once). */
export const MIRROR_BATCH_MS = 50;
/** Tries per batch before a mirror gives it up (the turn itself goes on). */
const MAX_ATTEMPTS = 5;

/** The channel on which a turn's mirror announces `{ turnId, seq }` once another instance watches it. */
export function turnChannel(turnId: string): string {
  return `turn:${turnId}`;
}

/** What the storage needs for a shared turn: its event log and notifications. */
export type SharedTurnStorage = TurnEventStorage & NotificationStorage;

/**
 * Writes one turn's sealed journal batches to storage, so other instances can replay them: deltas
 * every {@link MIRROR_BATCH_MS}, anything else at once, one `appendTurnEvents` per write and one
 * write at a time (in order). Once another instance watches the turn, each write is followed by a
 * notification `{ turnId, seq }` on {@link turnChannel}. A failed write is retried with the next
 * one; after {@link MAX_ATTEMPTS} it is given up and logged. Not public API.
 */
export class TurnMirror {
  private pending: TurnEvent[] = [];
  /** The seq of `pending[0]`. */
  private pendingFirst = 1;
  /** Entries up to this seq may be dropped from storage (the journal dropped them). */
  private dropThrough: number | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  private again = false;
  private attempts = 0;
  /** The seq the next batch from the journal should start at. */
  private next = 1;
  private written = 0;
  private notifying = false;

  /**
   * @param storage - where entries go
   * @param turnId - the turn
   * @param threadId - its thread
   * @param logger - where failures are logged
   */
  constructor(
    private readonly storage: SharedTurnStorage,
    private readonly turnId: string,
    private readonly threadId: string,
    private readonly logger: Logger,
  ) {}

  /** Takes a sealed batch from the journal (see `TurnJournal.share`). */
  readonly add = (events: readonly TurnEvent[], firstSeq: number, ended: boolean): void => {
    if (firstSeq > this.next) {
      // the journal dropped entries before they were written: what it holds starts here, and
      // storage may drop what came before
      this.pending = [];
      this.dropThrough = firstSeq - 1;
    }
    if (this.pending.length === 0) this.pendingFirst = firstSeq;
    this.next = firstSeq + events.length;
    this.pending.push(...events);
    if (ended || events.some((event) => event.type !== 'message-delta')) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), MIRROR_BATCH_MS);
      this.timer.unref?.();
    }
  };

  /** Another instance reads the turn: announce the stored seq now, and after every write from now on. */
  watched(): void {
    if (this.notifying) return;
    this.notifying = true;
    this.announce();
  }

  /** Resolves once everything added so far is written (or given up). */
  async settled(): Promise<void> {
    while (this.writing || this.timer) {
      if (this.timer) this.flush();
      await this.writing;
    }
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.writing) {
      this.again = true;
      return;
    }
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.again) {
        this.again = false;
        this.flush();
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const events = this.pending;
      const first = this.pendingFirst;
      const entries: TurnEventEntry[] = events.map((event, index) => ({ seq: first + index, event }));
      const dropThrough = this.dropThrough;
      this.pending = [];
      this.pendingFirst = first + events.length;
      try {
        await this.storage.appendTurnEvents(
          this.turnId,
          this.threadId,
          entries,
          dropThrough === undefined ? undefined : { dropThrough },
        );
        this.attempts = 0;
        if (this.dropThrough === dropThrough) this.dropThrough = undefined;
        this.written = first + events.length - 1;
        if (this.notifying) this.announce();
      } catch (error) {
        this.attempts++;
        if (this.attempts >= MAX_ATTEMPTS) {
          this.logger.error(
            { err: error, turnId: this.turnId },
            'turn events could not be stored; rejoin elsewhere fails',
          );
          this.attempts = 0;
          continue;
        }
        this.logger.warn({ err: error, turnId: this.turnId }, 'storing turn events failed; retrying');
        // put them back before whatever came meanwhile, and try again a little later
        this.pending = [...events, ...this.pending];
        this.pendingFirst = first;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100 * 2 ** this.attempts);
          timer.unref?.();
        });
      }
    }
  }

  private announce(): void {
    const payload = JSON.stringify({ turnId: this.turnId, seq: this.written });
    this.storage.publish(turnChannel(this.turnId), payload).catch((error: unknown) => {
      this.logger.warn({ err: error, turnId: this.turnId }, 'turn progress notification failed');
    });
  }
}
