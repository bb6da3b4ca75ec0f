// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DreamdeckChat } from '../src/dreamdeck-chat.js';
import '../src/dreamdeck-chat.js';
import type { ThreadRecord } from '../src/protocol.js';

const now = new Date().toISOString();
const thread = (id: string): ThreadRecord =>
  ({ id, userId: 'u', title: `Story ${id}`, persona: 'storyteller', createdAt: now, updatedAt: now }) as ThreadRecord;
const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/**
 * A fake server whose answers are held until `expected` requests are in flight at once: a start-up
 * that waits for one answer before sending the next request never gets any (the test times out).
 */
function barrierServer(expected: number, answer: (method: string, path: string, auth: string | null) => Response) {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => {
    release = resolve;
  });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://test');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api/, '');
    calls.push(`${method} ${path}`);
    if (calls.length >= expected) release();
    await all;
    return answer(method, path, new Headers(init?.headers).get('authorization'));
  });
  return { fetch, calls };
}

async function until<T>(probe: () => T | null | undefined | false): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}

function mount(): DreamdeckChat {
  const chat = document.createElement('dreamdeck-chat') as DreamdeckChat;
  chat.setAttribute('endpoint', '/api');
  document.body.append(chat);
  return chat;
}

describe('<dreamdeck-chat> start-up (issue 23: one round of requests, not a chain)', () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('a returning player: the kept story, the list, personas, flags and limits all go out at once', async () => {
    localStorage.setItem('dreamdeck:token:/api', 'kept-token');
    localStorage.setItem('dreamdeck:thread:/api', 'b');
    const server = barrierServer(5, (method, path) => {
      if (path === '/threads') return json({ threads: [thread('a'), thread('b')] });
      if (path === '/threads/b') return json({ thread: thread('b'), messages: [], hasMore: false });
      if (path === '/personas') return json({ personas: [] });
      if (path === '/preferences') return json({ flags: {}, toggleable: [] });
      if (path === '/me') return json({ user: { id: 'u', roles: [] }, limits: { inputMaxLength: 99 } });
      return json({ error: { code: 'NOT_FOUND', message: `${method} ${path}` } }, 404);
    });
    vi.stubGlobal('fetch', server.fetch);
    const chat = mount();
    await until(() => chat.shadowRoot?.querySelector('textarea:not([disabled])'));
    expect(chat.threadId).toBe('b');
    expect(chat.shadowRoot?.querySelector('header h2')?.textContent).toBe('Story b');
    // one request each: the token is not checked with a GET /me of its own first
    expect([...server.calls].sort()).toEqual(
      ['GET /me', 'GET /personas', 'GET /preferences', 'GET /threads', 'GET /threads/b'].sort(),
    );
    expect(chat.shadowRoot?.querySelector('textarea')?.dataset.maxLength).toBe('99');
  });

  it('a new player: a guest token, then the first story starts beside the rest (no list to read)', async () => {
    const calls: string[] = [];
    const server = barrierServer(4, (method, path) => {
      if (path === '/threads' && method === 'POST') return json({ thread: thread('n') }, 201);
      if (path === '/personas') return json({ personas: [] });
      if (path === '/preferences') return json({ flags: {}, toggleable: [] });
      if (path === '/me') return json({ user: { id: 'g', roles: ['guest'] } });
      return json({ error: { code: 'NOT_FOUND', message: `${method} ${path}` } }, 404);
    });
    // the guest token comes first (everything else needs it): let that one through alone
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(String(input), 'http://test').pathname}`);
      if (String(input).endsWith('/auth/guest'))
        return Promise.resolve(json({ token: 'new-guest', user: { id: 'g' } }, 201));
      return server.fetch(input, init);
    });
    const chat = mount();
    await until(() => chat.shadowRoot?.querySelector('textarea:not([disabled])'));
    expect(chat.threadId).toBe('n');
    expect(calls[0]).toBe('POST /api/auth/guest');
    expect([...server.calls].sort()).toEqual(['GET /me', 'GET /personas', 'GET /preferences', 'POST /threads']);
    expect(localStorage.getItem('dreamdeck:token:/api')).toBe('new-guest');
  });

  it('a kept guest token the server refuses (401) is replaced once and the start tried again', async () => {
    localStorage.setItem('dreamdeck:token:/api', 'stale');
    const calls: string[] = [];
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), 'http://test').pathname.replace(/^\/api/, '');
      const method = init?.method ?? 'GET';
      const auth = new Headers(init?.headers).get('authorization');
      calls.push(`${method} ${path} ${auth ?? '-'}`);
      if (path === '/auth/guest') return json({ token: 'fresh', user: { id: 'g' } }, 201);
      if (auth === 'Bearer stale') return json({ error: { code: 'UNAUTHORIZED', message: 'Token expired.' } }, 401);
      if (path === '/threads' && method === 'POST') return json({ thread: thread('n') }, 201);
      if (path === '/personas') return json({ personas: [] });
      if (path === '/preferences') return json({ flags: {}, toggleable: [] });
      return json({ user: { id: 'g', roles: [] } });
    });
    const errors: unknown[] = [];
    const chat = mount();
    chat.addEventListener('dreamdeck-error', (event) => errors.push((event as CustomEvent).detail));
    await until(() => chat.shadowRoot?.querySelector('textarea:not([disabled])'));
    expect(chat.threadId).toBe('n');
    expect(errors).toEqual([]);
    expect(calls.filter((call) => call.startsWith('POST /auth/guest'))).toHaveLength(1);
    expect(localStorage.getItem('dreamdeck:token:/api')).toBe('fresh');
    expect(chat.shadowRoot?.querySelector('[part="error"]')).toBeNull();
  });
});
