import { join } from 'node:path';
import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import {
  createDemoModel,
  createDreamdeck,
  createMemoryStorage,
  type Dreamdeck,
  type StorageAdapter,
  type StorySession,
} from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { rawText } from './support/encrypted-turn.js';
import { dropSchema } from './support/postgres-inspector.js';
import { tempDir } from './support/temp-dir.js';

// Long-term memory and the rolling summary on every storage, plain and encrypted: recall works,
// forgetting deletes the row, deleting a story deletes its memories and summary, and with a key
// nothing of either is readable at rest. Run against real SQLite files and a real PostgreSQL schema.

const postgres = await requirePostgres();
const dir = tempDir('dreamdeck-memory-');
const schemas: string[] = [];
afterAll(async () => {
  dir.remove();
  if (postgres) for (const schema of schemas) await dropSchema(POSTGRES_TEST_URL, schema);
});

const KEY = { id: 'mem', key: 'd'.repeat(64) };
/** Words the tests look for in raw rows: they appear only in the player's facts. */
const SECRET_NAME = 'Quillonfeather';
const SECRET_DEBT = 'Marrowgate';

interface Backend {
  name: string;
  encrypted: boolean;
  open: () => StorageAdapter;
  /** Every stored row of every table, as text; undefined for memory storage (no raw rows). */
  dump?: (storage: StorageAdapter) => Promise<string>;
  skip?: boolean;
}

let sqliteFiles = 0;
const sqlite = (encrypted: boolean): Backend => {
  const path = join(dir.path, `memory-${sqliteFiles++}.db`);
  return {
    name: `sqlite${encrypted ? ' (encrypted)' : ''}`,
    encrypted,
    open: () => createSqliteStorage({ path, ...(encrypted && { encryptionKey: { current: KEY } }) }),
    dump: async (storage) => {
      const db = (storage as SqliteStorage).database;
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
      return tables
        .flatMap(({ name }) =>
          (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).map(rawText),
        )
        .join('\n');
    },
  };
};
const pg = (encrypted: boolean): Backend => {
  const schema = uniqueSchema('dd_test_mem');
  schemas.push(schema);
  return {
    name: `postgres${encrypted ? ' (encrypted)' : ''}`,
    encrypted,
    skip: !postgres,
    open: () =>
      createPostgresStorage({
        connectionString: POSTGRES_TEST_URL,
        schema,
        ...(encrypted && { encryptionKey: { current: KEY } }),
      }),
    dump: async (storage) => {
      const pool = (storage as PostgresStorage).pool;
      const { rows: tables } = await pool.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
        [schema],
      );
      let dump = '';
      for (const { table_name } of tables as Array<{ table_name: string }>) {
        const { rows } = await pool.query(`SELECT * FROM "${schema}"."${table_name}"`);
        dump += `${rows.map((row) => Object.values(row).map(rawText).join(' ')).join('\n')}\n`;
      }
      return dump;
    },
  };
};

const backends: Backend[] = [
  { name: 'memory', encrypted: false, open: () => createMemoryStorage() },
  sqlite(false),
  sqlite(true),
  pg(false),
  pg(true),
];

function engine(storage: StorageAdapter): Promise<Dreamdeck> {
  return createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
      memory: { windowTokens: 500 },
    },
  });
}

async function play(session: StorySession, text: string) {
  const turn = session.send(text);
  for await (const _ of turn) {
    // drain
  }
  expect((await turn.result).status).toBe('complete');
}

describe.each(backends)('memory on $name storage', (backend) => {
  it.skipIf(backend.skip)(
    'recalls facts, folds a summary, forgets for good, and keeps it all unreadable when encrypted',
    async () => {
      const storage = backend.open();
      const dd = await engine(storage);
      const userId = `usr_${backend.name.replace(/\W+/g, '_')}`;
      const session = await dd.openSession({ userId });
      await play(session, `My name is ${SECRET_NAME}.`);
      await play(session, `I owe the guild of ${SECRET_DEBT} 40 silver.`);
      for (let i = 0; i < 8; i++) await play(session, `I ride north, mile ${i}.`);
      // recall: the question finds the fact, long after it left the window
      const context = await session.context('What is my name again?');
      expect(context.messages.at(-1)?.content).toContain(`The player's name is ${SECRET_NAME}.`);
      const summary = await session.summary();
      expect(summary?.text).toContain(SECRET_NAME);
      // the API: list, remember, update, forget
      const mine = await dd.memory.remember(userId, { text: 'The player hums when nervous.' });
      expect(await dd.memory.list(userId, { query: 'nervous humming' })).toEqual([mine]);
      const changed = await dd.memory.update(userId, mine.id, { text: 'The player whistles when nervous.' });
      expect(changed.text).toBe('The player whistles when nervous.');
      await expect(dd.memory.update('someone-else', mine.id, { text: 'x' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      if (backend.dump) {
        const dump = await backend.dump(storage);
        if (backend.encrypted) {
          expect(dump).toContain('dd:enc:v1:');
          expect(dump).not.toContain(SECRET_NAME);
          expect(dump).not.toContain(SECRET_DEBT);
          expect(dump).not.toContain('whistles');
        } else {
          // the test can see what it looks for: the checks above would catch plaintext
          expect(dump).toContain(SECRET_NAME);
          expect(dump).toContain('whistles');
        }
      }
      await dd.memory.forget(userId, mine.id);
      expect(await storage.store.get(['dreamdeck', 'memory', userId], mine.id)).toBeNull();
      // deleting the story: its memories and summary go; the player's own user-wide memory stays
      const keep = await dd.memory.remember(userId, { text: 'The player likes riddles.' });
      await dd.memory.forgetThread(userId, session.threadId);
      expect((await dd.memory.list(userId)).map((r) => r.id)).toEqual([keep.id]);
      expect(await session.summary()).toBeNull();
      if (backend.dump) {
        const dump = await backend.dump(storage);
        if (!backend.encrypted) expect(dump).not.toContain(`The player's name is ${SECRET_NAME}`);
        expect(dump).not.toContain('whistles');
        const rows = await storage.store.search(['dreamdeck', 'memory', userId], { limit: 100 });
        expect(rows.map((row) => row.key)).toEqual([keep.id]);
      }
      await dd.close();
    },
  );
});

describe('the summary survives a restart', () => {
  it('a new engine on the same SQLite file reads it and folds on without repeating it', async () => {
    const path = join(dir.path, 'restart.db');
    const first = await engine(createSqliteStorage({ path }));
    const session = await first.openSession({ userId: 'usr_restart' });
    await play(session, 'My name is Orla and I come from Kestrel Bay.');
    for (let i = 0; i < 6; i++) await play(session, `I dig at the barrow, hour ${i}.`);
    const before = await session.summary();
    expect(before?.text).toContain('Orla');
    await first.close();

    const second = await engine(createSqliteStorage({ path }));
    const again = await second.openSession({ userId: 'usr_restart', threadId: session.threadId });
    expect(await again.summary()).toEqual(before);
    for (let i = 0; i < 6; i++) await play(again, `I carry the finds to the cart, load ${i}.`);
    const after = await again.summary();
    expect(after?.throughMessageId).not.toBe(before?.throughMessageId);
    expect(after?.text.match(/My name is Orla/g)).toHaveLength(1);
    await second.close();
  });
});
