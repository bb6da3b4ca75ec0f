// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DreamdeckChat } from '../src/dreamdeck-chat.js';
import '../src/dreamdeck-chat.js';
import type { ThreadRecord } from '../src/protocol.js';

type Call = { method: string; path: string; body: unknown };

/** A fake Dreamdeck server behind `fetch`: two stories, renamable and deletable; `GET /me` with `inputMaxLength`. */
function fakeServer(inputMaxLength?: number) {
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
    if (path === '/me' && inputMaxLength) return json({ user: { id: 'u', roles: [] }, limits: { inputMaxLength } });
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

async function openChat(inputMaxLength?: number) {
  const server = fakeServer(inputMaxLength);
  vi.stubGlobal('fetch', server.fetch);
  const chat = document.createElement('dreamdeck-chat') as DreamdeckChat;
  chat.setAttribute('endpoint', '/api');
  chat.setAttribute('token', 'token');
  chat.setAttribute('thread-id', 'a');
  chat.setAttribute('persist', 'none');
  document.body.append(chat);
  const root = chat.shadowRoot!;
  await until(() => root.querySelector('textarea:not([disabled])'));
  (await until(() => root.querySelector<HTMLButtonElement>('button[aria-label="Stories"]'))).click();
  // the thread list is <dreamdeck-thread-list>, with a shadow root of its own once its module (loaded
  // when the panel first opens: dreamdeck-panels.ts) has defined it
  const list = root.querySelector('dreamdeck-thread-list')!;
  const rows = await until(() => list.shadowRoot);
  const button = (label: string) => until(() => rows.querySelector<HTMLButtonElement>(`button[aria-label="${label}"]`));
  return { chat, root, list, rows, button, calls: server.calls };
}

describe('<dreamdeck-chat> thread list', () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.unstubAllGlobals();
  });

  it('renames a story with PATCH /threads/:id and shows the new title in the list and the header', async () => {
    const { root, list, rows, button, calls } = await openChat();
    (await button('Rename: Old title')).click();
    const input = await until(() => rows.querySelector<HTMLInputElement>('.editing input[name="title"]'));
    expect(input.value).toBe('Old title');
    expect(input.getAttribute('aria-label')).toBe('Story title');
    input.value = '  The Drowned Bell ';
    input.form!.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => root.querySelector('header h2')?.textContent === 'The Drowned Bell');
    expect(calls.filter((call) => call.method === 'PATCH')).toEqual([
      { method: 'PATCH', path: '/threads/a', body: { title: 'The Drowned Bell' } },
    ]);
    await list.updateComplete;
    expect(rows.querySelector('.editing')).toBeNull();
    expect(rows.querySelector('[data-id="a"]')?.textContent).toContain('The Drowned Bell');
  });

  it('leaves renaming on Escape without a request', async () => {
    const { chat, root, list, rows, button, calls } = await openChat();
    (await button('Rename: Old title')).click();
    await until(() => rows.querySelector('.editing input'));
    chat.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await chat.updateComplete;
    await list.updateComplete;
    expect(rows.querySelector('.editing')).toBeNull();
    // the panel stays open
    expect(root.querySelector<HTMLElement>('[part="threads"]')!.hidden).toBe(false);
    expect(calls.some((call) => call.method === 'PATCH')).toBe(false);
  });

  it('asks before deleting, then deletes with DELETE /threads/:id and opens another story', async () => {
    const { chat, list, rows, button, calls } = await openChat();
    const changes: string[] = [];
    chat.addEventListener('dreamdeck-thread-change', (event) => changes.push((event as CustomEvent).detail.threadId));
    (await button('Delete: Old title')).click();
    const question = await until(() => rows.querySelector('.editing[role="group"]'));
    expect(question.getAttribute('aria-label')).toBe('Delete “Old title” for good?');
    // Cancel keeps the story
    [...question.querySelectorAll('button')].find((element) => element.textContent === 'Cancel')!.click();
    await list.updateComplete;
    expect(rows.querySelector('.editing')).toBeNull();
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);

    (await button('Delete: Old title')).click();
    const confirm = await until(() =>
      [...rows.querySelectorAll<HTMLButtonElement>('.editing button')].find(
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
    await list.updateComplete;
    expect(list.getAttribute('part')).toBe('threads');
    expect([...rows.querySelectorAll('li')].map((row) => row.textContent?.trim())).toEqual(['Other story']);
  });
});

describe('<dreamdeck-chat> input', () => {
  afterEach(() => {
    document.body.replaceChildren();
    vi.unstubAllGlobals();
  });

  it("takes the input's length limit from GET /me, and 4000 from a server that does not say", async () => {
    const limited = await openChat(123);
    expect(limited.calls).toContainEqual({ method: 'GET', path: '/me', body: undefined });
    expect(limited.root.querySelector('textarea')!.getAttribute('data-max-length')).toBe('123');
    document.body.replaceChildren();
    const older = await openChat();
    expect(older.root.querySelector('textarea')!.getAttribute('data-max-length')).toBe('4000');
  });
});
