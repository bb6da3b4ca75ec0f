import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DreamdeckConfigInput } from '../config/config-schema.js';
import { createDreamdeck, type Dreamdeck } from '../dreamdeck.js';
import { createDemoModel } from '../models/demo-model.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { toNodeListener } from './node-listener.js';
import { createRequestHandler, type RequestHandler } from './request-handler.js';
import { createTokenAuth, type TokenAuth } from './token-auth.js';

/** A running test server: a real `node:http` server on an ephemeral port. Test helper, not public API. */
export interface TestServer {
  url: string;
  dd: Dreamdeck;
  auth: TokenAuth;
  handler: RequestHandler;
  server: Server;
  /** A bearer token for `id` (with `roles`). */
  token(id: string, roles?: string[]): Promise<string>;
  /** `fetch` against the server with a bearer token for `user`. */
  call(user: string | null, path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/** Starts a real server on port 0 with memory storage and the zero-latency demo model. */
export async function serveForTests(
  options: {
    config?: DreamdeckConfigInput;
    storage?: StorageAdapter;
    /** Demo model delay per token (default 0). */
    latencyMs?: number;
    handler?: Partial<RequestHandlerOptions>;
  } = {},
): Promise<TestServer> {
  const dd = await createDreamdeck({
    model: createDemoModel({ latencyMs: options.latencyMs ?? 0 }),
    env: false,
    ...(options.storage && { storage: options.storage }),
    config: { logging: { level: 'silent' }, ...options.config },
  });
  const auth = createTokenAuth({ secret: 'test-secret-test-secret-test-secret-123' });
  const handler = createRequestHandler(dd, { authenticate: auth.authenticate, guest: auth, ...options.handler });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}${options.handler?.basePath ?? ''}`;
  const tokens = new Map<string, string>();
  const token = async (id: string, roles: string[] = []) => {
    const key = `${id}:${roles.join(',')}`;
    let value = tokens.get(key);
    if (!value) {
      value = await auth.issueToken({ id, roles });
      tokens.set(key, value);
    }
    return value;
  };
  return {
    url: base,
    dd,
    auth,
    handler,
    server,
    token,
    async call(user, path, init = {}) {
      const headers = new Headers(init.headers);
      if (user) headers.set('authorization', `Bearer ${await token(user, user.startsWith('admin') ? ['admin'] : [])}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const { json: _json, ...rest } = init;
      return fetch(`${base}${path}`, { ...rest, headers, ...(body !== undefined && { body }) });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.close();
      await dd.close();
    },
  };
}

/** One parsed server-sent event. */
export interface SseEvent {
  event: string;
  data: unknown;
}

/** Reads a whole `text/event-stream` response into events (comments dropped). */
export async function readEvents(response: Response): Promise<SseEvent[]> {
  const text = await response.text();
  return parseEvents(text);
}

/** Parses `text/event-stream` text into events. */
export function parseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  for (const block of text.split('\n\n')) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length) events.push({ event, data: JSON.parse(data.join('\n')) });
  }
  return events;
}

/** One server-sent event with its `id:` (undefined for an event without one). */
export interface NumberedEvent {
  id: number | undefined;
  event: string;
  data: Record<string, unknown>;
}

/**
 * Reads a `text/event-stream` response, calling `onEvent` with each event as it arrives; returning
 * true from it cancels the body there (the client drops). Resolves every event read.
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: NumberedEvent) => boolean | undefined = () => undefined,
): Promise<NumberedEvent[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: NumberedEvent[] = [];
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let id: number | undefined;
      let name = 'message';
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) id = Number(line.slice(4));
        else if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data === undefined) continue;
      const event: NumberedEvent = { id, event: name, data: JSON.parse(data) as Record<string, unknown> };
      events.push(event);
      if (onEvent(event) === true) {
        await reader.cancel().catch(() => {});
        return events;
      }
    }
  }
  return events;
}
