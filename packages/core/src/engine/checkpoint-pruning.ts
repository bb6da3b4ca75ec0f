import type { EngineContext } from './engine-context.js';

/** Finished turns of a thread between two checkpoint prunes (each prune is a write transaction). */
export const PRUNE_EVERY = 8;

/** Threads whose unpruned turns are counted at once; past it the counts start over (pruning only waits longer). */
const MAX_COUNTED_THREADS = 10_000;

/** Counts a finished turn of `threadId`; true (and the count starts over) every {@link PRUNE_EVERY}th. */
export function dueForPruning(unpruned: Map<string, number>, threadId: string): boolean {
  const count = (unpruned.get(threadId) ?? 0) + 1;
  if (count < PRUNE_EVERY) {
    if (unpruned.size >= MAX_COUNTED_THREADS && count === 1) unpruned.clear();
    unpruned.set(threadId, count);
    return false;
  }
  unpruned.delete(threadId);
  return true;
}

/**
 * After a checkpointed turn, paused or not (a prune keeps the latest checkpoint, so a pending
 * question stays answerable): prunes the thread's old checkpoints every
 * {@link PRUNE_EVERY}th such turn, and at once after a resume (which leaves the interrupted run's
 * checkpoints behind). A failed prune is logged; the next one catches up.
 */
export async function pruneAfterTurn(context: EngineContext, threadId: string, resumed: boolean): Promise<void> {
  const { storage, logger, unpruned } = context;
  if (!storage.pruneCheckpoints || !(resumed || dueForPruning(unpruned, threadId))) return;
  await storage
    .pruneCheckpoints(threadId)
    .catch((pruneError: unknown) => logger.warn({ err: pruneError }, 'checkpoint pruning failed'));
}
