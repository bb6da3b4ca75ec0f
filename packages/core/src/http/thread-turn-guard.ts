/**
 * Which threads run a turn right now, as the HTTP layer sees it: one turn per thread. The handler
 * only goes through this interface, so the in-process set below can give way to the engine's turn
 * registry without touching the routes.
 */
export interface ThreadTurnGuard {
  /** True while a turn runs in `threadId`. */
  isRunning(threadId: string): boolean;
  /** Marks `threadId` as running a turn; `false` (and nothing changes) when one runs already. */
  claim(threadId: string): boolean;
  /** Ends the claim {@link ThreadTurnGuard.claim} made, once the turn's stream has closed. */
  release(threadId: string): void;
}

/**
 * Creates a guard that knows the turns of this handler only (one process, one handler): a turn
 * started elsewhere on the same thread is not seen.
 */
export function createLocalTurnGuard(): ThreadTurnGuard {
  const running = new Set<string>();
  return {
    isRunning: (threadId) => running.has(threadId),
    claim(threadId) {
      if (running.has(threadId)) return false;
      running.add(threadId);
      return true;
    },
    release(threadId) {
      running.delete(threadId);
    },
  };
}
