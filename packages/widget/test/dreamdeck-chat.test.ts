// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DreamdeckChat } from '../src/dreamdeck-chat.js';
import '../src/dreamdeck-chat.js';
import type { ThreadRecord } from '../src/protocol.js';

type Call = { method: string; path: string; body: unknown };

/** A fake Dreamdeck server behind `fetch`: two stories, renamable and deletable. */
function fakeServer() {
  const now = new Date().toISOString();
  const thread = (id: string, title: string): ThreadRecord =>
    ({ id, userId: 'u', title, persona: 'storyteller', createdAt: now, updatedAt: now }) as ThreadRecord;
  let threads = [thread('a', 'Old title'), thread('b', 'Other story')];
  const calls: Call[] = [];
  const json = (value: unknown, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://test');
    const method = init?.method ?? 'GET';
    const path = url.pathname.replace(/^\/api/, '');
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path, body });
    const id = /^\/threads\/([^/]+)$/.exec(path)?.[1];
    if (path === '/threads' && method === 'GET') return json({ threads });
    if (path === '/personas') return json({ personas: [] });
    if (path === '/preferences') return json({ flags: {}, toggleable: [] });
    const found = threads.find((candidate) => candidate.id === id);
    if (!found) return json({ error: { code: 'NOT_FOUND', message: 'No such story.' } }, 404);
    if (method === 'GET') return json({ thread: found, messages: [], hasMore: false });
    if (method === 'PATCH') {
      const renamed = { ...found, title: (body as { title: string }).title };
      threads = threads.map((candidate) => (candidate.id === id ? renamed : candidate));
      return json({ thread: renamed });
    }
    if (method === 'DELETE') {
      threads = threads.filter((candidate) => candidate.id !== id);
      return new Response(null, { status: 204 });
    }
    return json({ error: { code: 'INVALID_INPUT', message: 'unexpected' } }, 400);
  });
  return { fetch, calls };
}

async function until<T>(probe: () => T | null | undefined | false): Promise<T> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const value = probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('condition not met');
}

async function openChat() {
  const server = fakeServer();
  vi.stubGlobal('fetch', server.fetch);
  const chat = document.createElement('dreamdeck-chat') as DreamdeckChat;
  chat.setAttribute('endpoint', '/api');
  chat.setAttribute('token', 'token');
  chat.setAttribute('thread-id', 'a');
  chat.setAttribute('persist', 'none');
  document.body.append(chat);
  const root = chat.shadowRoot!;
  await until(() => root.querySelector('textarea:not([disabled])'));
  const button = (label: string) => until(() => root.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`));
  (await button('Stories')).click();
  return { chat, root, button, calls: server.calls };
}

describe('<dreamdeck-chat> thread list', () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.unstubAllGlobals();
  });

  it('renames a story with PATCH /threads/:id and shows the new title in the list and the header', async () => {
    const { chat, root, button, calls } = await openChat();
    (await button('Rename: Old title')).click();
    const input = await until(() => root.querySelector<HTMLInputElement>('.editing input[name="title"]'));
    expect(input.value).toBe('Old title');
    expect(input.getAttribute('aria-label')).toBe('Story title');
    input.value = '  The Drowned Bell ';
    input.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => root.querySelector('header h2')?.textContent === 'The Drowned Bell');
    expect(calls.filter((call) => call.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/threads/a', body: { title: 'The Drowned Bell' } },
    ]);
    await chat.updateComplete;
    expect(root.querySelector('.editing')).toBeNull();
    expect(root.querySelector('[data-id="a"]')?.textContent).toContain('The Drowned Bell');
  });

  it('leaves renaming on Escape without a request', async () => {
    const { chat, root, button, calls } = await openChat();
    (await button('Rename: Old title')).click();
    await until(() => root.querySelector('.editing input'));
    chat.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await chat.updateComplete;
    expect(root.querySelector('.editing')).toBeNull();
    // the panel stays open
    expect(root.querySelector<HTMLElement>('[part="threads"]')!.hidden).toBe(false);
    expect(calls.some((call) => call.method === 'PATCH')).toBe(false);
  });

  it('asks before deleting, then deletes with DELETE /threads/:id and opens another story', async () => {
    const { chat, root, button, calls } = await openChat();
    const changes: string[] = [];
    chat.addEventListener('dreamdeck-thread-change', (event) => changes.push((event as CustomEvent).detail.threadId));
    (await button('Delete: Old title')).click();
    const question = await until(() => root.querySelector('.editing[role="group"]'));
    expect(question.getAttribute('aria-label')).toBe('Delete “Old title” for good?');
    // Cancel keeps the story
    [...question.querySelectorAll('button')].find((element) => element.textContent === 'Cancel')!.click();
    await chat.updateComplete;
    expect(root.querySelector('.editing')).toBeNull();
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);

    (await button('Delete: Old title')).click();
    const confirm = await until(() =>
      [...root.querySelectorAll<HTMLButtonElement>('.editing button')].find(
        (element) => element.textContent === 'Delete',
      ),
    );
    confirm.click();
    await until(() => changes.length > 0);
    expect(calls.filter((call) => call.method === 'DELETE')).toEqual([
      { method: 'DELETE', path: '/threads/a', body: undefined },
    ]);
    expect(changes).toEqual(['b']);
    expect(chat.threadId).toBe('b');
    await chat.updateComplete;
    expect([...root.querySelectorAll('[part="threads"] li')].map((row) => row.textContent?.trim())).toEqual([
      'Other story',
    ]);
  });
});
