/**
 * The example server as a benchmark target, in its own process: the demo model with a fixed
 * per-token latency (`BENCH_LATENCY_MS`, default 0), storage from `BENCH_STORAGE` (`sqlite`
 * default, in a temp folder; or `memory`), limits raised so they never refuse. Prints its URL.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoModel, createMemoryStorage } from '@dreamdeck/core';
import { startServer } from '@dreamdeck/example-server';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
const memory = process.env.BENCH_STORAGE === 'memory';
// A turn is narration by default; BENCH_IMAGES=1 adds the storyboard step (review interrupt) to each turn.
const images = process.env.BENCH_IMAGES === '1';
const running = await startServer({
  port: 0,
  host: '127.0.0.1',
  model: { name: 'demo', model: createDemoModel({ latencyMs }) },
  ...(memory
    ? { storage: createMemoryStorage() }
    : { databasePath: join(mkdtempSync(join(tmpdir(), 'dreamdeck-bench-')), 'bench.db') }),
  secret: process.env.BENCH_SECRET ?? 'bench-secret-bench-secret-bench-secret!',
  config: {
    limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000, imagesPerMinute: 100_000 },
    logging: { level: 'warn' },
    features: { imageGeneration: images },
  },
  env: {},
});
console.log(`bench server on ${running.url} (${running.description.database}, storyboard ${images ? 'on' : 'off'})`);
process.on('SIGTERM', () => {
  running.close().then(() => process.exit(0));
});
