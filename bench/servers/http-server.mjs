/**
 * The reference server as a benchmark target, run the way it is deployed: compiled packages
 * (`pnpm build`) on plain `node`, no TypeScript loader. The demo model with a fixed per-token
 * latency (`BENCH_LATENCY_MS`, default 0), storage from `BENCH_STORAGE` (`sqlite` default, in a
 * temp folder; or `memory`), limits raised so they never refuse; `BENCH_IMAGES=1` adds the
 * storyboard step to each turn. Prints its URL.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, createMemoryStorage } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, gracefulShutdown, toNodeListener } from '@dreamdeck/core/http';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
const memory = process.env.BENCH_STORAGE === 'memory';
const images = process.env.BENCH_IMAGES === '1';
const storage = memory
  ? createMemoryStorage()
  : createSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'dreamdeck-bench-')), 'bench.db') });
const dd = await createDreamdeck({
  storage,
  model: createDemoModel({ latencyMs }),
  env: false,
  config: {
    limits: { turnsPerMinute: 10_000_000, apiCallsPerHour: 10_000_000, imagesPerMinute: 10_000_000 },
    logging: { level: 'warn' },
    features: { imageGeneration: images },
  },
});
const auth = createTokenAuth({ secret: process.env.BENCH_SECRET ?? 'bench-secret-bench-secret-bench-secret!' });
const handler = createRequestHandler(dd, { basePath: '/api', authenticate: auth.authenticate, guest: auth });
const server = createServer(toNodeListener(handler));
const close = gracefulShutdown({ server, handler, dreamdeck: dd, signals: [], timeoutMs: 5_000 });
server.listen(0, '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  console.log(
    `bench server on http://127.0.0.1:${port} (${memory ? 'memory' : 'sqlite'}, storyboard ${images ? 'on' : 'off'}, compiled)`,
  );
});
process.on('SIGTERM', () => {
  close().then(() => process.exit(0));
});
