import { join } from 'node:path';
import { createSqliteStorage, SQLITE_MIGRATIONS } from '@dreamdeck/adapters/sqlite';
import type { RunnableConfig } from '@langchain/core/runnables';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createEncryptingSerializer } from '../src/crypto/encrypting-serializer.js';
import { createFieldCipher } from '../src/crypto/field-cipher.js';
import { assertListFilters, assertStateHistoryFilters, SECRET } from './support/checkpoint-filters.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-checkpoint-filters-');
afterAll(() => dir.remove());
const key = { id: 'filters', key: '7'.repeat(64) };

function metadataColumn(db: Database.Database): Array<Record<string, unknown>> {
  return (
    db.prepare('SELECT CAST(metadata AS TEXT) AS metadata FROM checkpoints').all() as Array<{ metadata: string }>
  ).map((row) => JSON.parse(row.metadata));
}

function everyRow(db: Database.Database): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
  const text = (value: unknown) => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
  return tables
    .flatMap(({ name }) => (db.prepare(`SELECT * FROM "${name}"`).raw().all() as unknown[][]).flat().map(text))
    .join('\n');
}

describe('sqlite checkpointer filters (issue 18, finding 7: encrypted metadata threw "malformed JSON")', () => {
  for (const encryptionKey of [undefined, { current: key }]) {
    const label = encryptionKey ? 'encrypted' : 'plain';

    it(`${label}: list({ filter }) answers on routing fields and on the application's own keys`, async () => {
      const storage = createSqliteStorage({ path: join(dir.path, `list-${label}.db`), encryptionKey });
      await storage.init();
      await assertListFilters(storage.checkpointer);
      if (encryptionKey) {
        // Readable: LangGraph's routing fields only; everything else is in the ciphertext.
        for (const metadata of metadataColumn(storage.database)) {
          expect(Object.keys(metadata).sort()).toEqual(['__dreamdeck_encrypted', 'parents', 'source', 'step']);
          expect(metadata.__dreamdeck_encrypted).toMatchObject({ type: 'dd-enc:json', value: /^dd:enc:v1:filters:/ });
        }
        expect(everyRow(storage.database)).not.toContain(SECRET);
      }
      await storage.close();
    });

    it(`${label}: LangGraph's getStateHistory({ filter }) on a real graph`, async () => {
      const storage = createSqliteStorage({ path: join(dir.path, `history-${label}.db`), encryptionKey });
      await storage.init();
      await assertStateHistoryFilters(storage.checkpointer);
      expect(everyRow(storage.database).includes(SECRET)).toBe(!encryptionKey);
      await storage.close();
    });
  }
});

describe('a database encrypted before metadata was filterable', () => {
  /** A file as the previous version left it: migrations 1-2, metadata one bare ciphertext per row. */
  async function legacyFile(name: string): Promise<{ path: string; ciphertexts: string[] }> {
    const path = join(dir.path, name);
    const db = new Database(path);
    for (const migration of SQLITE_MIGRATIONS.slice(0, 2)) db.exec(migration);
    db.pragma('user_version = 2');
    const saver = new SqliteSaver(
      db,
      createEncryptingSerializer(createFieldCipher({ current: key }, 'sqlite'), 'sqlite'),
    );
    await assertPutThree(saver);
    const ciphertexts = (
      db.prepare('SELECT CAST(metadata AS TEXT) AS metadata FROM checkpoints').all() as Array<{ metadata: string }>
    ).map((row) => row.metadata);
    expect(ciphertexts.every((text) => text.startsWith('dd:enc:v1:filters:'))).toBe(true);
    // what the issue reported: any filter fails on such a file
    await expect(
      (async () => {
        for await (const _ of saver.list({ configurable: { thread_id: 'old' } }, { filter: { source: 'loop' } })) {
          // drain
        }
      })(),
    ).rejects.toThrow(/malformed JSON/);
    db.close();
    return { path, ciphertexts };
  }

  async function assertPutThree(saver: SqliteSaver) {
    let config: RunnableConfig = { configurable: { thread_id: 'old', checkpoint_ns: '' } };
    for (const step of [0, 1, 2]) {
      const checkpoint = {
        v: 4,
        id: `1ef0000${step}-0000-6000-8000-000000000000`,
        ts: new Date().toISOString(),
        channel_values: {},
        channel_versions: {},
        versions_seen: {},
      };
      const metadata = {
        source: step === 0 ? 'input' : 'loop',
        step,
        parents: {},
        player: `${SECRET}-${step}`,
      } as const;
      config = await saver.put(config, checkpoint, metadata);
    }
  }

  async function sources(storage: ReturnType<typeof createSqliteStorage>, filter: Record<string, unknown>) {
    const steps: unknown[] = [];
    for await (const tuple of storage.checkpointer.list({ configurable: { thread_id: 'old' } }, { filter })) {
      steps.push(tuple.metadata?.step);
    }
    return steps;
  }

  it('is upgraded once when opened with its key: same ciphertext inside, routing fields beside, filters work', async () => {
    const { path, ciphertexts } = await legacyFile('legacy.db');
    const storage = createSqliteStorage({ path, encryptionKey: { current: key } });
    await storage.init();
    const rows = metadataColumn(storage.database);
    expect(rows.map((row) => (row.__dreamdeck_encrypted as { value: string }).value).sort()).toEqual(
      [...ciphertexts].sort(),
    );
    expect(rows.map((row) => row.step).sort()).toEqual([0, 1, 2]);
    expect(await sources(storage, { source: 'loop' })).toEqual([2, 1]);
    expect(await sources(storage, { player: `${SECRET}-1` })).toEqual([1]);
    expect(everyRow(storage.database)).not.toContain(SECRET);
    expect(storage.database.prepare('SELECT name FROM dd_upgrades').pluck().all()).toEqual([
      'checkpoint-metadata-envelope',
    ]);
    await storage.close();
  });

  it('waits for the right key: opened without it, or with a ring that lacks it, nothing is rewritten', async () => {
    const { path, ciphertexts } = await legacyFile('legacy-wrong-key.db');
    for (const encryptionKey of [undefined, { current: { id: 'other', key: '8'.repeat(64) } }]) {
      const storage = createSqliteStorage({ path, encryptionKey });
      await storage.init();
      const raw = storage.database.prepare('SELECT CAST(metadata AS TEXT) FROM checkpoints').pluck().all();
      expect(raw.sort()).toEqual([...ciphertexts].sort());
      expect(storage.database.prepare('SELECT count(*) FROM dd_upgrades').pluck().get()).toBe(0);
      await storage.close();
    }
    const storage = createSqliteStorage({ path, encryptionKey: { current: key } });
    await storage.init();
    expect(await sources(storage, { source: 'input' })).toEqual([0]);
    await storage.close();
  });
});
