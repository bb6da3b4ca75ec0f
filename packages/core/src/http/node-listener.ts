import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/** A fetch-style handler: what `createRequestHandler` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Options for {@link toNodeListener}. */
export interface NodeListenerOptions {
  /** Origin used to build request URLs when the `Host` header is missing (default `http://localhost`). */
  origin?: string;
}

/**
 * Adapts a fetch-style handler to `node:http` (`createServer(toNodeListener(handler))`). Streams
 * request and response bodies with backpressure; when the client disconnects mid-response the
 * request's `signal` aborts and the response body is cancelled, which stops a running turn.
 */
export function toNodeListener(handler: FetchHandler, options: NodeListenerOptions = {}) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void serve(handler, req, res, options.origin ?? 'http://localhost');
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, fallbackOrigin: string) {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new DOMException('The client went away.', 'AbortError'));
  };
  res.on('close', onClose);
  let request: Request;
  try {
    request = toRequest(req, controller.signal, fallbackOrigin);
  } catch {
    res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'The request line is not valid.' } }));
    return;
  }
  let response: Response;
  try {
    response = await handler(request);
  } catch {
    res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
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
  const streaming = (response.headers.get('content-type') ?? '').startsWith('text/event-stream');
  if (!response.body || !streaming) {
    const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
    if (body) headers['content-length'] = String(body.byteLength);
    res.writeHead(response.status, headers);
    res.end(body);
    drainRequest(req);
    return;
  }
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = response.body.getReader();
  const cancel = () => {
    reader.cancel().catch(() => {});
  };
  controller.signal.addEventListener('abort', cancel, { once: true });
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
    controller.signal.removeEventListener('abort', cancel);
    if (res.destroyed) cancel();
    res.end();
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal, fallbackOrigin: string): Request {
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
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal,
    ...(hasBody && { body: Readable.toWeb(req) as unknown as ReadableStream<Uint8Array>, duplex: 'half' }),
  } as RequestInit);
}

/** Reads and discards what the handler left of the request body, so keep-alive connections stay usable. */
function drainRequest(req: IncomingMessage) {
  if (!req.readableEnded && !req.destroyed) req.resume();
}
