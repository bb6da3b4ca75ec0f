import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import type { TurnEvent } from '../types.js';
import { TurnJournals } from './turn-journals.js';

const RETENTION = 60_000;
const end = (turnId: string): TurnEvent => ({ type: 'turn-end', turnId, status: 'complete' });

function journals() {
  return new TurnJournals({
    storage: createMemoryStorage(),
    logger: createLogger({ level: 'silent' }),
    retentionMs: RETENTION,
  });
}

/** Opens a turn, subscribes one reader, pushes its end and finishes it; `leave` drops the reader mid-turn. */
function finishedTurn(all: TurnJournals, turnId: string, options: { leave?: boolean; read?: boolean } = {}) {
  const journal = all.open(turnId, 'thr_1');
  journal.push({ type: 'turn-start', turnId, threadId: 'thr_1' });
  if (options.read !== false) {
    const stop = journal.subscribe(
      0,
      () => {},
      () => {},
    );
    if (options.leave) stop();
  }
  journal.push(end(turnId));
  all.finish(journal);
  vi.advanceTimersByTime(1); // seals the batch: readers get the end
  return journal;
}

describe('TurnJournals retention', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('frees a turn every reader read to its end after a few seconds, not after the whole retention', () => {
    vi.useFakeTimers();
    const all = journals();
    finishedTurn(all, 'turn_read');
    expect(all.get('turn_read')?.readToEnd).toBe(true);
    vi.advanceTimersByTime(4_000);
    expect(all.get('turn_read')).toBeDefined();
    vi.advanceTimersByTime(1_500);
    expect(all.get('turn_read')).toBeUndefined();
  });

  it('keeps a turn whose reader left mid-turn, or that nobody subscribed to, for the whole retention', () => {
    vi.useFakeTimers();
    const all = journals();
    finishedTurn(all, 'turn_left', { leave: true });
    finishedTurn(all, 'turn_unread', { read: false });
    expect(all.get('turn_left')?.readToEnd).toBe(false);
    vi.advanceTimersByTime(RETENTION - 1_000);
    expect(all.get('turn_left')).toBeDefined();
    expect(all.get('turn_unread')).toBeDefined();
    vi.advanceTimersByTime(2_000);
    expect(all.get('turn_left')).toBeUndefined();
    expect(all.get('turn_unread')).toBeUndefined();
  });
});
