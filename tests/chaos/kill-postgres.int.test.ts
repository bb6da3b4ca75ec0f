import { afterAll, describe, expect, it } from 'vitest';
import { chaosSeed } from '../support/chaos.js';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../support/postgres.js';
import { runKillScenario } from './kill-scenario.js';

const postgres = await requirePostgres();
const schema = uniqueSchema('dd_chaos_kill');
afterAll(async () => {
  if (postgres) await dropSchemas([schema]);
});

describe.skipIf(!postgres)('chaos on PostgreSQL', () => {
  it('kill -9 of the server at 20 random moments mid-turn loses no accepted message and leaves every thread usable', async () => {
    const started = Date.now();
    const report = await runKillScenario({
      seed: chaosSeed(18_0702),
      env: {
        CHAOS_STORAGE: `postgres:${POSTGRES_TEST_URL}`,
        CHAOS_SCHEMA: schema,
        CHAOS_LEASE_MS: '500',
        CHAOS_LATENCY_MS: '8',
      },
    });
    console.log(`[chaos] postgres kills: ${JSON.stringify({ ...report, ms: Date.now() - started })}`);
    expect(report.problems).toEqual([]);
    expect(report.midTurnKills).toBeGreaterThanOrEqual(20);
    expect(report).toMatchObject({ lost: 0, leftStreaming: 0, status5xx: 0, unusable: 0 });
    expect(report.accepted).toBeGreaterThan(report.midTurnKills);
    expect(report.abortedShown).toBeGreaterThan(0);
  }, 180_000);
});
