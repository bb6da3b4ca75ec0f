import { DreamdeckError, type ErrorCode } from '../errors.js';
import type { Turn, TurnEvent } from '../types.js';
import { type EventQueue, TURN_EVENTS } from '../workflow/turn-sink.js';

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
  /** Aborts the turn (client gone, server shutting down). */
  abort: AbortController;
  /** Milliseconds between `: heartbeat` comments (default 15,000). */
  heartbeatMs?: number;
  /** How long to wait for the turn's first real event before committing the stream headers (default 1,000). */
  peekMs?: number;
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

const encoder = new TextEncoder();

/** One server-sent event as text: `event: <type>` and `data: <json>`. */
export function formatEventText(event: TurnEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** One server-sent event, encoded. */
export function formatEvent(event: TurnEvent): Uint8Array {
  return encoder.encode(formatEventText(event));
}

/**
 * Answers a turn as `text/event-stream`. The first events are peeked before headers are sent: a
 * turn refused at once (rate limit, unknown interrupt or message) throws a {@link DreamdeckError}
 * so the caller can answer 429/404/400 as JSON. Aborting `options.abort` (or cancelling the body)
 * aborts the turn; its `turn-end` still goes out when the client is there to read it.
 */
export async function streamTurn(turn: Turn, options: StreamTurnOptions): Promise<Response> {
  const iterator = turn[Symbol.asyncIterator]();
  const buffered: TurnEvent[] = [];
  let next = iterator.next();
  let finished = false;
  const peekMs = options.peekMs ?? 1000;
  const deadline = Date.now() + peekMs;
  for (;;) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const step = await Promise.race([next, timeout]);
    clearTimeout(timer);
    if (step === 'timeout') break;
    if (step.done) {
      finished = true;
      break;
    }
    next = iterator.next();
    const event = step.value;
    buffered.push(event);
    if (event.type === 'turn-start') continue;
    if (event.type === 'error' && EARLY_CODES.has(event.code) && buffered.length === 2) {
      await turn.result;
      const retryAfterMs = (event as { retryAfterMs?: number }).retryAfterMs;
      throw new DreamdeckError(event.code, event.message, retryAfterMs === undefined ? {} : { retryAfterMs });
    }
    break;
  }

  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    options.onClose?.();
  };
  options.onOpen?.();
  /** Writes the turn's events to `output` until the turn ends; returns the function that cancels it. */
  const pump = (output: SseOutput): (() => void) => {
    // Events produced in the same turn of the event loop go out as one chunk: a fast model emits
    // many tokens at once, and one write per token would cost a stream step and a syscall each.
    // Within such a batch, consecutive deltas of one message are joined into one `message-delta`
    // (clients concatenate deltas, so the text is the same); a model whose tokens arrive apart
    // still streams them one event each.
    let pending: Array<string | TurnEvent> = [];
    // the batch's last item when it is a delta this stream owns (a copy), so the next can join it
    let joinable: Extract<TurnEvent, { type: 'message-delta' }> | undefined;
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      joinable = undefined;
      if (pending.length === 0 || closed) return;
      let text = '';
      for (const item of pending) text += typeof item === 'string' ? item : formatEventText(item);
      pending = [];
      try {
        output.write(text);
      } catch {
        // the reader is gone
      }
    };
    const send = (item: string | TurnEvent) => {
      if (closed) return;
      if (typeof item !== 'string' && item.type === 'message-delta') {
        if (joinable?.messageId === item.messageId) {
          joinable.text += item.text;
          return;
        }
        joinable = { ...item };
        pending.push(joinable);
      } else {
        joinable = undefined;
        pending.push(item);
      }
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    };
    send(': stream open\n\n');
    heartbeat = setInterval(() => send(': heartbeat\n\n'), options.heartbeatMs ?? 15_000);
    (async () => {
      for (const event of buffered) send(event);
      if (finished) return;
      const queue = (turn as { [TURN_EVENTS]?: EventQueue<TurnEvent> })[TURN_EVENTS];
      for (let step = await next; !step.done; step = await next) {
        send(step.value);
        if (queue) {
          // the rest by push: no promise per event, and a turn streams one event per token
          await new Promise<void>((resolve) => queue.subscribe(send, resolve));
          return;
        }
        next = iterator.next();
      }
    })()
      .catch(() => {})
      .finally(() => {
        if (!closed) {
          flush();
          close();
          try {
            output.end();
          } catch {
            // already cancelled
          }
        }
      });
    return () => {
      if (closed) return;
      options.abort.abort(new DOMException('The client went away.', 'AbortError'));
      close();
    };
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
