import { DreamdeckError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import {
  goneEventsError,
  type TurnEventSource,
  type TurnEventsEnd,
  type TurnEventsListener,
  unknownTurnError,
} from './turn-event-source.js';
import { type SharedTurnStorage, turnChannel } from './turn-mirror.js';

/** How often a remote reader reads the stored events even without a notification (a missed one). */
export const REMOTE_POLL_MS = 1000;
/** A remote reader that sees nothing new for this long ends (the instance running the turn stopped). */
export const REMOTE_IDLE_MS = 5 * 60_000;

/** Timings of a {@link RemoteTurnSource} (defaults: `REMOTE_POLL_MS`, `REMOTE_IDLE_MS`). */
export interface RemoteTurnTimings {
  /** Milliseconds between fallback reads. */
  pollMs?: number;
  /** Milliseconds without progress after which the reader gives up. */
  idleMs?: number;
}

/**
 * A turn running on another instance, read from storage: each subscription listens on the turn's
 * channel ({@link turnChannel}), reads the stored entries after its position, and reads again on
 * every notification (and every `pollMs`, in case one was missed) until `turn-end`. Not public API.
 */
export class RemoteTurnSource implements TurnEventSource {
  private readonly pollMs: number;
  private readonly idleMs: number;

  /**
   * @param storage - the shared storage
   * @param turnId - the turn
   * @param threadId - its thread (as stored)
   * @param logger - where failed reads are logged
   * @param timings - poll and idle limits
   */
  constructor(
    private readonly storage: SharedTurnStorage,
    readonly turnId: string,
    readonly threadId: string,
    private readonly logger: Logger,
    timings: RemoteTurnTimings = {},
  ) {
    this.pollMs = timings.pollMs ?? REMOTE_POLL_MS;
    this.idleMs = timings.idleMs ?? REMOTE_IDLE_MS;
  }

  subscribe(after: number, onEvents: TurnEventsListener, onEnd: TurnEventsEnd): () => void {
    const { storage, turnId, threadId } = this;
    let position = Math.max(0, Math.floor(after));
    let stopped = false;
    let reading = false;
    let again = false;
    let progressAt = Date.now();
    let unlisten: (() => Promise<void>) | undefined;
    const release = () => {
      stopped = true;
      clearInterval(poll);
      const stop = unlisten;
      unlisten = undefined;
      stop?.().catch(() => {});
    };
    const end = (error?: DreamdeckError) => {
      if (stopped) return;
      release();
      onEnd(error);
    };
    const pull = async (): Promise<void> => {
      if (stopped) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const found = await storage.readTurnEvents(turnId, position);
          if (stopped) return;
          if (!found || found.threadId !== threadId) return end(unknownTurnError());
          if (found.firstSeq > position + 1) return end(goneEventsError());
          const fresh = found.entries.filter((entry) => entry.seq > position);
          const first = fresh[0];
          if (!first) continue;
          if (first.seq !== position + 1) return end(goneEventsError());
          position = first.seq + fresh.length - 1;
          progressAt = Date.now();
          onEvents(
            fresh.map((entry) => entry.event),
            first.seq,
          );
          if (fresh.some((entry) => entry.event.type === 'turn-end')) return end();
          // a long turn may come in pages: read on until nothing is new
          again = true;
        } while (again && !stopped);
      } catch (error) {
        this.logger.warn({ err: error, turnId }, 'reading a turn from storage failed; trying again');
      } finally {
        reading = false;
      }
    };
    const poll = setInterval(() => {
      if (Date.now() - progressAt > this.idleMs) {
        end(new DreamdeckError('NOT_FOUND', 'This turn stopped on its server. Reload the story to read it.'));
      } else void pull();
    }, this.pollMs);
    poll.unref?.();
    // listen first, then read: nothing stored in between is missed
    storage
      .subscribe(turnChannel(turnId), () => void pull())
      .then(
        (stop) => {
          if (stopped) stop().catch(() => {});
          else unlisten = stop;
          void pull();
        },
        (error: unknown) => {
          this.logger.warn({ err: error, turnId }, 'listening for a turn failed; polling instead');
          void pull();
        },
      );
    return release;
  }
}
