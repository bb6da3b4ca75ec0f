import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import {
  createDemoModel,
  createDreamdeck,
  type Dreamdeck,
  type StorySession,
  type Turn,
  type TurnResult,
} from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';

/**
 * One turn per thread across server instances: two Dreamdeck engines in two Node processes share
 * one PostgreSQL schema, and the turn lock is a lease in it (issue 17).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) await dropSchemas(schemas);
});

interface Holder {
  child: ChildProcess;
  /** Resolves once the child's turn has streamed three deltas. */
  streaming: Promise<void>;
  /** Resolves with the child's last line when its turn ends. */
  done: Promise<{ done: string; deltas: number; text: string }>;
}

/** Starts a process whose engine plays one turn on `threadId` (see support/turn-holder.ts). */
function startHolder(schema: string, threadId: string, leaseMs: number, latencyMs: number): Holder {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'tests/support/turn-holder.ts',
      POSTGRES_TEST_URL,
      schema,
      threadId,
      `${leaseMs}`,
      `${latencyMs}`,
    ],
    {
      cwd: root,
      env: { ...process.env, TSX_TSCONFIG_PATH: 'tests/tsconfig.json' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (let end = out.indexOf('\n'); end >= 0; end = out.indexOf('\n')) {
      lines.push(JSON.parse(out.slice(0, end)));
      out = out.slice(end + 1);
    }
    for (const wake of waiters) wake();
  });
  const line = <T>(test: (line: Record<string, unknown>) => boolean) =>
    new Promise<T>((resolve, reject) => {
      const check = () => {
        const found = lines.find(test);
        if (found) resolve(found as T);
      };
      waiters.push(check);
      check();
      child.once('exit', (code) => reject(new Error(`turn holder exited with ${code} before the expected line`)));
    });
  const streaming = line<void>((l) => 'streaming' in l).then(() => undefined);
  const done = line<{ done: string; deltas: number; text: string }>((l) => 'done' in l);
  // a holder killed on purpose never prints `done`: only a test that awaits it hears of that
  done.catch(() => {});
  return { child, streaming, done };
}

/** An engine on a fresh schema (dropped after the file) and a new thread on it. */
async function freshThread(): Promise<{ dd: Dreamdeck; schema: string; session: StorySession }> {
  const schema = uniqueSchema('dd_lock');
  schemas.push(schema);
  const dd = await createDreamdeck({
    storage: createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
  });
  return { dd, schema, session: await dd.openSession({ userId: 'player' }) };
}

async function play(turn: Turn): Promise<TurnResult> {
  for await (const _ of turn) {
    // drain
  }
  return turn.result;
}

describe.skipIf(!postgres)('one turn per thread across processes (PostgreSQL leases)', () => {
  it('a turn on a thread another process is playing gets CONFLICT; the running turn keeps all its tokens', async () => {
    const { dd, schema, session } = await freshThread();
    const holder = startHolder(schema, session.threadId, 30_000, 10);
    await holder.streaming;
    const refused = await play(session.send('I follow into the crypt'));
    expect(refused.status).toBe('error');
    expect(refused.error).toMatchObject({ code: 'CONFLICT', retryable: true });
    const theirs = await holder.done;
    expect(theirs.done).toBe('complete');
    expect(theirs.deltas).toBeGreaterThan(3);
    const stored = await session.history();
    // the refused turn stored nothing; the other process's narration is what its iterator received
    expect(stored.map((m) => m.kind)).toEqual(['player', 'narration']);
    expect(stored[1]!.content).toBe(theirs.text);
    expect((await play(session.send('I follow into the crypt'))).status).toBe('complete');
    await dd.close();
  }, 60_000);

  it('a process killed mid-turn holds the thread until its lease expires; then the story goes on', async () => {
    const { dd, schema, session } = await freshThread();
    const holder = startHolder(schema, session.threadId, 2_000, 200);
    await holder.streaming;
    holder.child.kill('SIGKILL');
    await new Promise((resolve) => holder.child.once('exit', resolve));
    expect((await play(session.send('Is anyone there?'))).error?.code).toBe('CONFLICT');
    let result: TurnResult | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      result = await play(session.send('Is anyone there?'));
      if (result.error?.code !== 'CONFLICT') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(result?.status).toBe('complete');
    const stored = await session.history();
    expect(stored.map((m) => `${m.kind}:${m.status}`)).toEqual([
      'player:complete',
      'narration:aborted',
      'player:complete',
      'narration:complete',
    ]);
    await dd.close();
  }, 60_000);
});
