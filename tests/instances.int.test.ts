import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import {
  createDemoModel,
  createDreamdeck,
  type Dreamdeck,
  type DreamdeckEvents,
  type Turn,
  type TurnEvent,
} from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, type RequestHandler, toNodeListener } from '@dreamdeck/core/http';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';
import { readEventStream, storyOf } from './support/sse.js';

/**
 * Several instances on one PostgreSQL schema (issue 18, "Beyond one machine"): engines in this
 * process, each on its own storage adapter (its own pool and listening connection), as separate
 * servers would be. Flag changes and config reloads reach the others through notifications, a
 * turn running on one is read and stopped from another, and a client that dropped its stream on
 * one instance rejoins on another while the first keeps the turn running for it.
 */
const postgres = await requirePostgres();
const schemas: string[] = [];
const engines: Dreamdeck[] = [];
const servers: Array<{ server: Server; handler: RequestHandler }> = [];
const auth = createTokenAuth({ secret: 'instances-test-secret-instances-test-secret' });

afterEach(async () => {
  for (const { server, handler } of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await handler.close();
  }
  await Promise.all(engines.splice(0).map((engine) => engine.close()));
});
afterAll(async () => {
  if (postgres) await dropSchemas(schemas);
});

/** `count` engines on one fresh schema. */
async function instances(count: number, latencyMs = 0): Promise<Dreamdeck[]> {
  const schema = uniqueSchema('dd_inst');
  schemas.push(schema);
  const made: Dreamdeck[] = [];
  for (let index = 0; index < count; index++) {
    const engine = await createDreamdeck({
      storage: createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
      model: createDemoModel({ latencyMs }),
      env: false,
      config: {
        logging: { level: 'silent' },
        features: { imageGeneration: false },
        limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000 },
      },
    });
    engines.push(engine);
    made.push(engine);
  }
  return made;
}

/** Serves `engine` over HTTP like the example server (no flag poll, so notifications alone carry flags). */
async function serve(engine: Dreamdeck, rejoinGraceMs?: number): Promise<string> {
  const handler = createRequestHandler(engine, {
    authenticate: auth.authenticate,
    flagPollMs: 0,
    ...(rejoinGraceMs !== undefined && { rejoinGraceMs }),
  });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ server, handler });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function call(base: string, user: string, path: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${await auth.issueToken({ id: user })}`);
  const { json, ...rest } = init;
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${base}${path}`, { ...rest, headers, ...(json !== undefined && { body: JSON.stringify(json) }) });
}

/** Resolves with the first `name` event `emitter` emits, or rejects after `ms`. */
function next<K extends keyof DreamdeckEvents>(engine: Dreamdeck, name: K, ms = 5000) {
  return new Promise<DreamdeckEvents[K][0]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${ms} ms`)), ms);
    engine.events.once(name, ((event: DreamdeckEvents[K][0]) => {
      clearTimeout(timer);
      resolve(event);
    }) as never);
  });
}

async function drain(turn: Turn) {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  return { events, result: await turn.result };
}

describe.skipIf(!postgres)('instances on one PostgreSQL schema', () => {
  it('a global flag set on A reaches B through a notification, with no poll running anywhere', async () => {
    const [a, b] = (await instances(2)) as [Dreamdeck, Dreamdeck];
    // B has read the overrides once (none) and caches them; nothing on B polls
    expect((await b.flags.effective()).webSearch).toBe(false);
    const seen = next(b, 'flag-change');
    const started = performance.now();
    await a.flags.set('webSearch', true);
    expect(await seen).toEqual({ name: 'webSearch', value: true });
    const ms = Math.round(performance.now() - started);
    console.info(`[instances] flag change seen on the other instance after ${ms} ms`);
    expect((await b.flags.effective()).webSearch).toBe(true);
    // removing it travels the same way
    const removed = next(b, 'flag-change');
    await a.flags.set('webSearch', null);
    expect(await removed).toEqual({ name: 'webSearch', value: null });
  });

  it('dd.reloadConfig() on A makes B reload its own config; A reloads once', async () => {
    const [a, b] = (await instances(2)) as [Dreamdeck, Dreamdeck];
    let onA = 0;
    a.events.on('config-reload', () => onA++);
    const onB = next(b, 'config-reload');
    await a.reloadConfig();
    expect(await onB).toEqual({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(onA).toBe(1);
  });

  it('a turn running on A is rejoined from B (the same numbered events) and stopped from B', async () => {
    const [a, b] = (await instances(2, 10)) as [Dreamdeck, Dreamdeck];
    const onA = await a.openSession({ userId: 'player' });
    const onB = await b.openSession({ userId: 'player', threadId: onA.threadId });
    const first = onA.send('I follow the lantern light.');
    const local = (async () => {
      const entries = [];
      for await (const entry of await onA.rejoin(first.turnId)) entries.push(entry);
      return entries;
    })();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const remote = [];
    for await (const entry of await onB.rejoin(first.turnId, { after: 2 })) remote.push(entry);
    const all = await local;
    expect(all.at(-1)?.event).toMatchObject({ type: 'turn-end', status: 'complete' });
    expect(remote).toEqual(all.slice(2));
    expect((await drain(first)).result.status).toBe('complete');

    const second = onA.send('I tell a long story.');
    const reading = drain(second);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await onB.stop(second.turnId)).toBe(true);
    const { result } = await reading;
    expect(result.status).toBe('aborted');
  });

  it('a client drops its stream on A and rejoins on B with Last-Event-ID: A keeps the turn running, nothing lost or doubled', async () => {
    const [a, b] = (await instances(2, 10)) as [Dreamdeck, Dreamdeck];
    // a grace far shorter than the turn: once the client drops, only B's reader (announced to A
    // as a watch) keeps A from stopping the turn
    const baseA = await serve(a, 300);
    const baseB = await serve(b);
    const thread = (
      (await (await call(baseA, 'player', '/threads', { method: 'POST', json: {} })).json()) as {
        thread: { id: string };
      }
    ).thread;
    const client = new AbortController();
    let watcher: Promise<Awaited<ReturnType<typeof readEventStream>>> | undefined;
    let deltas = 0;
    let turnId = '';
    const before = await readEventStream(
      await call(baseA, 'player', `/threads/${thread.id}/turns`, {
        method: 'POST',
        json: { text: 'I tell a long story by the fire.' },
        signal: client.signal,
      }),
      (event) => {
        if (event.event === 'turn-start') turnId = event.data.turnId as string;
        if (event.event === 'message-delta' && !watcher) {
          // an uninterrupted reader of the same turn, on B: the only reader A has once the client
          // drops (its stored events may lag a few milliseconds behind: ask again until they are there)
          const path = `/threads/${thread.id}/turns/${turnId}/events`;
          watcher = (async () => {
            for (;;) {
              const response = await call(baseB, 'player', path);
              if (response.status === 200) return readEventStream(response);
              await new Promise((resolve) => setTimeout(resolve, 20));
            }
          })();
        }
        if (event.event === 'message-delta') deltas++;
        return deltas >= 3;
      },
    );
    client.abort();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await call(baseB, 'player', `/threads/${thread.id}/turns/${turnId}/events`, {
      headers: { 'last-event-id': String(before.at(-1)!.id) },
    });
    expect(again.status).toBe(200);
    const after = await readEventStream(again);
    const whole = await watcher!;
    const joined = [...before, ...after];
    expect(after.length).toBeGreaterThan(3);
    expect(joined.map((event) => event.id)).toEqual(joined.map((_, index) => index + 1));
    expect(joined).toEqual(whole);
    expect(storyOf(joined)).toEqual(storyOf(whole));
    expect(storyOf(joined).status).toBe('complete');
    const stored = await b.storage.listMessages(thread.id);
    const narration = stored.find((message) => message.kind === 'narration');
    expect(narration?.status).toBe('complete');
    expect(storyOf(joined).messages.find((message) => message.kind === 'narration')?.text).toBe(narration?.content);
    // another user asking B for it: 404, as for a thread that does not exist
    expect((await call(baseB, 'intruder', `/threads/${thread.id}/turns/${turnId}/events`)).status).toBe(404);
  });
});
