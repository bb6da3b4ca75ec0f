import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTokenAuth } from '@dreamdeck/core/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';
import { type NumberedEvent, readEventStream, storyOf } from './support/sse.js';

/**
 * Two example-server processes on one PostgreSQL: threads continue across instances, per-user
 * limits hold globally, flags changed through one instance reach the other, and a client whose
 * turn stream drops on one instance rejoins the turn on the other.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const postgres = await requirePostgres();
const TURNS_PER_MINUTE = 4;
const schema = uniqueSchema('dd_scale');
const secret = randomBytes(32).toString('hex');
const auth = createTokenAuth({ secret });

interface Instance {
  child: ChildProcess;
  api: string;
  output: string[];
}

function startInstance(name: string): Promise<Instance> {
  const child = spawn(
    `${root}node_modules/.bin/tsx`,
    ['--tsconfig', 'examples/server/tsconfig.json', 'examples/server/src/main.ts'],
    {
      cwd: root,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: POSTGRES_TEST_URL,
        DREAMDECK_PG_SCHEMA: schema,
        DREAMDECK_SECRET: secret,
        DREAMDECK_MODEL: 'demo',
        DREAMDECK_LIMITS__TURNS_PER_MINUTE: String(TURNS_PER_MINUTE),
        DREAMDECK_LOGGING__LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output.push(chunk.toString());
      const match = /listening on (http:\/\/localhost:\d+)/.exec(output.join(''));
      if (match) {
        child.stdout?.off('data', onData);
        resolve({ child, api: `${match[1]!.replace('localhost', '127.0.0.1')}/api`, output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`instance ${name} exited with ${code}:\n${output.join('')}`)));
  });
}

function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance || instance.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    instance.child.once('exit', () => resolve());
    instance.child.kill('SIGTERM');
  });
}

async function call(
  api: string,
  user: string,
  path: string,
  init: RequestInit & { json?: unknown } = {},
  roles: string[] = [],
) {
  const token = await auth.issueToken({ id: user, roles });
  const { json, ...rest } = init;
  return fetch(`${api}${path}`, {
    ...rest,
    headers: {
      authorization: `Bearer ${token}`,
      ...(json !== undefined && { 'content-type': 'application/json' }),
    },
    ...(json !== undefined && { body: JSON.stringify(json) }),
  });
}

describe.skipIf(!postgres)('two server instances on one PostgreSQL', () => {
  let a: Instance | undefined;
  let b: Instance | undefined;

  beforeAll(async () => {
    a = await startInstance('A');
    b = await startInstance('B');
  }, 120_000);

  afterAll(async () => {
    await Promise.all([stopInstance(a), stopInstance(b)]);
    if (!postgres) return;
    const { createPostgresStorage } = await import('@dreamdeck/adapters/postgres');
    const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema });
    await storage.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await storage.close();
  }, 60_000);

  it('a thread created through A continues through B with its history', async () => {
    const created = await call(a!.api, 'traveller', '/threads', { method: 'POST', json: { title: 'Across' } });
    expect(created.status).toBe(201);
    const { thread } = (await created.json()) as { thread: { id: string } };
    const first = await call(a!.api, 'traveller', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I board the ship.' },
    });
    expect(first.status).toBe(200);
    expect(await first.text()).toContain('event: turn-end');

    const seen = (await (await call(b!.api, 'traveller', `/threads/${thread.id}`)).json()) as {
      thread: { title: string };
      messages: Array<{ role: string; content: string }>;
    };
    expect(seen.thread.title).toBe('Across');
    expect(seen.messages.map((m) => m.content)).toContain('I board the ship.');

    const second = await call(b!.api, 'traveller', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I climb the mast.' },
    });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('event: turn-end');
    const back = (await (await call(a!.api, 'traveller', `/threads/${thread.id}`)).json()) as {
      messages: Array<{ role: string; content: string; kind: string }>;
    };
    const players = back.messages.filter((m) => m.role === 'user').map((m) => m.content);
    expect(players).toEqual(['I board the ship.', 'I climb the mast.']);
    expect(back.messages.filter((m) => m.kind === 'narration').length).toBeGreaterThanOrEqual(2);
    // another user cannot reach it through either instance
    expect((await call(b!.api, 'stranger', `/threads/${thread.id}`)).status).toBe(404);
  }, 60_000);

  it(`a limit of ${TURNS_PER_MINUTE} turns per minute grants exactly ${TURNS_PER_MINUTE} across both instances`, async () => {
    const user = `racer_${randomBytes(3).toString('hex')}`;
    const attempts = TURNS_PER_MINUTE + 4;
    const threads: string[] = [];
    for (let i = 0; i < attempts; i++) {
      const response = await call(i % 2 ? b!.api : a!.api, user, '/threads', { method: 'POST', json: {} });
      threads.push(((await response.json()) as { thread: { id: string } }).thread.id);
    }
    // the limit counts in fixed one-minute windows: start well inside one so a reset cannot fall mid-race
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoWindow + 500));
    const statuses = await Promise.all(
      threads.map(async (id, i) => {
        const response = await call(i % 2 ? b!.api : a!.api, user, `/threads/${id}/turns`, {
          method: 'POST',
          json: { text: 'Go!' },
        });
        await response.text();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(TURNS_PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(attempts - TURNS_PER_MINUTE);
  }, 90_000);

  it('a client whose stream drops on A rejoins on B after its last event id: the events of an uninterrupted reader, none lost or doubled', async () => {
    const user = `rejoiner_${randomBytes(3).toString('hex')}`;
    const created = await call(a!.api, user, '/threads', { method: 'POST', json: {} });
    const { thread } = (await created.json()) as { thread: { id: string } };
    const client = new AbortController();
    let watcher: Promise<NumberedEvent[]> | undefined;
    let deltas = 0;
    const before = await readEventStream(
      await call(a!.api, user, `/threads/${thread.id}/turns`, {
        method: 'POST',
        json: { text: 'I tell the long tale of the drowned bell.' },
        signal: client.signal,
      }),
      (event) => {
        if (event.event === 'turn-start') {
          // a second reader on A, from the turn's first event, that never drops
          const path = `/threads/${thread.id}/turns/${event.data.turnId as string}/events`;
          watcher = call(a!.api, user, path).then((response) => readEventStream(response));
        }
        if (event.event === 'message-delta') deltas++;
        return deltas >= 3;
      },
    );
    client.abort();
    const turnId = before[0]!.data.turnId as string;
    // (this file's `call` sets its own headers: `?after=` says what `Last-Event-ID` would)
    const again = await call(b!.api, user, `/threads/${thread.id}/turns/${turnId}/events?after=${before.at(-1)!.id}`);
    expect(again.status).toBe(200);
    const after = await readEventStream(again);
    const whole = await watcher!;
    expect(after.length).toBeGreaterThan(3);
    const joined = [...before, ...after];
    expect(joined.map((event) => event.id)).toEqual(joined.map((_, index) => index + 1));
    expect(joined).toEqual(whole);
    const story = storyOf(joined);
    // the example server's default flags end a narration at the storyboard question
    expect(['complete', 'interrupted']).toContain(story.status);
    const stored = (await (await call(b!.api, user, `/threads/${thread.id}`)).json()) as {
      messages: Array<{ kind: string; content: string; status: string }>;
    };
    const narration = stored.messages.find((message) => message.kind === 'narration');
    expect(narration?.status).toBe('complete');
    expect(story.messages.find((message) => message.kind === 'narration')?.text).toBe(narration?.content);
  }, 30_000);

  it('a flag changed through A is seen by B within a few seconds', async () => {
    const before = (await (await call(b!.api, 'watcher', '/flags')).json()) as { flags: Record<string, boolean> };
    const target = !before.flags.webSearch;
    const changed = await call(a!.api, 'boss', '/flags', { method: 'PATCH', json: { webSearch: target } }, ['admin']);
    expect(changed.status).toBe(200);
    let seen: boolean | undefined;
    for (let i = 0; i < 100 && seen !== target; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = ((await (await call(b!.api, 'watcher', '/flags')).json()) as { flags: Record<string, boolean> }).flags
        .webSearch;
    }
    expect(seen).toBe(target);
    // non-admins cannot change it through B either
    expect((await call(b!.api, 'watcher', '/flags', { method: 'PATCH', json: { webSearch: !target } })).status).toBe(
      403,
    );
  }, 30_000);
});
