import type { StorySession } from '../session.js';
import type { Turn } from '../types.js';
import type { HttpMetrics } from './http-metrics.js';
import type { RequestContext } from './router.js';
import { streamReplay, streamTurn } from './sse-stream.js';
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
   * runs a turn (here or on another instance) refuses the new one with `CONFLICT`, answered 409.
   * When the client goes away the turn runs on for `rejoinGraceMs` so the client can rejoin it
   * ({@link TurnStreams.replay}); {@link TurnStreams.closeAll} aborts it.
   */
  start(context: RequestContext, threadId: string, begin: StartTurn): Promise<Response>;
  /**
   * Opens the caller's session on `threadId` (404 for another user's) and answers the events of
   * `turnId` after `after` as an event stream (see `session.rejoin`): 404 for a turn that is not
   * the thread's or no longer kept. The client going away ends only this stream;
   * {@link TurnStreams.closeAll} ends it too.
   */
  replay(context: RequestContext, threadId: string, turnId: string, after: number): Promise<Response>;
  /**
   * Aborts every running turn started here (those whose client left too) and ends every rejoin;
   * resolves once each stream has closed (after its `turn-end`) and each turn has ended.
   */
  closeAll(): Promise<void>;
}

/** What {@link createTurnStreams} works with. */
export interface TurnStreamsOptions {
  /** Opens the caller's session on a thread (`NOT_FOUND` for a thread that is not theirs). */
  openSession(user: AuthUser, threadId: string): Promise<StorySession>;
  metrics: HttpMetrics;
  /** Milliseconds between SSE heartbeat comments. */
  heartbeatMs: number;
  /** How long a turn whose client went away keeps running for a rejoin (milliseconds). */
  rejoinGraceMs: number;
}

/**
 * Creates the stream bookkeeping of one handler: each open stream's abort controller with a
 * promise that settles when it closes, and the open-streams gauge.
 */
export function createTurnStreams(options: TurnStreamsOptions): TurnStreams {
  const { openSession, metrics, heartbeatMs, rejoinGraceMs } = options;
  const streams = new Map<AbortController, Promise<void>>();
  /** Turns started here that still run, their streams closed or not (a turn in its rejoin grace). */
  const running = new Map<AbortController, Promise<unknown>>();
  /** Registers a stream until it closes; `abort` ends it when the server shuts down. */
  const track = (abort: AbortController) => {
    let done!: () => void;
    streams.set(abort, new Promise<void>((resolve) => (done = resolve)));
    return () => {
      if (streams.delete(abort)) done();
    };
  };
  const streamOptions = (context: RequestContext, abort: AbortController, release: () => void) => ({
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
  return {
    get size() {
      return streams.size;
    },
    async start(context, threadId, begin) {
      const session = await openSession(context.user, threadId);
      // The turn stops when the server shuts down (`abort`). The client going away once the stream
      // has started does not abort it at once: the stream's end leaves the turn without readers,
      // and it stops after the grace unless the client rejoins.
      const abort = new AbortController();
      const turn = begin(session, abort.signal);
      running.set(
        abort,
        turn.result.finally(() => running.delete(abort)),
      );
      const release = track(abort);
      // a client gone before the answer starts never learnt the turn's id and cannot rejoin it: stop it
      const { signal } = context.request;
      const gone = () => abort.abort(signal.reason);
      if (signal.aborted) gone();
      else signal.addEventListener('abort', gone, { once: true });
      try {
        return await streamTurn(turn, { ...streamOptions(context, abort, release), rejoinGraceMs });
      } catch (error) {
        release();
        throw error;
      } finally {
        signal.removeEventListener('abort', gone);
      }
    },
    async replay(context, threadId, turnId, after) {
      const session = await openSession(context.user, threadId);
      const replay = await session.rejoin(turnId, { after });
      const abort = new AbortController();
      return streamReplay(replay, streamOptions(context, abort, track(abort)));
    },
    async closeAll() {
      // open streams, and turns whose client left and that still run for a rejoin
      const pending = [...streams.values(), ...running.values()];
      for (const controller of new Set([...streams.keys(), ...running.keys()]))
        controller.abort(new DOMException('The server is shutting down.', 'AbortError'));
      await Promise.all(pending);
    },
  };
}
