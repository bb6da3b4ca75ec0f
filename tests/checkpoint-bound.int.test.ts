/**
 * Checkpoints stay bounded under the default flags (issue 23): storyboards are offered after every
 * narration and await approval, and a player who writes on without answering leaves every turn
 * `interrupted`. Those questions can no longer be answered once the story moved on, so their
 * checkpoints are pruned like any other turn's: after 50 such turns a thread holds at most
 * `PRUNE_EVERY` (8) checkpoints, on memory, SQLite and PostgreSQL, and the latest question can
 * still be answered.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, createMemoryStorage, type StorageAdapter } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchemas, POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from './support/postgres.js';

const TURNS = 50;
/** docs/storage.md: the engine prunes every 8th finished turn, so a thread holds at most 8 checkpoints. */
const DOCUMENTED_MAX = 8;

const postgres = await requirePostgres();
const schemas: string[] = [];
afterAll(async () => {
  if (postgres) await dropSchemas(schemas);
});

const backends: Array<[string, () => StorageAdapter, boolean]> = [
  ['memory', () => createMemoryStorage(), true],
  ['sqlite', () => createSqliteStorage({ path: join(mkdtempSync(join(tmpdir(), 'dd-cp-')), 'story.db') }), true],
  [
    'postgres',
    () => {
      const schema = uniqueSchema('cp_bound');
      schemas.push(schema);
      return createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema });
    },
    postgres,
  ],
];

describe.each(backends)('checkpoints under the default flags: %s', (_name, createStorage, available) => {
  it.skipIf(!available)(
    `${TURNS} turns whose storyboard question is never answered leave at most ${DOCUMENTED_MAX} checkpoints`,
    async () => {
      const storage = createStorage();
      const dd = await createDreamdeck({
        storage,
        model: createDemoModel({ latencyMs: 0 }),
        env: false,
        config: { logging: { level: 'silent' }, limits: { turnsPerMinute: 10_000, apiCallsPerHour: 100_000 } },
      });
      try {
        const session = await dd.openSession({ userId: 'writer' });
        const count = async () => {
          let checkpoints = 0;
          for await (const _ of storage.checkpointer.list({ configurable: { thread_id: session.threadId } }))
            checkpoints++;
          return checkpoints;
        };
        let most = 0;
        let last: { interruptId: string } | undefined;
        for (let turn = 1; turn <= TURNS; turn++) {
          const result = await session.send(`I walk on through the town, step ${turn}`).result;
          // the defaults really do pause every narration turn on the storyboard question
          expect(result.status).toBe('interrupted');
          last = result.interrupt;
          most = Math.max(most, await count());
        }
        expect(most).toBeLessThanOrEqual(DOCUMENTED_MAX);
        expect(await count()).toBeLessThanOrEqual(DOCUMENTED_MAX);
        // the newest question is still there to answer
        const answered = await session.resume(last!.interruptId, false).result;
        expect(answered.status).toBe('complete');
      } finally {
        await dd.close();
      }
    },
  );
});
