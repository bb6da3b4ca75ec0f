/** Test helpers for the chat's controllers: a host element that is not Lit, and a fake server behind `fetch`. */
import type { ReactiveController } from 'lit';
import { vi } from 'vitest';
import type { TurnEvent } from '../src/protocol.js';

/**
 * A plain custom element that hosts controllers the way a Lit element does: it keeps them, counts
 * render requests, and calls `hostConnected`/`hostUpdate`/`hostDisconnected` when told to.
 */
export class TestHost extends HTMLElement {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  endpoint = '/api';
  token = 'token';
  threadId = '';
  persona = '';
  persist: 'local' | 'hash' | 'none' = 'none';
  readonly updateComplete = Promise.resolve(true);

  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }

  removeController(controller: ReactiveController): void {
    this.controllers.splice(this.controllers.indexOf(controller), 1);
  }

  requestUpdate(): void {
    this.updates++;
  }

  /** Runs `hostConnected` of every controller, as a Lit element does when it is connected. */
  connect(): void {
    for (const controller of this.controllers) controller.hostConnected?.();
  }

  /** Runs `hostDisconnected` of every controller. */
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }

  /** Runs `hostUpdate` of every controller, as a Lit element does before it renders. */
  update(): void {
    for (const controller of this.controllers) controller.hostUpdate?.();
  }
}
customElements.define('test-host', TestHost);

/** A new {@link TestHost}. */
export function testHost(): TestHost {
  return document.createElement('test-host') as TestHost;
}

/** One request the fake server saw. */
export interface Call {
  method: string;
  path: string;
  body: unknown;
  auth: string | null;
}

/** A JSON answer. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** An error answer in the server's shape. */
export function failure(status: number, code: string, message = code): Response {
  return json({ error: { code, message } }, status);
}

/**
 * A turn's event stream. With `hold`, the stream stays open after the events until the request
 * is aborted (a turn still running).
 */
export function eventStream(
  events: TurnEvent[],
  options: { hold?: boolean; signal?: AbortSignal | null } = {},
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const event of events)
        controller.enqueue(encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
      if (!options.hold) controller.close();
      else options.signal?.addEventListener('abort', () => controller.error(options.signal?.reason));
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

/**
 * Stubs the global `fetch` with `handler` (paths without the `/api` prefix) and records each call.
 * Undo with `vi.unstubAllGlobals()`.
 */
export function stubServer(handler: (call: Call, signal: AbortSignal | null) => Response | Promise<Response>): {
  calls: Call[];
} {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://test');
      const call: Call = {
        method: init?.method ?? 'GET',
        path: `${url.pathname.replace(/^\/api/, '')}${url.search}`,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
        auth: new Headers(init?.headers).get('authorization'),
      };
      calls.push(call);
      return handler(call, init?.signal ?? null);
    }),
  );
  return { calls };
}

/** Waits until `probe` returns something truthy (polling every 5 ms, 1 s at most). */
export async function until<T>(probe: () => T | null | undefined | false): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}
