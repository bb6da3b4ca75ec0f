import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { EncryptingSerializer } from '../src/crypto/encrypting-serializer.js';
import { createFieldCipher } from '../src/crypto/field-cipher.js';
import { PHRASE, playTurn, rawText, resumeTurn, sendSecretTurn, storyEngine } from './support/encrypted-turn.js';
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

    const dump = dumpTables(storage);
    expect(dump).toContain('dd:enc:v1:old:');
    expect(dump).not.toContain('PLAINTEXT');
    for (const [, bytes] of filesOf(path)) expect(bytes.includes('PLAINTEXT')).toBe(false);
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

/** Every row of every table, BLOBs decoded as text. */
function dumpTables(storage: SqliteStorage): string {
  const db = storage.database;
  const tables = (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
  ).map((row) => row.name);
  return tables
    .flatMap((table) => (db.prepare(`SELECT * FROM "${table}"`).all() as Array<Record<string, unknown>>).map(rawText))
    .join('\n');
}

/** The database file, its WAL and shared-memory file, as they are on disk now. */
function filesOf(path: string): Array<[string, Buffer]> {
  const folder = dirname(path);
  return readdirSync(folder)
    .filter((name) => name.startsWith(basename(path)))
    .map((name) => [name, readFileSync(join(folder, name))]);
}

function checkpointRows(storage: SqliteStorage) {
  const db = storage.database;
  return {
    checkpoints: db
      .prepare(
        'SELECT type, CAST(checkpoint AS TEXT) AS checkpoint, CAST(metadata AS TEXT) AS metadata FROM checkpoints',
      )
      .all() as Array<{ type: string; checkpoint: string; metadata: string }>,
    writes: db.prepare('SELECT type, CAST(value AS TEXT) AS value FROM writes').all() as Array<{
      type: string;
      value: string;
    }>,
  };
}

describe('sqlite checkpoint encryption (a real engine turn)', () => {
  const path = join(dir.path, 'turns.db');
  const key = { id: 'turns', key: 'c'.repeat(64) };
  const rotated = { id: 'turns2', key: 'a passphrase for the rotated checkpoint key' };
  const userId = 'usr_turns';
  let threadId: string;
  let interruptId: string;

  it('without a key the same turn leaves the phrase in the checkpoint (the test can see it)', async () => {
    const storage = createSqliteStorage({ path: ':memory:' });
    const turn = await sendSecretTurn(storage, userId);
    expect(turn.result.status).toBe('interrupted');
    expect(dumpTables(storage)).toContain(PHRASE);
    await turn.dd.close();
  });

  it('stores no trace of the player text: checkpoints, writes, metadata, the file and its WAL', async () => {
    const storage = createSqliteStorage({ path, encryptionKey: { current: key } });
    const turn = await sendSecretTurn(storage, userId);
    expect(turn.result.status).toBe('interrupted');
    expect(turn.history.find((m) => m.role === 'user')?.content).toContain(PHRASE);
    threadId = turn.threadId;
    interruptId = turn.interruptId as string;
    expect(interruptId).toBeTruthy();

    const { checkpoints, writes } = checkpointRows(storage);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(0);
    for (const row of checkpoints) {
      expect(row.type).toBe('dd-enc:json');
      expect(row.checkpoint.startsWith('dd:enc:v1:turns:')).toBe(true);
      // Only LangGraph's routing fields stay readable (for list filters); the rest is in the ciphertext.
      const metadata = JSON.parse(row.metadata);
      expect(Object.keys(metadata).sort()).toEqual(['__dreamdeck_encrypted', 'parents', 'source', 'step']);
      expect(metadata.__dreamdeck_encrypted.value.startsWith('dd:enc:v1:turns:')).toBe(true);
    }
    for (const row of writes) {
      expect(row.type.startsWith('dd-enc:')).toBe(true);
      expect(row.value.startsWith('dd:enc:v1:turns:')).toBe(true);
    }
    expect(dumpTables(storage)).not.toContain(PHRASE);
    const files = filesOf(path);
    expect(files.map(([name]) => name)).toContain('turns.db-wal');
    for (const [, bytes] of files) expect(bytes.includes(PHRASE)).toBe(false);
    // The interrupt is read back from the encrypted checkpoint.
    const session = await turn.dd.openSession({ userId, threadId });
    expect(await session.pendingInterrupt()).toMatchObject({ interruptId });
    await turn.dd.close();
    for (const [, bytes] of filesOf(path)) expect(bytes.includes(PHRASE)).toBe(false);
  });

  it('a missing or wrong key fails reading the checkpoint with a clear STORAGE_ERROR', async () => {
    const cases = [
      { encryptionKey: undefined, message: /encrypted .*pass the same encryptionKey/ },
      { encryptionKey: { current: rotated }, message: /key id "turns".*not in encryptionKey/ },
      { encryptionKey: { current: { id: 'turns', key: 'd'.repeat(64) } }, message: /wrong key/ },
    ];
    for (const { encryptionKey, message } of cases) {
      const storage = createSqliteStorage({ path, ...(encryptionKey && { encryptionKey }) });
      await storage.init();
      const error = await storage.checkpointer
        .getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } })
        .catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: false });
      expect((error as Error).message).toMatch(message);

      // Through the engine: resuming the interrupted turn ends with the same error, nothing garbled.
      const dd = await storyEngine(storage);
      const session = await dd.openSession({ userId, threadId });
      const resumed = await playTurn(session.resume(interruptId, true));
      expect(resumed.result.status).toBe('error');
      expect(resumed.result.error).toMatchObject({ code: 'STORAGE_ERROR' });
      // The player sees the generic storage message (publicMessage); the key detail stays in the logs.
      expect(resumed.result.error?.message).not.toMatch(message);
      await dd.close();
    }
  });

  it('resumes the interrupted turn with encryption, after a key rotation too', async () => {
    const storage = createSqliteStorage({ path, encryptionKey: { current: rotated, previous: [key] } });
    const resumed = await resumeTurn(storage, userId, threadId, interruptId);
    expect(resumed.result.status).toBe('complete');
    expect(resumed.events.filter((e) => e.type === 'image').length).toBeGreaterThan(0);

    const reopened = createSqliteStorage({ path, encryptionKey: { current: rotated, previous: [key] } });
    await reopened.init();
    const { checkpoints, writes } = checkpointRows(reopened);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const row of [...checkpoints.map((c) => c.checkpoint), ...writes.map((w) => w.value)]) {
      expect(row.startsWith('dd:enc:v1:turns2:')).toBe(true);
    }
    expect(dumpTables(reopened)).not.toContain(PHRASE);
    await reopened.close();
    for (const [, bytes] of filesOf(path)) expect(bytes.includes(PHRASE)).toBe(false);
  });

  it('plaintext checkpoints written before encryption was turned on still load and resume', async () => {
    const legacyPath = join(dir.path, 'legacy.db');
    const plain = createSqliteStorage({ path: legacyPath });
    const turn = await sendSecretTurn(plain, userId);
    expect(turn.result.status).toBe('interrupted');
    await turn.dd.close();

    const encrypted = createSqliteStorage({ path: legacyPath, encryptionKey: { current: key } });
    const resumed = await resumeTurn(encrypted, userId, turn.threadId, turn.interruptId as string);
    expect(resumed.result.status).toBe('complete');
    const reopened = createSqliteStorage({ path: legacyPath, encryptionKey: { current: key } });
    await reopened.init();
    const { checkpoints } = checkpointRows(reopened);
    expect(checkpoints.map((row) => row.type)).toContain('dd-enc:json');
    await reopened.close();
  });
});

describe('EncryptingSerializer', () => {
  const cipher = createFieldCipher({ current: { id: 'k', key: 'e'.repeat(64) } }, 'sqlite');
  const serde = new EncryptingSerializer(cipher, 'sqlite');

  it('round-trips JSON and binary values; untagged (legacy) values load unchanged', async () => {
    const [type, bytes] = await serde.dumpsTyped({ text: PHRASE });
    expect(type).toBe('dd-enc:json');
    expect(Buffer.from(bytes).toString('utf8')).toMatch(/^dd:enc:v1:k:/);
    expect(await serde.loadsTyped(type, bytes)).toEqual({ text: PHRASE });
    expect(await serde.loadsTyped(type, Buffer.from(bytes).toString('utf8'))).toEqual({ text: PHRASE });

    const binary = new Uint8Array([0xff, 0x00, 0xfe, 0x80]);
    const [binaryType, binaryBytes] = await serde.dumpsTyped(binary);
    expect(binaryType).toBe('dd-enc-b64:bytes');
    expect(await serde.loadsTyped(binaryType, binaryBytes)).toEqual(binary);

    expect(await serde.loadsTyped('json', new TextEncoder().encode('{"legacy":true}'))).toEqual({ legacy: true });
  });

  it('a tagged value that is not a ciphertext is reported as corrupted', async () => {
    const error = await serde.loadsTyped('dd-enc:json', '{"tampered":true}').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: false });
    expect((error as Error).message).toMatch(/corrupted/);
  });
});
