// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionController } from '../src/connection-controller.js';
import type { LoadedMessage, ThreadRecord } from '../src/protocol.js';
import { StoryController } from '../src/story-controller.js';
import { en } from '../src/strings.js';
import { ThreadPersistence } from '../src/thread-persistence.js';
import { type Call, failure, json, stubServer, testHost } from './controller-host.js';

const now = '2026-01-01T00:00:00Z';
const thread = (id: string, title = id): ThreadRecord => ({
  id,
  userId: 'u',
  title,
  persona: 'storyteller',
  createdAt: now,
  updatedAt: now,
});
const message = (id: string, feedback?: 1 | -1): LoadedMessage => ({
  id,
  threadId: 'a',
  role: 'assistant',
  kind: 'narration',
  content: id,
  createdAt: now,
  status: 'complete',
  ...(feedback && { feedback: { value: feedback } }),
});

/** A story over a fake server with threads `a` (`count` messages, older ones paged) and `b`. */
async function story(count = 3, handle?: (call: Call) => Response | undefined) {
  let threads = [thread('a'), thread('b')];
  const all = Array.from({ length: count }, (_, index) => message(`m${index}`, index === 1 ? 1 : undefined));
  const server = stubServer((call) => {
    const answer = handle?.(call);
    if (answer) return answer;
    const [path = '', query = ''] = call.path.split('?');
    const params = new URLSearchParams(query);
    const id = /^\/threads\/([^/]+)/.exec(path)?.[1];
    if (path === '/threads' && call.method === 'GET') return json({ threads });
    if (path === '/threads' && call.method === 'POST') {
      const created = thread('c', '');
      threads = [created, ...threads];
      return json({ thread: created }, 201);
    }
    const found = threads.find((candidate) => candidate.id === id);
    if (!found) return failure(404, 'NOT_FOUND');
    if (path.endsWith('/messages')) {
      const before = all.findIndex((candidate) => candidate.id === params.get('before'));
      const limit = Number(params.get('limit'));
      return json({ messages: all.slice(Math.max(0, before - limit), before), hasMore: before - limit > 0 });
    }
    if (path.endsWith('/feedback')) return new Response(null, { status: 204 });
    if (call.method === 'DELETE') {
      threads = threads.filter((candidate) => candidate !== found);
      return new Response(null, { status: 204 });
    }
    if (call.method === 'PATCH') return json({ thread: { ...found, ...(call.body as object) } });
    const limit = Number(params.get('limit'));
    const messages = id === 'a' ? all.slice(-limit) : [];
    return json({
      thread: found,
      messages,
      hasMore: id === 'a' && count > limit,
      ...(id === 'b' && {
        interrupt: { interruptId: 'i1', kind: 'choice', prompt: 'Left or right?', options: ['L', 'R'] },
      }),
    });
  });
  const host = testHost();
  host.persist = 'local';
  const connection = new ConnectionController(
    host,
    () => en,
    () => {},
    () => {},
  );
  const persistence = new ThreadPersistence(host, () => {});
  const stops: number[] = [];
  const controller = new StoryController(host, connection, persistence, () => stops.push(1));
  await connection.connect();
  const changes: string[] = [];
  host.addEventListener('dreamdeck-thread-change', (event) => changes.push((event as CustomEvent).detail.threadId));
  return { host, connection, controller, server, changes, stops };
}

describe('StoryController', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    localStorage.clear();
  });

  it('opens a thread with its newest messages, ratings and waiting question, and announces it', async () => {
    const { host, controller, changes, stops, server } = await story();
    expect(await controller.openThread('a')).toBe(true);
    expect(server.calls.at(-1)?.path).toBe('/threads/a?limit=200');
    expect(controller.thread?.id).toBe('a');
    expect(controller.messages.map((item) => item.id)).toEqual(['m0', 'm1', 'm2']);
    expect([...controller.feedback]).toEqual([['m1', 1]]);
    expect(controller.interrupt).toBeUndefined();
    expect(host.threadId).toBe('a');
    expect(localStorage.getItem('dreamdeck:thread:/api')).toBe('a');
    // a running turn is stopped first
    expect(stops).toEqual([1]);
    // the first load is announced, a reload of the same thread is not
    await controller.openThread('a');
    expect(changes).toEqual(['a']);
    await controller.openThread('b');
    expect(changes).toEqual(['a', 'b']);
    expect(controller.interrupt).toEqual({
      type: 'interrupt',
      interruptId: 'i1',
      kind: 'choice',
      prompt: 'Left or right?',
      options: ['L', 'R'],
    });
  });

  it('resolves false for a thread that is not there, forgets it, and says so unless quiet', async () => {
    const { connection, controller } = await story();
    localStorage.setItem('dreamdeck:thread:/api', 'gone');
    expect(await controller.openThread('gone', { quiet: true })).toBe(false);
    expect(localStorage.getItem('dreamdeck:thread:/api')).toBeNull();
    expect(connection.error).toBeUndefined();
    expect(await controller.openThread('gone')).toBe(false);
    expect(connection.error).toMatchObject({ code: 'NOT_FOUND', retry: false });
    // opening one clears the banner
    await controller.openThread('a');
    expect(connection.error).toBeUndefined();
  });

  it('starts a new thread with the element’s persona and puts it first in the list', async () => {
    const { host, controller, server, changes } = await story();
    controller.set({ threads: [thread('a'), thread('b')] });
    host.persona = 'noir';
    await controller.newThread();
    expect(server.calls.at(-1)).toMatchObject({ method: 'POST', path: '/threads', body: { persona: 'noir' } });
    expect(controller.thread?.id).toBe('c');
    expect(controller.threads.map((item) => item.id)).toEqual(['c', 'a', 'b']);
    expect(controller.messages).toEqual([]);
    expect(changes).toEqual(['c']);
  });

  it('renames and deletes; deleting the open thread opens the next one', async () => {
    const { controller, server, changes } = await story();
    await controller.refreshThreads();
    await controller.openThread('a');
    await controller.renameThread('a', 'The Drowned Bell');
    expect(server.calls.at(-1)).toMatchObject({
      method: 'PATCH',
      path: '/threads/a',
      body: { title: 'The Drowned Bell' },
    });
    expect(controller.thread?.title).toBe('The Drowned Bell');
    expect(controller.threads[0]?.title).toBe('The Drowned Bell');
    await controller.deleteThread('a');
    expect(controller.threads.map((item) => item.id)).toEqual(['b']);
    expect(controller.thread?.id).toBe('b');
    expect(changes).toEqual(['a', 'b']);
  });

  it('shows older messages from the window first, then pages them from the server', async () => {
    const { controller, server } = await story(250);
    await controller.openThread('a');
    expect(controller.messages).toHaveLength(200);
    expect(controller.windowStart).toBe(160);
    expect(controller.hasMore).toBe(true);
    const log = { scrollHeight: 1000, scrollTop: 10 } as HTMLElement;
    for (const start of [120, 80, 40, 0]) {
      await controller.showOlder(log);
      expect(controller.windowStart).toBe(start);
    }
    expect(controller.keepScroll).toEqual({ height: 1000, top: 10 });
    await controller.showOlder(log);
    expect(server.calls.at(-1)?.path).toBe('/threads/a/messages?limit=100&before=m50');
    expect(controller.messages).toHaveLength(250);
    expect(controller.messages[0]?.id).toBe('m0');
    expect(controller.hasMore).toBe(false);
    expect(controller.windowStart).toBe(10);
  });

  it('rates a message at once and sends the rating', async () => {
    const { controller, server } = await story();
    await controller.openThread('a');
    const pending = controller.rate('m2', -1, 'too dark');
    expect(controller.feedback.get('m2')).toBe(-1);
    await pending;
    expect(server.calls.at(-1)).toMatchObject({
      method: 'POST',
      path: '/threads/a/messages/m2/feedback',
      body: { value: -1, comment: 'too dark' },
    });
  });
});
