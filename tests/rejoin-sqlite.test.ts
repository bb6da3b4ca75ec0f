import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoModel, type ModelAdapter } from '@dreamdeck/core';
import { type RunningServer, startServer } from '@dreamdeck/example-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { quietLogger } from './support/quiet-logger.js';
import { type NumberedEvent, readEventStream, storyOf } from './support/sse.js';

/**
 * One example server on a SQLite file (one machine: the turn's journal in the process serves):
 * a client whose stream drops mid-turn rejoins with `Last-Event-ID` and gets what an
 * uninterrupted reader of the same turn got, none of it lost or doubled (issue 18).
 */
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databasePath: join(mkdtempSync(join(tmpdir(), 'dd-rejoin-')), 'story.db'),
    model: { name: 'demo', model: createDemoModel({ latencyMs: 10 }) } as ModelAdapter,
    logger: quietLogger,
    flagPollMs: 0,
    config: { features: { imageGeneration: false } },
  });
});
afterAll(async () => {
  await server?.close();
});

async function call(path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await server.auth.issueToken({ id: 'player' })}`);
  const { json, ...rest } = init;
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${server.apiUrl}${path}`, {
    ...rest,
    headers,
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });
}

it('SQLite: a client whose stream drops mid-turn rejoins with Last-Event-ID and misses nothing, twice over', async () => {
  const { thread } = (await (await call('/threads', { method: 'POST', json: {} })).json()) as {
    thread: { id: string };
  };
  const client = new AbortController();
  let watcher: Promise<NumberedEvent[]> | undefined;
  let deltas = 0;
  let turnId = '';
  const first = await readEventStream(
    await call(`/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell the long tale of the drowned bell.' },
      signal: client.signal,
    }),
    (event) => {
      if (event.event === 'turn-start') {
        turnId = event.data.turnId as string;
        watcher = call(`/threads/${thread.id}/turns/${turnId}/events`).then((response) => readEventStream(response));
      }
      if (event.event === 'message-delta') deltas++;
      return deltas >= 3;
    },
  );
  client.abort();
  // the rejoined stream drops too, and the client comes back once more
  const rejoin = (after: number, signal?: AbortSignal) =>
    call(`/threads/${thread.id}/turns/${turnId}/events`, {
      headers: { 'last-event-id': String(after) },
      ...(signal && { signal }),
    });
  const again = new AbortController();
  let more = 0;
  const second = await readEventStream(await rejoin(first.at(-1)!.id!, again.signal), () => ++more >= 5);
  again.abort();
  const third = await readEventStream(await rejoin(second.at(-1)!.id!));
  const whole = await watcher!;
  const joined = [...first, ...second, ...third];
  expect(second).toHaveLength(5);
  expect(third.length).toBeGreaterThan(3);
  expect(joined.map((event) => event.id)).toEqual(joined.map((_, index) => index + 1));
  expect(joined).toEqual(whole);
  const story = storyOf(joined);
  expect(story.status).toBe('complete');
  const stored = await server.dd.storage.listMessages(thread.id);
  const narration = stored.find((message) => message.kind === 'narration');
  expect(narration?.status).toBe('complete');
  expect(story.messages.find((message) => message.kind === 'narration')?.text).toBe(narration?.content);
});
