import type { IncomingMessage, ServerResponse } from 'node:http';
import { setClientAddress } from './client-address.js';
import { DIRECT_HANDLER, isDirectSse, SSE_PUMP, type SseOutput } from './sse-stream.js';

/** A fetch-style handler: what `createRequestHandler` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options for {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Origin used to build request URLs when the `Host` header is missing (default `http://localhost`). */
  origin?: string;
  /**
   * Request bodies are read into memory before the handler runs, up to this many bytes (default
   * 1 MiB). A longer body reaches the handler cut to one byte over the limit, which it refuses
   * (413, when its own `maxBodyBytes` is lower, as it is by default), and the connection is closed
   * after the response instead of reading the rest.
   */
  maxBodyBytes?: number;
}

/**
 * Adapts a fetch-style handler to `node:http` (`createServer(toNodeListener(handler))`). Reads
 * request bodies into memory (up to `maxBodyBytes`) and streams response bodies with backpressure;
 * when the client disconnects mid-response the request's `signal` aborts and the response body is
 * cancelled, which stops a running turn. Given a handler straight from `createRequestHandler`,
 * event streams are written to the socket directly, without a web stream in between. Each request
 * carries its socket's peer address for the handler (`clientAddressOf(request)`), which the guest
 * sign-up limit per client uses.
 */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}) {
  const origin = options.origin ?? 'http://localhost';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const answer = (handler as { [DIRECT_HANDLER]?: FetchHandler })[DIRECT_HANDLER] ?? handler;
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(answer, req, res, origin, maxBodyBytes);
  };
}

async function serve(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
  fallbackOrigin: string,
  maxBodyBytes: number,
) {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new DOMException('The client went away.', 'AbortError'));
  };
  res.on('close', onClose);
  let request: Request;
  try {
    const method = req.method ?? 'GET';
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(req, maxBodyBytes);
    if (body && body.byteLength > maxBodyBytes) res.shouldKeepAlive = false;
    request = toRequest(req, controller.signal, fallbackOrigin, body);
    if (req.socket.remoteAddress) setClientAddress(request, req.socket.remoteAddress);
  } catch {
    if (res.destroyed) return;
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'The request line is not valid.' } }));
    return;
  }
  let response: Response;
  try {
    response = await handler(request);
  } catch {
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'x-content-type-options': 'nosniff' });
    res.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } }));
    return;
  }
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length) headers['set-cookie'] = cookies;
  if (isDirectSse(response)) {
    res.writeHead(response.status, headers);
    writeEvents(response[SSE_PUMP], res, controller.signal);
    return;
  }
  const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  if (!response.body || !streaming) {
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    if (body) headers['content-length'] = String(body.byteLength);
    res.writeHead(response.status, headers);
    res.end(body);
    drainRequest(req);
    return;
  }
  // no flushHeaders(): the head goes out with the first chunk (`streamTurn` sends one at once), one
  // write instead of two
  res.writeHead(response.status, headers);
  // The request and response objects are not needed while the body streams: piping in a function of
  // its own (not awaited here) lets them go, which matters with many long open streams.
  return pipeBody(response.body.getReader(), res, controller.signal);
}

/**
 * Runs a direct event stream's pump into `res`. The pump batches its writes (one per event-loop
 * turn); a slow client's backlog waits in the socket's buffer. The client going away (`signal`)
 * cancels the stream, which aborts the turn.
 */
function writeEvents(pump: (output: SseOutput) => () => void, res: ServerResponse, signal: AbortSignal) {
  const cancel = pump({
    write: (text) => {
      if (!res.destroyed) res.write(text);
    },
    end: () => {
      signal.removeEventListener('abort', cancel);
      res.end();
    },
  });
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
}

/** Writes a response body to `res` with backpressure; aborting `signal` cancels the body. */
async function pipeBody(reader: ReadableStreamDefaultReader<Uint8Array>, res: ServerResponse, signal: AbortSignal) {
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) break;
      if (!res.write(value))
        await new Promise<void>((resolve) => {
          const resume = () => {
            res.off('drain', resume);
            res.off('close', resume);
            resolve();
          };
          res.on('drain', resume);
          res.on('close', resume);
        });
    }
  } catch {
    // the body failed or was cancelled: end the response below
  } finally {
    signal.removeEventListener('abort', cancel);
    if (res.destroyed) cancel();
    res.end();
  }
}

/**
 * Reads a request body into one buffer: bodies here are small JSON, and a buffer costs far less per
 * request than a web stream over the socket. Stops at one byte over `maxBytes`.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (error) return reject(error);
      if (total === 0) return resolve(undefined);
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
      resolve(body.byteLength > maxBytes + 1 ? body.subarray(0, maxBytes + 1) : body);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.byteLength;
      if (total > maxBytes) {
        // enough to refuse it: leave the rest unread (the connection closes after the answer)
        req.pause();
        done();
      }
    };
    const onEnd = () => done();
    const onClose = () => done(new Error('The client went away.'));
    req.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

function toRequest(req: IncomingMessage, signal: AbortSignal, fallbackOrigin: string, body?: Buffer): Request {
  const host = req.headers.host;
  const origin = host && /^[\w.:[\]-]+$/.test(host) ? `http://${host}` : fallbackOrigin;
  const url = new URL(req.url ?? '/', origin);
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) {
    try {
      headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
    } catch {
      // a header the fetch API refuses: skip it
    }
  }
  return new Request(url, {
    method: req.method ?? 'GET',
    headers,
    signal,
    ...(body && { body: body as Uint8Array<ArrayBuffer> }),
  });
}

/** Reads and discards what the handler left of the request body, so keep-alive connections stay usable. */
function drainRequest(req: IncomingMessage) {
  if (!req.readableEnded && !req.destroyed) req.resume();
}
