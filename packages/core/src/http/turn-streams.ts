import type { StorySession } from '../session.js';
import type { Turn } from '../types.js';
import type { HttpMetrics } from './http-metrics.js';
import type { RequestContext } from './router.js';
import { streamTurn } from './sse-stream.js';
import type { AuthUser } from './token-auth.js';

/** Starts a turn in an opened session; `signal` aborts it. */
export type StartTurn = (session: StorySession, signal: AbortSignal) => Turn;

/** The handler's turn event streams: starts them and keeps count of the open ones. */
export interface TurnStreams {
  /** Event streams open right now. */
  readonly size: number;
  /**
   * Opens the caller's session on `threadId` (404 for another user's), starts the turn and answers
   * it as an event stream (see `streamTurn`). The engine keeps one turn per thread: a thread that
   * runs a turn (here or on another instance) refuses the new one with `CONFLICT`, answered 409. The
   * turn is aborted when the client goes away or {@link TurnStreams.closeAll} runs.
   */
  start(context: RequestContext, threadId: string, begin: StartTurn): Promise<Response>;
  /** Aborts every running turn and resolves once each stream has closed (after its `turn-end`). */
  closeAll(): Promise<void>;
}

/** What {@link createTurnStreams} works with. */
export interface TurnStreamsOptions {
  /** Opens the caller's session on a thread (`NOT_FOUND` for a thread that is not theirs). */
  openSession(user: AuthUser, threadId: string): Promise<StorySession>;
  metrics: HttpMetrics;
  /** Milliseconds between SSE heartbeat comments. */
  heartbeatMs: number;
}

/**
 * Creates the stream bookkeeping of one handler: each open stream's abort controller with a
 * promise that settles when it closes, and the open-streams gauge.
 */
export function createTurnStreams({ openSession, metrics, heartbeatMs }: TurnStreamsOptions): TurnStreams {
  const streams = new Map<AbortController, Promise<void>>();
  return {
    get size() {
      return streams.size;
    },
    async start(context, threadId, begin) {
      const session = await openSession(context.user, threadId);
      // The turn stops when the client goes away (the request's signal) or the server shuts down
      // (`abort`); one listener links them, lighter per open stream than AbortSignal.any. It holds the
      // signal, not the request, so an open stream does not keep the request alive.
      const abort = new AbortController();
      const { signal } = context.request;
      const clientGone = () => abort.abort(signal.reason);
      if (signal.aborted) clientGone();
      else signal.addEventListener('abort', clientGone, { once: true });
      let done!: () => void;
      const release = () => {
        signal.removeEventListener('abort', clientGone);
        streams.delete(abort);
        done();
      };
      let turn: Turn;
      try {
        turn = begin(session, abort.signal);
      } catch (error) {
        signal.removeEventListener('abort', clientGone);
        throw error;
      }
      streams.set(abort, new Promise<void>((resolve) => (done = resolve)));
      try {
        return await streamTurn(turn, {
          abort,
          heartbeatMs,
          headers: context.headers,
          direct: context.direct,
          onOpen: () => metrics.openStreams.inc(),
          onClose: () => {
            metrics.openStreams.dec();
            release();
          },
        });
      } catch (error) {
        release();
        throw error;
      }
    },
    async closeAll() {
      const pending = [...streams.values()];
      for (const controller of streams.keys())
        controller.abort(new DOMException('The server is shutting down.', 'AbortError'));
      await Promise.all(pending);
    },
  };
}
