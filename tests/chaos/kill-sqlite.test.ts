import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { chaosSeed } from '../support/chaos.js';
import { runKillScenario } from './kill-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'dd-chaos-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('kill -9 of the server at 20 random moments mid-turn on SQLite loses no accepted message and leaves every thread usable', async () => {
  const started = Date.now();
  const report = await runKillScenario({
    seed: chaosSeed(18_0701),
    env: { CHAOS_STORAGE: `sqlite:${join(dir, 'chaos.db')}`, CHAOS_LEASE_MS: '500', CHAOS_LATENCY_MS: '8' },
  });
  console.log(`[chaos] sqlite kills: ${JSON.stringify({ ...report, ms: Date.now() - started })}`);
  expect(report.problems).toEqual([]);
  expect(report.midTurnKills).toBeGreaterThanOrEqual(20);
  expect(report).toMatchObject({ lost: 0, leftStreaming: 0, status5xx: 0, unusable: 0 });
  expect(report.accepted).toBeGreaterThan(report.midTurnKills);
  expect(report.abortedShown).toBeGreaterThan(0);
}, 180_000);
