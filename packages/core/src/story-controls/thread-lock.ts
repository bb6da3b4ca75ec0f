import type { EngineContext } from '../engine/engine-context.js';
import { DreamdeckError } from '../errors.js';
import { newId } from '../storage/ids.js';

const BUSY = 'A turn is running in this story. Wait for it or stop it first.';

/**
 * Runs `body` holding the thread's turn lock, as a turn holds it: in this engine and, through the
 * storage lease, across instances. Throws `CONFLICT` at once while a turn (or another control)
 * runs on the thread, so a story control never changes a story under a streaming reply.
 */
export async function withThreadLock<T>(
  engine: EngineContext,
  threadId: string,
  owner: object,
  body: () => Promise<T>,
): Promise<T> {
  const claim = engine.turns.claim(threadId, newId('control'), owner);
  if (!claim) throw new DreamdeckError('CONFLICT', BUSY);
  try {
    if (!(await engine.turns.lease(claim, () => undefined))) throw new DreamdeckError('CONFLICT', BUSY);
    return await body();
  } finally {
    await engine.turns.release(claim);
  }
}
