import { createPostgresStorage, POSTGRES_MIGRATIONS } from '@dreamdeck/adapters/postgres';
import { DreamdeckError } from '@dreamdeck/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { dropSchema } from './support/postgres-inspector.js';
import { spawnWorker } from './support/spawn-worker.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
const schema = () => {
  const name = uniqueSchema();
  schemas.push(name);
  return name;
};
afterAll(async () => {
  if (postgres) for (const name of schemas) await dropSchema(POSTGRES_TEST_URL, name);
});

describe.skipIf(!postgres)('postgres: several instances', () => {
  it('four instances starting at once migrate the schema exactly once', async () => {
    const name = schema();
    const instances = Array.from({ length: 4 }, () =>
      createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema: name }),
    );
    await Promise.all(instances.map((instance) => instance.init()));
    const { rows } = await instances[0]!.pool.query(`SELECT version FROM "${name}".dd_migrations ORDER BY version`);
    expect(rows).toEqual(POSTGRES_MIGRATIONS.map((_, index) => ({ version: index + 1 })));
    const thread = await instances[1]!.createThread({ userId: 'usr_a', persona: 'p' });
    expect(await instances[3]!.getThread(thread.id)).toEqual(thread);
    await Promise.all(instances.map((instance) => instance.close()));
  });

  it('200 consume calls from two Node processes against a limit of 50 grant exactly 50', async () => {
    const name = schema();
    const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema: name });
    await storage.init();
    const thread = await storage.createThread({ userId: 'usr_mp', persona: 'storyteller' });
    const results = await Promise.all([
      spawnWorker(['postgres', POSTGRES_TEST_URL, name, 'global-limit', '100', thread.id, '10']),
      spawnWorker(['postgres', POSTGRES_TEST_URL, name, 'global-limit', '100', thread.id, '10']),
    ]);
    expect(results[0].allowed + results[1].allowed).toBe(50);
    expect(await storage.listMessages(thread.id)).toHaveLength(20);
    const { rows } = await storage.pool.query(`SELECT used FROM "${name}".dd_counters WHERE key = 'global-limit'`);
    expect(rows).toEqual([{ used: 50 }]);
    await storage.close();
  }, 120_000);
});

describe.skipIf(!postgres)('postgres: connection loss', () => {
  it('a terminated connection fails the running call with a retryable STORAGE_ERROR, then the adapter recovers', async () => {
    const name = schema();
    const app = `dd_loss_${process.pid}`;
    const url = new URL(POSTGRES_TEST_URL);
    url.searchParams.set('application_name', app);
    const errors: Error[] = [];
    const storage = createPostgresStorage({
      connectionString: url.toString(),
      schema: name,
      onConnectionError: (error) => errors.push(error),
    });
    await storage.init();
    await storage.setFlagOverride('webSearch', true);

    // Hold a lock so the adapter's next write waits inside PostgreSQL, then kill its backend.
    const admin = new pg.Client({ connectionString: POSTGRES_TEST_URL });
    await admin.connect();
    await admin.query('BEGIN');
    await admin.query(`LOCK TABLE "${name}".dd_flags IN ACCESS EXCLUSIVE MODE`);
    const blocked = storage.setFlagOverride('webSearch', false).catch((error: unknown) => error);
    const waitingPid = async (): Promise<number | undefined> => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const { rows } = await admin.query(
          `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [app],
        );
        if (rows[0]) return rows[0].pid as number;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return undefined;
    };
    const pid = await waitingPid();
    expect(pid).toBeTypeOf('number');
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const error = await blocked;
    await admin.query('ROLLBACK');

    expect(DreamdeckError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });

    // Every other connection of the adapter dies too (idle ones are reported, not thrown).
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await admin.end();

    await storage.setFlagOverride('webSearch', false);
    expect(await storage.getFlagOverrides()).toEqual({ webSearch: false });
    expect(await storage.consume('after-loss', 1, 60_000, 5)).toMatchObject({ allowed: true, used: 1 });
    await storage.store.put(['memories', 'usr_1'], 'k', { text: 'still works' });
    expect((await storage.store.get(['memories', 'usr_1'], 'k'))?.value).toEqual({ text: 'still works' });
    await storage.close();
  });
});
