import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * How a loopback server answers one request. Every field is optional; an empty script answers
 * successfully with the server's default reply.
 */
export interface ReplyScript {
  /** Reply text; split into word tokens when streamed. */
  text?: string;
  /** Explicit tokens to stream, instead of splitting `text`. */
  tokens?: string[];
  /** Structured reply (JSON mode, json_schema, tool call, Ollama `format`). Default: filled from the request's schema. */
  json?: unknown;
  /** Delay before each streamed token, in ms (default 0). */
  tokenDelayMs?: number;
  /** HTTP status to answer with instead of 200 (401, 429, 500, …); the body is the provider's error shape. */
  status?: number;
  /** Extra response headers, for example `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
  /** Error message for a non-2xx `status`. */
  error?: string;
  /**
   * A failure to simulate:
   * - `hang`: accept the request and never answer (until the client gives up),
   * - `reset`: destroy the socket (after `faultAfterTokens` tokens when streaming),
   * - `malformed`: send a chunk that is not valid JSON after `faultAfterTokens` tokens, then carry on,
   * - `truncated`: stop after `faultAfterTokens` tokens and half a chunk, ending the response cleanly.
   */
  fault?: 'hang' | 'reset' | 'malformed' | 'truncated';
  /** Tokens to send before a stream fault (default 2). */
  faultAfterTokens?: number;
}

/** One request a loopback server received. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** The query string's parameters (the last value of a repeated one). */
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it is not JSON. Loosely typed so tests can reach into it. */
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the client sent
  body: any;
  /** True once the client closed the connection before the response finished (an abort). */
  closedEarly: boolean;
  /** The script the request was answered with. */
  script: ReplyScript;
}

/** Called for every token a server writes to the wire, with the time it was written (`performance.now()`). */
export type TokenListener = (token: { index: number; text: string; at: number }) => void;

/** A started loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Queues scripts for the next requests, answered first in, first out. */
  enqueue(...scripts: ReplyScript[]): void;
  /** The script used when the queue is empty. Change fields freely. */
  defaults: ReplyScript;
  /** Called for each token written (for latency benchmarks). */
  onToken: TokenListener | undefined;
  /** Resolves once `count` requests in total have arrived. */
  waitForRequests(count: number): Promise<RecordedRequest[]>;
  /** Resolves once the client closed the connection of request `index` before it finished. */
  waitForClientClose(index: number): Promise<void>;
  /** Clears recorded requests, the queue and defaults. */
  reset(): void;
  /** Stops the server, destroying open connections. */
  close(): Promise<void>;
}

/** What a protocol handler gets for each request. */
export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  record: RecordedRequest;
  script: ReplyScript;
  server: LoopbackServer;
  /** Writes a token chunk, honouring the script's delay and reporting it to `onToken`. */
  writeToken(chunk: string, text: string): Promise<boolean>;
}

/** A protocol: answers the routes it knows, returns false for the rest (404). */
export type ProtocolHandler = (context: RequestContext) => Promise<boolean> | boolean;

/** The reply text used when a script gives none. */
export const DEFAULT_REPLY =
  'The lantern gutters as the door groans open, and somewhere below, something old begins to wake.';

/** Splits text into streaming tokens: each word with the whitespace after it. */
export function splitTokens(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [text];
}

/** Waits `ms` milliseconds (0 yields to the event loop once). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}

/** A 1×1 transparent PNG, the image every loopback image server paints. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
};

/** Builds a value that satisfies a (simple) JSON schema, for structured replies nobody scripted. */
export function sampleFromSchema(schema: unknown, text = 'a quiet scene'): unknown {
  const s = (schema ?? {}) as JsonSchema;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  const variant = s.anyOf?.find((option) => option.type !== 'null') ?? s.oneOf?.[0];
  if (variant) return sampleFromSchema(variant, text);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(s.properties ?? {})) out[key] = sampleFromSchema(inner, text);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => sampleFromSchema(s.items, text));
    case 'number':
    case 'integer':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text;
  }
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Starts an HTTP server on 127.0.0.1 with an ephemeral port that answers with `protocol`,
 * recording every request and following per-request {@link ReplyScript}s. The protocol
 * servers (`startOpenAIServer`, `startOllamaServer`, `startA1111Server`) are built on it.
 */
export async function startLoopbackServer(protocol: ProtocolHandler): Promise<LoopbackServer> {
  const queue: ReplyScript[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const events = new EventEmitter();
  events.setMaxListeners(0);

  const http: Server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  http.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  const server: LoopbackServer = {
    url: '',
    requests,
    defaults: {},
    onToken: undefined,
    enqueue: (...scripts) => void queue.push(...scripts),
    waitForRequests(count) {
      return new Promise((resolve) => {
        const check = () => {
          if (requests.length < count) return;
          events.off('request', check);
          resolve(requests);
        };
        events.on('request', check);
        check();
      });
    },
    waitForClientClose(index) {
      return new Promise((resolve) => {
        const check = () => {
          if (!requests[index]?.closedEarly) return;
          events.off('closed', check);
          events.off('request', check);
          resolve();
        };
        events.on('closed', check);
        events.on('request', check);
        check();
      });
    },
    reset() {
      queue.length = 0;
      requests.length = 0;
      server.defaults = {};
      server.onToken = undefined;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => http.close(() => resolve()));
    },
  };

  let tokenIndex = 0;
  async function handle(request: IncomingMessage, response: ServerResponse) {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const script: ReplyScript = { ...server.defaults, ...(queue.shift() ?? {}) };
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body,
      closedEarly: false,
      script,
    };
    requests.push(record);
    response.on('close', () => {
      if (response.writableFinished) return;
      record.closedEarly = true;
      events.emit('closed');
    });
    events.emit('request');

    if (script.fault === 'hang') return; // never answer; the client must time out or abort
    const writeToken = async (chunk: string, text: string) => {
      await delay(script.tokenDelayMs ?? 0);
      if (response.destroyed) return false;
      response.write(chunk);
      server.onToken?.({ index: tokenIndex++, text, at: performance.now() });
      return true;
    };
    const handled = await protocol({ request, response, record, script, server, writeToken });
    if (!handled && !response.headersSent) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: `no route for ${record.method} ${record.path}` }));
    }
  }

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  (server as { url: string }).url = `http://127.0.0.1:${port}`;
  return server;
}

/**
 * Writes the scripted error status when the script has one. Returns true when it answered.
 * `shape` turns the message into the provider's error body.
 */
export function answerScriptedStatus(context: RequestContext, shape: (message: string, status: number) => unknown) {
  const { script, response } = context;
  if (script.fault === 'reset' && script.faultAfterTokens === 0) {
    response.socket?.destroy();
    return true;
  }
  if (!script.status || script.status < 300) return false;
  const message = script.error ?? `scripted status ${script.status}`;
  response.writeHead(script.status, { 'content-type': 'application/json', ...script.headers });
  response.end(JSON.stringify(shape(message, script.status)));
  return true;
}

/** The tokens a script streams. */
export function scriptTokens(script: ReplyScript, fallback = DEFAULT_REPLY): string[] {
  return script.tokens ?? splitTokens(script.text ?? fallback);
}
