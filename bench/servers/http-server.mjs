/**
 * The reference server as a benchmark target, run the way it is deployed: compiled packages
 * (`pnpm build`) on plain `node`, no TypeScript loader. The demo model with a fixed per-token
 * latency (`BENCH_LATENCY_MS`, default 0), storage from `BENCH_STORAGE` (`sqlite` default, in a
 * temp folder; or `memory`), limits raised so they never refuse; `BENCH_IMAGES=1` adds the
 * storyboard step to each turn. `BENCH_WORKERS` (default 1) runs that many processes on one port
 * with node:cluster, sharing the SQLite file, as several instances share one database.
 * `BENCH_MEMORY=off` turns the rolling summary, fact extraction and recall off, and
 * `BENCH_KNOWLEDGE=off` the knowledge base (to see what each costs a turn).
 * `BENCH_SQLITE_BINDING` names a better-sqlite3 native addon built for the Node that runs the server
 * (better-sqlite3's `nativeBinding`), so `BENCH_NODE` can run it on another Node with SQLite.
 * Prints its URL.
 */
import cluster from 'node:cluster';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, createMemoryStorage } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, gracefulShutdown, toNodeListener } from '@dreamdeck/core/http';

const workers = Math.min(Number(process.env.BENCH_WORKERS ?? 1), availableParallelism());
const memory = process.env.BENCH_STORAGE === 'memory';
if (cluster.isPrimary && workers > 1) {
  if (memory) throw new Error('BENCH_WORKERS > 1 needs shared storage (sqlite)');
  const dbPath = join(mkdtempSync(join(tmpdir(), 'dreamdeck-bench-')), 'bench.db');
  // Pick a free port, then every worker listens on it (the primary shares one handle).
  const port = await new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(free));
    });
  });
  for (let i = 0; i < workers; i++) cluster.fork({ BENCH_DB: dbPath, BENCH_PORT: String(port) });
  let listening = 0;
  cluster.on('message', (_worker, message) => {
    if (message.port && ++listening === workers) {
      console.log(`bench server on http://127.0.0.1:${port} (sqlite, ${workers} workers, compiled)`);
    }
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 500);
  });
} else {
  await serve();
}

async function serve() {
  const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 0);
  const images = process.env.BENCH_IMAGES === '1';
  const storage = memory
    ? createMemoryStorage()
    : createSqliteStorage(
        sqliteFile(process.env.BENCH_DB ?? join(mkdtempSync(join(tmpdir(), 'dreamdeck-bench-')), 'bench.db')),
      );
  const dd = await createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs }),
    env: false,
    config: {
      limits: { turnsPerMinute: 10_000_000, apiCallsPerHour: 10_000_000, imagesPerMinute: 10_000_000 },
      logging: { level: 'warn' },
      features: { imageGeneration: images, ...(process.env.BENCH_KNOWLEDGE === 'off' && { knowledge: false }) },
      ...(process.env.BENCH_MEMORY === 'off' && { memory: { summaryTokens: 0, extract: false, recallLimit: 0 } }),
    },
  });
  const auth = createTokenAuth({ secret: process.env.BENCH_SECRET ?? 'bench-secret-bench-secret-bench-secret!' });
  const handler = createRequestHandler(dd, { basePath: '/api', authenticate: auth.authenticate, guest: auth });
  const server = createServer(toNodeListener(handler));
  const close = gracefulShutdown({ server, handler, dreamdeck: dd, signals: [], timeoutMs: 5_000 });
  server.listen(Number(process.env.BENCH_PORT ?? 0), '127.0.0.1', () => {
    const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
    const kind = `${memory ? 'memory' : 'sqlite'}, storyboard ${images ? 'on' : 'off'}, compiled`;
    if (cluster.isWorker) process.send?.({ port });
    else console.log(`bench server on http://127.0.0.1:${port} (${kind})`);
  });
  process.on('SIGTERM', () => {
    close().then(() => process.exit(0));
  });
}

/** The SQLite storage options for `path`: opened with `BENCH_SQLITE_BINDING`'s addon when it is set. */
function sqliteFile(path) {
  const nativeBinding = process.env.BENCH_SQLITE_BINDING;
  if (!nativeBinding) return { path };
  // better-sqlite3 as @dreamdeck/adapters resolves it: the same JS, another native addon
  const Database = createRequire(import.meta.resolve('@dreamdeck/adapters/sqlite'))('better-sqlite3');
  return { database: new Database(path, { nativeBinding }) };
}
