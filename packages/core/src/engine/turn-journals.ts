import type { Logger } from '../logging/logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { RemoteTurnSource, type RemoteTurnTimings } from './remote-turn-source.js';
import { goneEventsError, type TurnEventSource, unknownTurnError } from './turn-event-source.js';
import { TurnJournal, type TurnJournalLimits } from './turn-journal.js';
import { type SharedTurnStorage, TurnMirror } from './turn-mirror.js';

/** How long a finished turn's journal stays readable for a late rejoin (default of `turnRetentionMs`). */
export const DEFAULT_TURN_RETENTION_MS = 60_000;
/**
 * How long a finished turn's journal stays when every reader read it to the end (no client waits to
 * rejoin it): long enough for a reader racing the end, short enough that a busy server does not hold
 * a minute of finished turns in memory.
 */
export const READ_TURN_RETENTION_MS = 5_000;
/** Bytes of finished journals one engine keeps at most; past it the oldest are freed early. */
export const RETAINED_MAX_BYTES = 32 * 1024 * 1024;
/** Stored turn events of a turn that never ended (its instance died) are pruned after this long. */
const ABANDONED_TURN_MS = 60 * 60_000;
/** The channel on which instances ask each other to stop a turn or say they watch one. */
export const TURN_CONTROL_CHANNEL = 'dreamdeck:turns';

/** Options for {@link TurnJournals}. */
export interface TurnJournalsOptions {
  storage: StorageAdapter;
  logger: Logger;
  /** How long a finished turn stays readable (milliseconds). */
  retentionMs: number;
  /** Caps of each journal. */
  limits?: TurnJournalLimits;
  /** Timings of remote readers. */
  remote?: RemoteTurnTimings;
}

/** The storage's shared-turn domains, when it declares and has both. */
export function sharedTurnStorage(storage: StorageAdapter): SharedTurnStorage | undefined {
  const { capabilities: can } = storage;
  return can?.notifications &&
    can.turnEvents &&
    typeof storage.publish === 'function' &&
    typeof storage.subscribe === 'function' &&
    typeof storage.appendTurnEvents === 'function' &&
    typeof storage.readTurnEvents === 'function' &&
    typeof storage.pruneTurnEvents === 'function'
    ? (storage as SharedTurnStorage)
    : undefined;
}

/**
 * The engine's turn journals: one per running turn (see {@link TurnJournal}), kept
 * `retentionMs` after the turn ends so a late rejoin still gets its tail (and at most
 * {@link RETAINED_MAX_BYTES} of finished ones). When the storage has turn events and
 * notifications, each turn's journal is also written to storage ({@link TurnMirror}) once the
 * turn starts for real, and a turn running on another instance is read from there
 * ({@link RemoteTurnSource}); stored turns are pruned every `retentionMs`. Not public API.
 */
export class TurnJournals {
  private readonly journals = new Map<string, TurnJournal>();
  private readonly mirrors = new Map<string, TurnMirror>();
  /** Finished journals, oldest first, with their size. */
  private readonly finished = new Map<string, { bytes: number; timer: ReturnType<typeof setTimeout> }>();
  private finishedBytes = 0;
  private readonly shared: SharedTurnStorage | undefined;
  private pruneTimer: ReturnType<typeof setInterval> | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private closed = false;

  /** Uses the storage's turn events and notifications when it has them. */
  constructor(private readonly options: TurnJournalsOptions) {
    this.shared = sharedTurnStorage(options.storage);
  }

  /** Whether turns are shared with other instances through storage. */
  get sharing(): boolean {
    return this.shared !== undefined;
  }

  /**
   * Listens for other instances' stop and watch requests and starts pruning stored turn events.
   * Does nothing when the storage does not share turns. Failures are logged, never thrown.
   */
  async start(): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    const every = Math.max(1000, this.options.retentionMs);
    this.pruneTimer = setInterval(() => {
      shared
        .pruneTurnEvents({ endedMs: this.options.retentionMs, idleMs: ABANDONED_TURN_MS })
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'pruning turn events failed'));
    }, every);
    this.pruneTimer.unref?.();
    try {
      const stop = await shared.subscribe(TURN_CONTROL_CHANNEL, (payload) => this.control(payload));
      if (this.closed) await stop();
      else this.unlisten = stop;
    } catch (error) {
      this.options.logger.warn({ err: error }, 'listening for turn control failed');
    }
  }

  /** A new journal for a turn, registered until its retention ends. */
  open(turnId: string, threadId: string): TurnJournal {
    const journal = new TurnJournal(turnId, threadId, this.options.limits);
    this.journals.set(turnId, journal);
    return journal;
  }

  /** The journal of a turn of this engine, while it runs or is retained. */
  get(turnId: string): TurnJournal | undefined {
    return this.journals.get(turnId);
  }

  /** Starts writing the journal to storage (the turn has started for real); a no-op without sharing. */
  share(journal: TurnJournal): void {
    if (!this.shared || this.mirrors.has(journal.turnId)) return;
    const mirror = new TurnMirror(this.shared, journal.turnId, journal.threadId, this.options.logger);
    this.mirrors.set(journal.turnId, mirror);
    journal.share(mirror.add);
  }

  /**
   * The turn has pushed `turn-end`: keeps its journal for the retention, then frees it; after
   * {@link READ_TURN_RETENTION_MS} already when every reader read it to the end.
   */
  finish(journal: TurnJournal): void {
    const { turnId } = journal;
    if (this.finished.has(turnId) || this.journals.get(turnId) !== journal) return;
    const { retentionMs } = this.options;
    const first = Math.min(retentionMs, READ_TURN_RETENTION_MS);
    // decided when the first period ends: by then every reader has had the end or has left
    const timer = setTimeout(() => {
      const entry = this.finished.get(turnId);
      if (entry && !journal.readToEnd && first < retentionMs) {
        entry.timer = setTimeout(() => this.free(turnId), retentionMs - first);
        entry.timer.unref?.();
      } else this.free(turnId);
    }, first);
    timer.unref?.();
    const bytes = journal.size;
    this.finished.set(turnId, { bytes, timer });
    this.finishedBytes += bytes;
    for (const [oldest] of this.finished) {
      if (this.finishedBytes <= RETAINED_MAX_BYTES || oldest === turnId) break;
      this.free(oldest);
    }
  }

  /**
   * The events of `turnId` on `threadId` after `after`: this engine's journal, else (when turns are
   * shared) the stored events of another instance's turn. Throws `NOT_FOUND` for a turn that is
   * unknown, over, or of another thread, and for entries no longer kept.
   */
  async source(threadId: string, turnId: string, after: number): Promise<TurnEventSource> {
    const local = this.journals.get(turnId);
    if (local) {
      if (local.threadId !== threadId) throw unknownTurnError();
      if (!local.holds(after)) throw goneEventsError();
      return local;
    }
    const shared = this.shared;
    if (!shared) throw unknownTurnError();
    const found = await shared.readTurnEvents(turnId, after);
    if (!found || found.threadId !== threadId) throw unknownTurnError();
    if (found.firstSeq > after + 1) throw goneEventsError();
    // the instance running it may stop it for want of readers: tell it this one reads
    shared
      .publish(TURN_CONTROL_CHANNEL, JSON.stringify({ watch: turnId }))
      .catch((error: unknown) => this.options.logger.warn({ err: error, turnId }, 'announcing a rejoin failed'));
    return new RemoteTurnSource(shared, turnId, threadId, this.options.logger, this.options.remote);
  }

  /**
   * Stops `turnId` (on `threadId`): at once when it runs here, else by asking every instance (when
   * turns are shared). Resolves whether the request went anywhere: false for a turn unknown here
   * on a storage that does not share turns.
   */
  async stop(threadId: string, turnId: string, reason: unknown): Promise<boolean> {
    const local = this.journals.get(turnId);
    if (local) {
      if (local.threadId !== threadId) return false;
      local.stop(reason);
      return true;
    }
    if (!this.shared) return false;
    await this.shared.publish(TURN_CONTROL_CHANNEL, JSON.stringify({ stop: turnId, threadId }));
    return true;
  }

  /** Stops pruning and listening; waits for mirrors still writing; frees every journal. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pruneTimer);
    await Promise.allSettled([...this.mirrors.values()].map((mirror) => mirror.settled()));
    await this.unlisten?.().catch(() => {});
    for (const turnId of [...this.finished.keys()]) this.free(turnId);
  }

  private free(turnId: string): void {
    const entry = this.finished.get(turnId);
    if (entry) {
      clearTimeout(entry.timer);
      this.finished.delete(turnId);
      this.finishedBytes -= entry.bytes;
    }
    this.journals.delete(turnId);
    this.mirrors.delete(turnId);
  }

  /** Another instance asks to stop a turn of ours, or says it reads one. */
  private control(payload: string): void {
    let message: { stop?: unknown; watch?: unknown; threadId?: unknown };
    try {
      message = JSON.parse(payload) as typeof message;
    } catch {
      return;
    }
    if (typeof message.watch === 'string') {
      this.journals.get(message.watch)?.watch();
      this.mirrors.get(message.watch)?.watched();
    }
    if (typeof message.stop === 'string') {
      const journal = this.journals.get(message.stop);
      if (journal && journal.threadId === message.threadId) {
        journal.stop(new DOMException('Stopped by the player.', 'AbortError'));
      }
    }
  }
}
