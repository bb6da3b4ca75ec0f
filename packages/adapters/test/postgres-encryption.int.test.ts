import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { readSecrets, SECRETS, writeSecrets } from './support/encryption-workload.js';
import { dropSchema } from './support/postgres-inspector.js';

const postgres = await requirePostgres();
const schema = uniqueSchema();
afterAll(async () => {
  if (postgres) await dropSchema(POSTGRES_TEST_URL, schema);
});

const oldKey = 'the old passphrase';
const newKey = { id: 'k2026', key: 'b'.repeat(64) };

describe.skipIf(!postgres)('postgres encryption at rest', () => {
  let ids: { threadId: string; messageId: string };

  it('stores no plaintext in any table of the schema', async () => {
    const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema, encryptionKey: oldKey });
    ids = await writeSecrets(storage);
    expect(await readSecrets(storage, ids)).toEqual({
      content: SECRETS.content,
      alternative: SECRETS.alternative,
      comment: SECRETS.comment,
      threadData: SECRETS.threadData,
      preference: SECRETS.preference,
      store: SECRETS.store,
    });
    const { rows: tables } = await storage.pool.query(
      'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
      [schema],
    );
    let dump = '';
    for (const { table_name } of tables as Array<{ table_name: string }>) {
      const { rows } = await storage.pool.query(`SELECT * FROM "${schema}"."${table_name}"`);
      dump += JSON.stringify(rows);
    }
    expect(tables.length).toBeGreaterThan(10);
    expect(dump).toContain('dd:enc:v1:');
    expect(dump).not.toContain('PLAINTEXT');
    await storage.close();
  });

  it('a rotated key reads old data; a missing or wrong key fails with STORAGE_ERROR', async () => {
    const rotated = createPostgresStorage({
      connectionString: POSTGRES_TEST_URL,
      schema,
      encryptionKey: { current: newKey, previous: [oldKey] },
    });
    expect(await readSecrets(rotated, ids)).toMatchObject({ content: SECRETS.content, store: SECRETS.store });
    await rotated.setThreadData(ids.threadId, 'later', 'after rotation');
    const { rows } = await rotated.pool.query(`SELECT value FROM "${schema}".dd_thread_data WHERE key = 'later'`);
    expect(rows[0].value.startsWith('dd:enc:v1:k2026:')).toBe(true);
    await rotated.close();

    for (const encryptionKey of [undefined, { current: newKey }]) {
      const storage = createPostgresStorage({
        connectionString: POSTGRES_TEST_URL,
        schema,
        ...(encryptionKey && { encryptionKey }),
      });
      const error = await storage.getMessage(ids.messageId).catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error) && error.code).toBe('STORAGE_ERROR');
      expect((error as Error).message).toMatch(/encrypt/);
      await storage.close();
    }
  });
});
