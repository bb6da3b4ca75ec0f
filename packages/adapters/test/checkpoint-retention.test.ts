import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { afterAll, expect, it } from 'vitest';
import { runPrunedTurns } from './support/retention-workload.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-retention-');
afterAll(() => dir.remove());

it('sqlite: pruning after each turn keeps one checkpoint, and interrupts still resume', async () => {
  const storage = createSqliteStorage({ path: join(dir.path, 'retention.db') });
  await storage.init();
  const count = () =>
    Promise.resolve(
      (
        storage.database.prepare('SELECT count(*) AS n FROM checkpoints WHERE thread_id = ?').get('thr_r') as {
          n: number;
        }
      ).n,
    );
  expect(await runPrunedTurns(storage, 'thr_r', 9, count)).toBe(1);
  const writes = storage.database.prepare('SELECT count(*) AS n FROM writes WHERE thread_id = ?').get('thr_r') as {
    n: number;
  };
  expect(writes.n).toBeLessThan(10);
  await storage.close();
});
