/**
 * The server the chaos tests kill and restart: the Dreamdeck HTTP API (`createRequestHandler`
 * behind `node:http`, as the example server runs it) on SQLite or PostgreSQL, with a slow demo
 * model so turns are long enough to be interrupted, a short turn lease so a killed instance's
 * threads free up soon, and limits high enough not to refuse the test's traffic.
 *
 * Environment:
 * - `CHAOS_STORAGE`: `sqlite:<file>` or `postgres:<connection string>`; `CHAOS_SCHEMA` for PostgreSQL.
 * - `CHAOS_SECRET`: the token secret (the test signs its tokens with it).
 * - `CHAOS_LEASE_MS` (default 1000), `CHAOS_LATENCY_MS` per streamed token (default 10),
 *   `CHAOS_LOG_LEVEL` (default `silent`).
 * - `CHAOS_WAIT_FOR_START`: load, then wait for a line on stdin before opening the storage.
 *
 * stdout: `listening <url>` once it accepts connections.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type DreamdeckConfigInput } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, toNodeListener } from '@dreamdeck/core/http';

const env = process.env;
// A spare server waits here, its modules loaded, until the test starts it (a line on stdin); it
// opens the storage only then. Its stdin closing (the test process gone) ends it, started or not.
process.stdin.once('end', () => process.exit(0));
if (env.CHAOS_WAIT_FOR_START) await new Promise((resolve) => process.stdin.once('data', resolve));
const target = env.CHAOS_STORAGE ?? '';
const storage = target.startsWith('sqlite:')
  ? createSqliteStorage({ path: target.slice('sqlite:'.length) })
  : target.startsWith('postgres:')
    ? createPostgresStorage({ connectionString: target.slice('postgres:'.length), schema: env.CHAOS_SCHEMA })
    : undefined;
if (!storage) throw new Error(`CHAOS_STORAGE must be sqlite:<file> or postgres:<url>, got "${target}"`);

const dd = await createDreamdeck({
  storage,
  model: createDemoModel({ latencyMs: Number(env.CHAOS_LATENCY_MS ?? 10) }),
  env: false,
  turnLeaseMs: Number(env.CHAOS_LEASE_MS ?? 1000),
  config: {
    logging: { level: (env.CHAOS_LOG_LEVEL ?? 'silent') as 'silent' },
    features: { imageGeneration: false },
    limits: { turnsPerMinute: 100_000, apiCallsPerHour: 1_000_000 },
  } satisfies DreamdeckConfigInput,
});
const auth = createTokenAuth({ secret: env.CHAOS_SECRET ?? '' });
const handler = createRequestHandler(dd, { basePath: '/api', authenticate: auth.authenticate });
const server = createServer(toNodeListener(handler));
server.listen(0, '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
