import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

/**
 * The authorization matrix: every route that takes a thread or message id, called by another
 * user with the owner's ids, answers 404 (never 403, which would reveal that the thread exists)
 * and changes nothing.
 */
let app: TestServer;
let thread: ThreadRecord;
let narration: StoryMessage;
let interruptId: string;
let bobThread: ThreadRecord;

beforeAll(async () => {
  app = await serveForTests({ config: { limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000 } } });
  thread = (await (await app.call('alice', '/threads', { method: 'POST', json: { title: 'Secret' } })).json()).thread;
  const events = await readEvents(
    await app.call('alice', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'I enter the tavern.' } }),
  );
  const end = events.find(
    (e) => e.event === 'message-end' && (e.data as { message: StoryMessage }).message.kind === 'narration',
  );
  narration = (end!.data as { message: StoryMessage }).message;
  interruptId =
    (events.find((e) => e.event === 'interrupt')?.data as { interruptId?: string } | undefined)?.interruptId ??
    'int_none';
  bobThread = (await (await app.call('bob', '/threads', { method: 'POST', json: {} })).json()).thread;
});
afterAll(() => app.close());

type Attempt = [method: string, path: () => string, json?: unknown];
const attempts: Attempt[] = [
  ['GET', () => `/threads/${thread.id}`],
  ['GET', () => `/threads/${thread.id}/messages`],
  ['PATCH', () => `/threads/${thread.id}`, { title: 'Mine now' }],
  ['DELETE', () => `/threads/${thread.id}`],
  ['POST', () => `/threads/${thread.id}/turns`, { text: 'I steal the story.' }],
  ['POST', () => `/threads/${thread.id}/resume`, { interruptId: 'int_x', value: true }],
  ['POST', () => `/threads/${thread.id}/messages/${narration.id}/regenerate`],
  ['POST', () => `/threads/${thread.id}/messages/${narration.id}/feedback`, { value: -1, comment: 'bad' }],
  ['GET', () => `/threads/${thread.id}/export`],
  ['GET', () => `/threads/${thread.id}/export?format=json`],
  // the owner's message through the caller's own thread
  ['POST', () => `/threads/${bobThread.id}/messages/${narration.id}/feedback`, { value: 1 }],
  ['POST', () => `/threads/${bobThread.id}/messages/${narration.id}/regenerate`],
];

describe('another user', () => {
  it.each(
    attempts.map((attempt) => [`${attempt[0]} ${attempt[1].toString().replace(/^\(\) => /, '')}`, attempt] as const),
  )('%s answers 404', async (_name, [method, path, json]) => {
    const response = await app.call('bob', path(), { method, ...(json !== undefined && { json }) });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('resuming the real pending interrupt answers 404 too', async () => {
    const response = await app.call('bob', `/threads/${thread.id}/resume`, {
      method: 'POST',
      json: { interruptId, value: false },
    });
    expect(response.status).toBe(404);
  });

  it('does not see the thread in lists and changed nothing', async () => {
    const listed = (await (await app.call('bob', '/threads')).json()) as { threads: ThreadRecord[] };
    expect(listed.threads.map((t) => t.id)).not.toContain(thread.id);
    const own = (await (await app.call('alice', `/threads/${thread.id}`)).json()) as {
      thread: ThreadRecord;
      messages: StoryMessage[];
    };
    expect(own.thread.title).toBe('Secret');
    expect(own.messages.map((m) => m.content)).not.toContain('I steal the story.');
    expect(await app.dd.storage.getFeedback(narration.id, 'bob')).toBeNull();
    expect(own.messages.find((m) => m.id === narration.id)?.content).toBe(narration.content);
  });

  it('an admin is no exception: admin rights do not open other users threads', async () => {
    expect((await app.call('admin', `/threads/${thread.id}`)).status).toBe(404);
  });
});
