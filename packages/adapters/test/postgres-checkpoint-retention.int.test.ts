import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { dropSchema } from './support/postgres-inspector.js';
import { runPrunedTurns } from './support/retention-workload.js';

const postgres = await requirePostgres();
const schema = uniqueSchema();
afterAll(async () => {
  if (postgres) await dropSchema(POSTGRES_TEST_URL, schema);
});

describe.skipIf(!postgres)('postgres checkpoint retention', () => {
  it('pruning after each turn keeps one checkpoint and its blobs, and interrupts still resume', async () => {
    const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema });
    await storage.init();
    const count = async () =>
      Number(
        (await storage.pool.query(`SELECT count(*) AS n FROM "${schema}".checkpoints WHERE thread_id = 'thr_r'`))
          .rows[0].n,
      );
    expect(await runPrunedTurns(storage, 'thr_r', 9, count)).toBe(1);
    const { rows } = await storage.pool.query(
      `SELECT count(*) AS n FROM "${schema}".checkpoint_blobs WHERE thread_id = 'thr_r'`,
    );
    expect(Number(rows[0].n)).toBeLessThan(10);
    await storage.close();
  });
});
