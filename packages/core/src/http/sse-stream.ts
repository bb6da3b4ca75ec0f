import type { TurnEventSource } from '../engine/turn-event-source.js';
import { TURN_SOURCE, type TurnReplay } from '../engine/turn-event-source.js';
import { DreamdeckError, type ErrorCode } from '../errors.js';
import type { Turn } from '../types.js';
import { journalOf, SseFeed } from './sse-feed.js';
import { formatBatch, formatFailure } from './sse-format.js';

export { formatEvent, formatEventText } from './sse-format.js';

/** Codes that, when a turn fails before it produced anything, answer as a plain JSON error instead of a stream. */
const EARLY_CODES: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'NOT_FOUND',
  'INVALID_INPUT',
  'FORBIDDEN',
  'FEATURE_DISABLED',
  'CONFLICT',
]);

/** Options for {@link streamTurn}. */
export interface StreamTurnOptions {
  /** Aborts the turn (the server shutting down; with `rejoinGraceMs` 0, also the client going away). */
  abort: AbortController;
  /** Milliseconds between `: heartbeat` comments (default 15,000). */
  heartbeatMs?: number;
  /** How long to wait for the turn's first real event before committing the stream headers (default 1,000). */
  peekMs?: number;
  /**
   * When the client goes away, how long (milliseconds) the turn keeps running for it to rejoin
   * (`session.rejoin`, `GET /threads/:id/turns/:turnId/events`) before it is stopped as `aborted`;
   * a rejoin here, or on another instance, keeps it running to its end. Default 0: stopped at once.
   */
  rejoinGraceMs?: number;
  /** Extra response headers (request id, CORS). */
  headers?: Record<string, string>;
  /** Called once the stream is committed (headers about to go out). */
  onOpen?: () => void;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
  /**
   * Answer with a body-less `Response` that carries the stream's pump instead of a web
   * `ReadableStream`: for a caller that writes to a socket itself (`toNodeListener` recognises it),
   * this saves the web stream's cost on every turn and its memory on every open stream.
   */
  direct?: boolean;
}

/** Options for {@link streamReplay}: those of {@link StreamTurnOptions} that apply to a rejoin. */
export type StreamReplayOptions = Omit<StreamTurnOptions, 'peekMs' | 'rejoinGraceMs'>;

/**
 * Answers a turn as `text/event-stream`, each event with `id: <seq>` (its number in the turn, see
 * `session.rejoin`). The first events are peeked before headers are sent: a turn refused at once
 * (rate limit, unknown interrupt or message, another turn running) throws a {@link DreamdeckError}
 * so the caller can answer 429/404/400/409 as JSON. When the client goes away the turn runs on for
 * `rejoinGraceMs` (default 0) so the client can rejoin it; aborting `options.abort` aborts the
 * turn, whose `turn-end` still goes out when the client is there to read it. An event that cannot
 * be sent (too large, not serialisable) goes out as an `error` event and the stream goes on.
 */
export async function streamTurn(turn: Turn, options: StreamTurnOptions): Promise<Response> {
  const journal = journalOf(turn, options.abort);
  const feed = new SseFeed(journal, 0);
  journal.stopWhenUnread(options.rejoinGraceMs ?? 0);
  await feed.peek(options.peekMs ?? 1000);
  const [first, second] = feed.peeked();
  if (first?.type === 'turn-start' && second?.type === 'error') {
    // A turn that failed before it stored anything is answered as a JSON error: it was refused
    // (429/404/400/409) or storage failed before the player's message landed (503), so the client
    // knows nothing was accepted and may send it again. Once the message is stored, the stream goes out.
    const { messages } = await turn.result;
    if (EARLY_CODES.has(second.code) || messages.length === 0) {
      feed.close();
      const retryAfterMs = (second as { retryAfterMs?: number }).retryAfterMs;
      throw new DreamdeckError(second.code, second.message, retryAfterMs === undefined ? {} : { retryAfterMs });
    }
  }
  return respond(feed, turn.turnId, options, () => {});
}

/**
 * Answers a rejoin (from `session.rejoin`) as `text/event-stream`: the turn's events after the
 * replay's `after`, each with `id: <seq>`, up to `turn-end`. The client going away only stops the
 * replay; aborting `options.abort` ends the stream. Events no longer kept end it with an `error`
 * event and a `turn-end` of status `error` (neither with an id).
 */
export function streamReplay(replay: TurnReplay, options: StreamReplayOptions): Response {
  const source: TurnEventSource = replay[TURN_SOURCE];
  const feed = new SseFeed(source, replay.after);
  let stop = () => {};
  const onAbort = () => stop();
  options.abort.signal.addEventListener('abort', onAbort, { once: true });
  return respond(
    feed,
    replay.turnId,
    {
      ...options,
      onClose: () => {
        options.abort.signal.removeEventListener('abort', onAbort);
        options.onClose?.();
      },
    },
    (end) => {
      stop = end;
      if (options.abort.signal.aborted) end();
    },
  );
}

/** Builds the response whose pump writes `feed`; `onStart` gets the function that ends the stream early. */
function respond(
  feed: SseFeed,
  turnId: string,
  options: StreamReplayOptions,
  onStart: (end: () => void) => void,
): Response {
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    feed.close();
    options.onClose?.();
  };
  options.onOpen?.();
  /** Writes the events to `output` until the turn ends; returns the function that cancels it. */
  const pump = (output: SseOutput): (() => void) => {
    const send = (text: string) => {
      try {
        output.write(text);
      } catch {
        // the reader is gone
      }
    };
    // what the stream has when it opens goes out in one write, with the response head
    let opening: string | undefined = ': stream open\n\n';
    const flushOpening = () => {
      const text = opening;
      opening = undefined;
      if (text !== undefined && !closed) send(text);
    };
    const write = (text: string) => {
      if (closed) return;
      if (opening !== undefined) opening += text;
      else send(text);
    };
    const finish = () => {
      if (closed) return;
      flushOpening();
      close();
      try {
        output.end();
      } catch {
        // already cancelled
      }
    };
    heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    feed.attach(
      (events, firstSeq) => {
        let text: string;
        try {
          text = formatBatch(events, firstSeq);
        } catch {
          // one event never throws; a batch too large for one string goes out event by event
          for (let index = 0; index < events.length; index++) {
            write(formatBatch(events.slice(index, index + 1), firstSeq + index));
          }
          return;
        }
        write(text);
      },
      (error) => {
        if (error) write(formatFailure(error, turnId));
        // never inside the pump call itself: its caller has not got the cancel function yet
        queueMicrotask(finish);
      },
    );
    flushOpening();
    onStart(finish);
    return close;
  };
  const headers = {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    'x-accel-buffering': 'no',
    ...options.headers,
  };
  if (options.direct) {
    // no web stream: `toNodeListener` finds the pump and writes the events to the socket itself
    return Object.assign(new Response(null, { status: 200, headers }), { [SSE_PUMP]: pump });
  }
  const encoder = new TextEncoder();
  let cancel: (() => void) | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      cancel = pump({
        write: (text) => controller.enqueue(encoder.encode(text)),
        end: () => controller.close(),
      });
    },
    cancel() {
      cancel?.();
    },
  });
  return new Response(body, { status: 200, headers });
}

/** Where {@link streamTurn} writes an event stream's text. */
export interface SseOutput {
  /** Writes a chunk of event text. */
  write(text: string): void;
  /** Ends the stream (the turn is over). */
  end(): void;
}

/**
 * Where a direct event stream keeps its pump: call it with an {@link SseOutput} to start the stream;
 * it returns the function that cancels it (the client went away). Internal to `@dreamdeck/core/http`.
 */
export const SSE_PUMP = Symbol('dreamdeck.ssePump');

/**
 * Where a handler from `createRequestHandler` keeps its direct variant: the same handler, but event
 * streams answer as {@link DirectSseResponse}s. `toNodeListener` uses it when the handler it is given
 * has one; a wrapped handler keeps plain web streams. Internal to `@dreamdeck/core/http`.
 */
export const DIRECT_HANDLER = Symbol('dreamdeck.directHandler');

/** A `Response` whose event stream is written by its pump rather than read from `body`. */
export type DirectSseResponse = Response & { [SSE_PUMP]: (output: SseOutput) => () => void };

/** True for a response from {@link streamTurn} in `direct` mode. */
export function isDirectSse(response: Response): response is DirectSseResponse {
  return typeof (response as Partial<DirectSseResponse>)[SSE_PUMP] === 'function';
}
