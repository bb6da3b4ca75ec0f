import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecrets, SECRETS, writeSecrets } from './support/encryption-workload.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-sqlite-enc-');
afterAll(() => dir.remove());

const oldKey = { id: 'old', key: 'f'.repeat(64) };
const newKey = { id: 'new', key: 'a long passphrase for the new key' };

describe('sqlite encryption at rest', () => {
  const path = join(dir.path, 'secret.db');
  let ids: { threadId: string; messageId: string };

  it('stores no plaintext: not in any row, not in the file or its WAL', async () => {
    const storage = createSqliteStorage({ path, encryptionKey: { current: oldKey } });
    expect(storage.capabilities.encryption).toBe(true);
    ids = await writeSecrets(storage);
    expect(await readSecrets(storage, ids)).toEqual({
      content: SECRETS.content,
      alternative: SECRETS.alternative,
      comment: SECRETS.comment,
      threadData: SECRETS.threadData,
      preference: SECRETS.preference,
      store: SECRETS.store,
    });

    const db = storage.database;
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
    ).map((row) => row.name);
    const dump = tables.map((table) => JSON.stringify(db.prepare(`SELECT * FROM "${table}"`).all())).join('\n');
    expect(dump).toContain('dd:enc:v1:old:');
    expect(dump).not.toContain('PLAINTEXT');
    for (const file of readdirSync(dir.path).filter((name) => name.startsWith('secret.db'))) {
      expect(readFileSync(join(dir.path, file)).includes('PLAINTEXT')).toBe(false);
    }
    await storage.close();
  });

  it('a rotated key reads old data and writes new data under the new key id', async () => {
    const storage = createSqliteStorage({ path, encryptionKey: { current: newKey, previous: [oldKey] } });
    expect((await readSecrets(storage, ids)).content).toBe(SECRETS.content);
    await storage.setThreadData(ids.threadId, 'later', 'written after rotation');
    const raw = storage.database.prepare("SELECT value FROM dd_thread_data WHERE key = 'later'").get() as {
      value: string;
    };
    expect(raw.value.startsWith('dd:enc:v1:new:')).toBe(true);
    expect(await storage.getThreadData(ids.threadId)).toMatchObject({ later: 'written after rotation' });
    await storage.close();
  });

  it('a missing or wrong key fails with a clear STORAGE_ERROR, never garbage', async () => {
    const cases = [
      { encryptionKey: undefined, message: /encrypted .*pass the same encryptionKey/ },
      { encryptionKey: { current: newKey }, message: /key id "old".*not in encryptionKey/ },
      { encryptionKey: { current: { id: 'old', key: 'e'.repeat(64) } }, message: /wrong key/ },
    ];
    for (const { encryptionKey, message } of cases) {
      const storage = createSqliteStorage({ path, ...(encryptionKey && { encryptionKey }) });
      const error = await storage.getMessage(ids.messageId).catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: false });
      expect((error as Error).message).toMatch(message);
      await storage.close();
    }
  });
});
