import type { TurnEvent } from '../../types.js';

/** One event of a turn's journal and its sequence number (1, 2, 3 … within the turn). */
export interface TurnEventEntry {
  /** The event's place in its turn, from 1; the `id:` of its server-sent event. */
  readonly seq: number;
  /** The event. */
  readonly event: TurnEvent;
}

/** What {@link TurnEventStorage.readTurnEvents} finds of a turn. */
export interface StoredTurnEvents {
  /** The thread the turn runs on. */
  threadId: string;
  /** The lowest sequence number still stored (entries before it were dropped). */
  firstSeq: number;
  /** Entries after the requested seq, in order and without gaps: all of them, or the first part. */
  entries: TurnEventEntry[];
}

/** What {@link TurnEventStorage.pruneTurnEvents} removes. */
export interface PruneTurnEventsOptions {
  /** Turns that ended (a `turn-end` entry) and were last appended to more than this many milliseconds ago. */
  endedMs: number;
  /** Any turn last appended to more than this many milliseconds ago (its instance stopped). */
  idleMs: number;
}

/**
 * A short-lived log of each running turn's events (optional capability `turnEvents`), so an
 * instance other than the one running a turn can replay it to a client that rejoined there. The
 * engine appends each turn's entries in small batches, reads them after a sequence number, and
 * prunes turns past their retention. Story text is in the events: adapters that encrypt at rest
 * encrypt these too.
 */
export interface TurnEventStorage {
  /**
   * Appends a batch of a turn's entries: consecutive sequence numbers, following the turn's last
   * stored one. With `dropThrough`, the turn's entries up to that seq may be removed first (the
   * engine's per-turn cap); an adapter storing batches drops only whole batches.
   */
  appendTurnEvents(
    turnId: string,
    threadId: string,
    entries: readonly TurnEventEntry[],
    options?: { dropThrough?: number },
  ): Promise<void>;
  /**
   * The turn's entries after `after` (0 for all), or `null` when nothing of the turn is stored
   * (unknown, or pruned). Reads again after the last entry returned to get the rest.
   */
  readTurnEvents(turnId: string, after: number): Promise<StoredTurnEvents | null>;
  /** Removes the turns `options` describes; resolves how many turns were removed. */
  pruneTurnEvents(options: PruneTurnEventsOptions): Promise<number>;
}

/** The methods of {@link TurnEventStorage}. */
export const TURN_EVENT_STORAGE_METHODS = [
  'appendTurnEvents',
  'readTurnEvents',
  'pruneTurnEvents',
] as const satisfies ReadonlyArray<keyof TurnEventStorage>;
