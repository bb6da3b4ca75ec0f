import { DreamdeckError, type ErrorCode } from '../errors.js';
import type { Turn, TurnEvent } from '../types.js';

/** Codes that, when a turn fails before it produced anything, answer as a plain JSON error instead of a stream. */
const EARLY_CODES: ReadonlySet<ErrorCode> = new Set([
  'RATE_LIMITED',
  'NOT_FOUND',
  'INVALID_INPUT',
  'FORBIDDEN',
  'FEATURE_DISABLED',
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
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
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
        if (pending.length === 0) return;
        let text = '';
        for (const item of pending) text += typeof item === 'string' ? item : formatEventText(item);
        pending = [];
        try {
          controller.enqueue(encoder.encode(text));
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
        if (!finished) {
          for (;;) {
            const step = await next;
            if (step.done) break;
            send(step.value);
            next = iterator.next();
          }
        }
      })()
        .catch(() => {})
        .finally(() => {
          if (!closed) {
            flush();
            close();
            try {
              controller.close();
            } catch {
              // already cancelled
            }
          }
        });
    },
    cancel() {
      options.abort.abort(new DOMException('The client went away.', 'AbortError'));
      close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      ...options.headers,
    },
  });
}
