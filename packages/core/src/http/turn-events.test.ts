import { afterEach, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord } from '../types.js';
import {
  type NumberedEvent as Numbered,
  readEventStream as readStream,
  serveForTests,
  type TestServer,
} from './serve-for-tests.js';

let app: TestServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function newThread(server: TestServer, user: string): Promise<ThreadRecord> {
  const response = await server.call(user, '/threads', { method: 'POST', json: {} });
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

const eventsPath = (threadId: string, turnId: string) => `/threads/${threadId}/turns/${turnId}/events`;

async function waitFor<T>(probe: () => Promise<T | undefined>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

const narrationOf = async (server: TestServer, threadId: string) =>
  waitFor(async () => {
    const found = (await server.dd.storage.listMessages(threadId)).find((m: StoryMessage) => m.kind === 'narration');
    return found && found.status !== 'streaming' ? found : undefined;
  });

describe('GET /threads/:id/turns/:turnId/events (rejoin)', () => {
  it('a client whose stream drops mid-turn rejoins with Last-Event-ID: every event once, as a reader who never dropped saw them', async () => {
    app = await serveForTests({ latencyMs: 10, config: { features: { imageGeneration: false } } });
    const server = app;
    const thread = await newThread(server, 'u1');
    const client = new AbortController();
    const response = await server.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell a long story by the fire.' },
      signal: client.signal,
    });
    let watcher: Promise<Numbered[]> | undefined;
    let deltas = 0;
    const before = await readStream(response, (event) => {
      if (event.event === 'turn-start') {
        // a second reader, from the first event, that never drops
        const turnId = event.data.turnId as string;
        watcher = server
          .call('u1', eventsPath(thread.id, turnId), { headers: { 'last-event-id': '0' } })
          .then((answer) => readStream(answer));
      }
      if (event.event === 'message-delta') deltas++;
      return deltas >= 3;
    });
    client.abort();
    const turnId = before[0]!.data.turnId as string;
    const last = before.at(-1)!.id!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await server.call('u1', eventsPath(thread.id, turnId), {
      headers: { 'last-event-id': String(last) },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const after = await readStream(again);
    const whole = await watcher!;

    expect(after.length).toBeGreaterThan(3);
    const joined = [...before, ...after];
    expect(joined.map((event) => event.id)).toEqual(joined.map((_, index) => index + 1));
    expect(joined).toEqual(whole);
    expect(whole.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'complete' } });
    const text = joined
      .filter((event) => event.event === 'message-delta')
      .map((event) => event.data.text)
      .join('');
    const narration = await narrationOf(server, thread.id);
    expect(narration.status).toBe('complete');
    expect(text).toBe(narration.content);
    // `?after=` does the same as the header, within the retention, after the turn ended
    const replay = await readStream(await server.call('u1', `${eventsPath(thread.id, turnId)}?after=${last}`));
    expect(replay).toEqual(after);
  });

  it('a client that drops and does not come back: the turn stops after rejoinGraceMs', async () => {
    app = await serveForTests({
      latencyMs: 15,
      config: { features: { imageGeneration: false } },
      handler: { rejoinGraceMs: 150 },
    });
    const thread = await newThread(app, 'u1');
    const client = new AbortController();
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell a long story by the fire.' },
      signal: client.signal,
    });
    await readStream(response, (event) => event.event === 'message-delta');
    client.abort();
    const narration = await narrationOf(app, thread.id);
    expect(narration.status).toBe('aborted');
    expect(narration.content.length).toBeGreaterThan(0);
  });

  it('closing the handler also stops a turn whose client left and that still runs for a rejoin', async () => {
    app = await serveForTests({ latencyMs: 15, config: { features: { imageGeneration: false } } });
    const thread = await newThread(app, 'u1');
    const client = new AbortController();
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell a long story by the fire.' },
      signal: client.signal,
    });
    await readStream(response, (event) => event.event === 'message-delta');
    client.abort();
    await waitFor(async () => (app!.handler.openStreams === 0 ? true : undefined));
    await app.handler.close();
    // closed only once the turn had ended: its reply is already settled
    const [reply] = (await app.dd.storage.listMessages(thread.id)).filter((m: StoryMessage) => m.kind === 'narration');
    expect(reply?.status).toBe('aborted');
  });

  it('POST …/turns/:turnId/stop stops the turn at once; its stream ends with turn-end `aborted`', async () => {
    app = await serveForTests({ latencyMs: 15, config: { features: { imageGeneration: false } } });
    const server = app;
    const thread = await newThread(server, 'u1');
    const response = await server.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell a long story by the fire.' },
    });
    let turnId = '';
    let stopped: Promise<Response> | undefined;
    let outsider: Promise<Response> | undefined;
    const events = await readStream(response, (event) => {
      if (event.event === 'turn-start') turnId = event.data.turnId as string;
      if (event.event === 'message-delta' && !stopped) {
        outsider = server.call('u2', `/threads/${thread.id}/turns/${turnId}/stop`, { method: 'POST' });
        stopped = server.call('u1', `/threads/${thread.id}/turns/${turnId}/stop`, { method: 'POST' });
      }
    });
    expect((await stopped!).status).toBe(204);
    expect((await outsider!).status).toBe(404);
    expect(events.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'aborted' } });
    expect((await narrationOf(server, thread.id)).status).toBe('aborted');
  });

  it('404 for another user’s thread, a turn of another thread, an unknown turn; 400 for a bad Last-Event-ID', async () => {
    app = await serveForTests({ latencyMs: 0, config: { features: { imageGeneration: false } } });
    const thread = await newThread(app, 'u1');
    const other = await newThread(app, 'u1');
    const events = await readStream(
      await app.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'Hello.' } }),
    );
    const turnId = events[0]!.data.turnId as string;
    expect((await app.call('u1', eventsPath(thread.id, turnId))).status).toBe(200);
    const refusals = [
      await app.call('u2', eventsPath(thread.id, turnId)),
      await app.call('u1', eventsPath(other.id, turnId)),
      await app.call('u1', eventsPath(thread.id, 'turn_0123456789abcdef0123456789abcdef')),
    ];
    for (const refused of refusals) {
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    }
    for (const bad of ['abc', '-1', '1.5', '99999999999']) {
      const answer = await app.call('u1', eventsPath(thread.id, turnId), { headers: { 'last-event-id': bad } });
      expect(answer.status).toBe(400);
    }
    expect((await app.call('u1', `${eventsPath(thread.id, turnId)}?after=x`)).status).toBe(400);
    expect((await app.call('u1', `${eventsPath(thread.id, turnId)}?from=1`)).status).toBe(400);
  });

  it('counts against apiCallsPerHour like other requests', async () => {
    app = await serveForTests({ latencyMs: 0, config: { limits: { apiCallsPerHour: 3 } } });
    const thread = await newThread(app, 'u1');
    const turnId = 'turn_0123456789abcdef0123456789abcdef';
    expect((await app.call('u1', eventsPath(thread.id, turnId))).status).toBe(404);
    expect((await app.call('u1', eventsPath(thread.id, turnId))).status).toBe(404);
    expect((await app.call('u1', eventsPath(thread.id, turnId))).status).toBe(429);
  });
});
