/**
 * bench/story-controls: what the story controls cost on a long story, on SQLite and PostgreSQL
 * (issue 21).
 *
 * For each backend a 1,000-message story (500 player messages of ~100 characters, 500 GM replies
 * of ~700) is stored, then through the engine (zero-latency demo model, storyboards off):
 * - per-turn time on the story as it is (median of `BENCH_TURNS` turns, default 20);
 * - `session.branch()` at the newest message: ms in all and ms per copied message; then per-turn
 *   time on the branch, which should match the parent's (no cost grows with the copy);
 * - `session.rewind()` at the first message (every message leaves the story): ms in all and per
 *   moved message; then per-turn time on the rewound story (its window read skips the rewound rows
 *   through a partial index, so it should stay flat too).
 * Prints figures; asserts nothing. PostgreSQL is skipped when DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) does not answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type StorageAdapter, type StoryMessage } from '@dreamdeck/core';
import { percentile, printTable } from './stats.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const TURNS = Number(process.env.BENCH_TURNS ?? 20);
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-bench-controls-'));
const ms = (value: number) => value.toFixed(2);

/** A stored story of `count` messages, alternating player and GM, as a long game leaves it. */
function longStory(threadId: string, count: number): StoryMessage[] {
  const at = Date.now() - count * 1000;
  return Array.from({ length: count }, (_, i): StoryMessage => {
    const player = i % 2 === 0;
    return {
      id: `msg_bench_${threadId}_${i}`,
      threadId,
      turnId: `turn_bench_${Math.floor(i / 2)}`,
      role: player ? 'user' : 'assistant',
      kind: player ? 'player' : 'narration',
      ...(!player && { persona: 'storyteller' }),
      content: player
        ? `I search the old mill for the missing ledger, step ${i}.`.padEnd(100, '.')
        : `The mill groans in the wind. Step ${i}: dust, flour sacks and a loose board by the stairs. `.repeat(8),
      createdAt: new Date(at + i * 1000).toISOString(),
      status: 'complete',
    };
  });
}

interface Figures {
  backend: string;
  turnBefore: number;
  branchMs: number;
  branchPerMessage: number;
  turnOnBranch: number;
  rewindMs: number;
  rewindPerMessage: number;
  turnAfterRewind: number;
}

async function medianTurn(send: (text: string) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < TURNS; i++) {
    const started = performance.now();
    await send(`I look around the mill, turn ${i}.`);
    times.push(performance.now() - started);
  }
  return percentile(times, 50);
}

async function measure(backend: string, storage: StorageAdapter): Promise<Figures> {
  const dd = await createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: {
      logging: { level: 'silent' },
      limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
      features: { imageGeneration: false },
    },
  });
  try {
    const session = await dd.openSession({ userId: 'bench', title: 'The mill' });
    await storage.appendMessages(longStory(session.threadId, MESSAGES));
    const play = (target: typeof session) => (text: string) => target.send(text).result;
    // a few turns first: the engine's caches and the database's plans warm up
    for (let i = 0; i < 3; i++) await session.send(`I wait, warm-up ${i}.`).result;
    const turnBefore = await medianTurn(play(session));

    const story = await session.history();
    let started = performance.now();
    const branch = await session.branch(story.at(-1)!.id);
    const branchMs = performance.now() - started;
    const turnOnBranch = await medianTurn(play(branch));

    started = performance.now();
    const moved = await session.rewind(story[0]!.id);
    const rewindMs = performance.now() - started;
    const turnAfterRewind = await medianTurn(play(session));
    return {
      backend,
      turnBefore,
      branchMs,
      branchPerMessage: branchMs / story.length,
      turnOnBranch,
      rewindMs,
      rewindPerMessage: rewindMs / moved,
      turnAfterRewind,
    };
  } finally {
    await dd.close();
  }
}

async function postgresAnswers(): Promise<boolean> {
  const probe = createPostgresStorage({ connectionString: POSTGRES_URL, schema: `dd_probe_${process.pid}` });
  try {
    await probe.pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await probe.pool.end().catch(() => undefined);
  }
}

const results: Figures[] = [];
results.push(await measure('SQLite', createSqliteStorage({ path: join(dir, 'controls.db') })));
if (await postgresAnswers()) {
  const schema = `dd_bench_controls_${process.pid}`;
  results.push(await measure('PostgreSQL', createPostgresStorage({ connectionString: POSTGRES_URL, schema })));
  const cleanup = createPostgresStorage({ connectionString: POSTGRES_URL, schema });
  await cleanup.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await cleanup.pool.end();
} else {
  console.log(`PostgreSQL at ${POSTGRES_URL} does not answer: skipped`);
}
rmSync(dir, { recursive: true, force: true });

console.log(`\nStory controls on a ${MESSAGES}-message story (median of ${TURNS} turns each; ms)\n`);
printTable(
  [
    'backend',
    'turn before',
    'branch total',
    'branch / message',
    'turn on branch',
    'rewind total',
    'rewind / message',
    'turn after rewind',
  ],
  results.map((r) => [
    r.backend,
    ms(r.turnBefore),
    ms(r.branchMs),
    ms(r.branchPerMessage),
    ms(r.turnOnBranch),
    ms(r.rewindMs),
    ms(r.rewindPerMessage),
    ms(r.turnAfterRewind),
  ]),
);
