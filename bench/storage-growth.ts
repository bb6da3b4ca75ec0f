/**
 * bench/storage-growth: what 1,000 turns cost on disk and in time, on SQLite and PostgreSQL.
 *
 * - 1,000 turns (100-character player input, zero-latency demo model) through the engine on each
 *   backend: with storyboards off (`imageGeneration: false`) and with the default config
 *   (storyboards offered after every narration and awaiting approval; the player writes on without
 *   answering, so every turn ends `interrupted`): bytes on disk (SQLite file + WAL after a
 *   checkpoint; Postgres `pg_total_relation_size` of every table in the schema), the thread's
 *   checkpoints at the end, and per-turn time around turns 1, 100 and 1,000;
 * - a third run per backend with storyboards and memory (summary, extraction, recall) off: the
 *   engine's own cost, comparable with figures from before memory landed;
 * - on PostgreSQL, how much of the bytes is the rejoin log (`dd_turn_events`, pruned a minute
 *   after each turn);
 * - in the same run, the naive LangGraph pattern (the whole message list in `getPreviousState()`)
 *   on the official SqliteSaver for 200 turns, for comparison.
 * Prints figures; asserts nothing. PostgreSQL is skipped when DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) does not answer.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type StorageAdapter } from '@dreamdeck/core';
import { entrypoint, getPreviousState, task } from '@langchain/langgraph';
import { percentile, printTable } from './stats.js';

const TURNS = Number(process.env.BENCH_TURNS ?? 1000);
const NAIVE_TURNS = Number(process.env.BENCH_NAIVE_TURNS ?? 200);
const POSTGRES_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const base = {
  logging: { level: 'silent' as const },
  limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
};
/** The two configs each backend runs: storyboards off, and the defaults (storyboards awaiting approval). */
const VARIANTS = [
  { label: 'storyboards off', config: { ...base, features: { imageGeneration: false } } },
  { label: 'default config', config: base },
  // what the engine costs without long-term memory and the summary: the same work as before memory landed
  {
    label: 'storyboards and memory off',
    config: {
      ...base,
      features: { imageGeneration: false },
      memory: { summaryTokens: 0, extract: false, recallLimit: 0 },
    },
  },
] as const;
type Variant = (typeof VARIANTS)[number];
const ACTIONS = [
  'I push open the door',
  'I ask the innkeeper about the bell',
  'I search the cellar',
  'I sneak past the guard',
];
const input = (turn: number) =>
  `${ACTIONS[turn % ACTIONS.length]} and look for clues, turn ${turn}. `.padEnd(100, '.').slice(0, 100);

const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-bench-'));
const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;
const around = (times: number[], turn: number) =>
  percentile(times.slice(Math.max(0, turn - 5), Math.min(times.length, turn + 5)), 50);

interface Run {
  backend: string;
  times: number[];
  bytes: number;
  replyChars: number;
  /** Checkpoints the thread holds after the last turn (undefined for the naive run). */
  checkpoints?: number;
  /** PostgreSQL: bytes of the rejoin log (`dd_turn_events`), which is pruned a minute after each turn. */
  logBytes?: number;
}

async function engineRun(
  backend: string,
  variant: Variant,
  storage: StorageAdapter,
  bytesOnDisk: () => Promise<number>,
): Promise<Run> {
  const dd = await createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: variant.config,
  });
  const session = await dd.openSession({ userId: 'bench_user' });
  const times: number[] = [];
  let replyChars = 0;
  for (let turn = 1; turn <= TURNS; turn++) {
    const started = performance.now();
    const running = session.send(input(turn));
    for await (const _event of running) {
      // drain the stream as a client would
    }
    const result = await running.result;
    times.push(performance.now() - started);
    replyChars += result.messages.filter((m) => m.role !== 'user').reduce((sum, m) => sum + m.content.length, 0);
  }
  const bytes = await bytesOnDisk();
  let checkpoints = 0;
  for await (const _checkpoint of storage.checkpointer.list({ configurable: { thread_id: session.threadId } }))
    checkpoints++;
  await dd.close();
  return { backend: `${backend} (${variant.label})`, times, bytes, replyChars: replyChars / TURNS, checkpoints };
}

async function sqliteRun(variant: Variant): Promise<Run> {
  const path = join(dir, `engine-${VARIANTS.indexOf(variant)}.db`);
  const storage = createSqliteStorage({ path });
  return engineRun('sqlite', variant, storage, async () => {
    storage.database.pragma('wal_checkpoint(TRUNCATE)');
    return fileSize(path) + fileSize(`${path}-wal`);
  });
}

async function postgresRun(variant: Variant): Promise<Run | undefined> {
  const schema = `dd_bench_${process.pid}_${VARIANTS.indexOf(variant)}`;
  const storage = createPostgresStorage({ connectionString: POSTGRES_URL, schema });
  try {
    await storage.init();
  } catch (error) {
    console.warn(`PostgreSQL not reachable at ${POSTGRES_URL}: skipped (${(error as Error).message})`);
    await storage.close();
    return undefined;
  }
  const pool = storage.pool;
  const measure = async () => {
    const { rows } = await pool.query(
      `SELECT COALESCE(sum(pg_total_relation_size(format('%I.%I', schemaname, tablename))), 0) AS bytes
       FROM pg_tables WHERE schemaname = $1`,
      [schema],
    );
    return Number(rows[0].bytes);
  };
  let logBytes = 0;
  const run = await engineRun('postgres', variant, storage, async () => {
    const { rows } = await pool.query('SELECT pg_total_relation_size($1::regclass) AS bytes', [
      `"${schema}".dd_turn_events`,
    ]);
    logBytes = Number(rows[0].bytes);
    return measure();
  });
  run.logBytes = logBytes;
  const cleanup = createPostgresStorage({ connectionString: POSTGRES_URL, schema });
  await cleanup.pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await cleanup.close();
  return run;
}

/** The naive pattern: every message in the checkpointed state, on the official SqliteSaver. */
async function naiveRun(): Promise<Run> {
  const path = join(dir, 'naive.db');
  const storage = createSqliteStorage({ path });
  await storage.init();
  const route = task('route', async (text: string) => (text.startsWith('/') ? 'command' : 'narrate'));
  const narrate = task('narrate', async (text: string) => `The GM answers: ${text} `.padEnd(500, '~'));
  const remember = task('remember', async (count: number) => count);
  const workflow = entrypoint({ name: 'naive', checkpointer: storage.checkpointer }, async (text: string) => {
    const messages = getPreviousState<string[]>() ?? [];
    await route(text);
    const reply = await narrate(text);
    await remember(messages.length);
    return [...messages, text, reply];
  });
  const times: number[] = [];
  for (let turn = 1; turn <= NAIVE_TURNS; turn++) {
    const started = performance.now();
    await workflow.invoke(input(turn), { configurable: { thread_id: 'naive' } });
    times.push(performance.now() - started);
  }
  storage.database.pragma('wal_checkpoint(TRUNCATE)');
  const bytes = fileSize(path) + fileSize(`${path}-wal`);
  await storage.close();
  return { backend: 'naive getPreviousState (SqliteSaver)', times, bytes, replyChars: 500 };
}

const runs: Run[] = [];
for (const variant of VARIANTS) runs.push(await sqliteRun(variant));
for (const variant of VARIANTS) {
  const postgres = await postgresRun(variant);
  if (postgres) runs.push(postgres);
}
const naive = await naiveRun();
rmSync(dir, { recursive: true, force: true });

console.log(
  `\nstorage-growth: ${TURNS} engine turns (100-char input, zero-latency demo model); naive pattern ${NAIVE_TURNS} turns\n`,
);
printTable(
  [
    'backend',
    'turns',
    'bytes on disk',
    'bytes/turn',
    'of which rejoin log',
    'reply chars',
    'checkpoints',
    'ms @1',
    'ms @100',
    `ms @${TURNS}`,
    `@${TURNS} / @1`,
    `@${TURNS} / @100`,
  ],
  [...runs, naive].map((run) => {
    const last = run.times.length;
    const first = around(run.times, 1);
    const end = around(run.times, last);
    return [
      run.backend,
      last,
      mb(run.bytes),
      Math.round(run.bytes / last),
      run.logBytes === undefined ? '—' : Math.round(run.logBytes / last),
      Math.round(run.replyChars),
      run.checkpoints ?? '—',
      first.toFixed(2),
      around(run.times, Math.min(100, last)).toFixed(2),
      end.toFixed(2),
      (end / first).toFixed(2),
      (end / around(run.times, Math.min(100, last))).toFixed(2),
    ];
  }),
);
console.log(
  '\nms @n: median of the ten turns around turn n (turn 1 includes JIT warm-up; @100 is the fairer base). of which rejoin log: the dd_turn_events table of PostgreSQL, pruned a minute after each turn ends, so bounded by the load of the last minute rather than by story length. checkpoints: those the thread holds after the last turn (the engine prunes every 8th finished turn). Targets: SQLite <= 2 MB after 1,000 turns and flat under every config; @1000 / @1 <= 1.3.',
);
