import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { PHRASE, playTurn, rawText, resumeTurn, sendSecretTurn, storyEngine } from './support/encrypted-turn.js';
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
    const { tables, dump } = await dumpSchema(storage, schema);
    expect(tables).toBeGreaterThan(10);
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

/** Every row of every table of `schema`, bytea decoded as text, and how many tables it has. */
async function dumpSchema(storage: PostgresStorage, schema: string): Promise<{ tables: number; dump: string }> {
  const { rows: tables } = await storage.pool.query(
    'SELECT table_name FROM information_schema.tables WHERE table_schema = $1',
    [schema],
  );
  let dump = '';
  for (const { table_name } of tables as Array<{ table_name: string }>) {
    const { rows } = await storage.pool.query(`SELECT * FROM "${schema}"."${table_name}"`);
    dump += rows.map((row) => Object.values(row).map(rawText).join(' ')).join('\n');
  }
  return { tables: tables.length, dump };
}

describe.skipIf(!postgres)('postgres checkpoint encryption (a real engine turn)', () => {
  const turnSchema = uniqueSchema('dd_test_ckpt');
  const key = { id: 'turns', key: 'c'.repeat(64) };
  const rotated = { id: 'turns2', key: 'a passphrase for the rotated checkpoint key' };
  const userId = 'usr_turns';
  const open = (encryptionKey?: Parameters<typeof createPostgresStorage>[0]['encryptionKey']) =>
    createPostgresStorage({
      connectionString: POSTGRES_TEST_URL,
      schema: turnSchema,
      ...(encryptionKey && { encryptionKey }),
    });
  let threadId: string;
  let interruptId: string;
  afterAll(async () => {
    await dropSchema(POSTGRES_TEST_URL, turnSchema);
  });

  it('without a key the same turn leaves the phrase in the checkpoint tables (the test can see it)', async () => {
    const controlSchema = uniqueSchema('dd_test_plain');
    try {
      const storage = createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema: controlSchema });
      const turn = await sendSecretTurn(storage, userId);
      expect(turn.result.status).toBe('interrupted');
      expect((await dumpSchema(storage, controlSchema)).dump).toContain(PHRASE);
      await turn.dd.close();
    } finally {
      await dropSchema(POSTGRES_TEST_URL, controlSchema);
    }
  });

  it('stores no trace of the player text: blobs, writes and metadata are encrypted', async () => {
    const storage = open({ current: key });
    const turn = await sendSecretTurn(storage, userId);
    expect(turn.result.status).toBe('interrupted');
    expect(turn.history.find((m) => m.role === 'user')?.content).toContain(PHRASE);
    threadId = turn.threadId;
    interruptId = turn.interruptId as string;
    expect(interruptId).toBeTruthy();

    const s = `"${turnSchema}"`;
    const { rows: blobs } = await storage.pool.query(
      `SELECT type, blob FROM ${s}.checkpoint_blobs WHERE type <> 'empty'`,
    );
    const { rows: writes } = await storage.pool.query(`SELECT type, blob FROM ${s}.checkpoint_writes`);
    const { rows: checkpoints } = await storage.pool.query(`SELECT metadata FROM ${s}.checkpoints`);
    expect(blobs.length).toBeGreaterThan(0);
    expect(writes.length).toBeGreaterThan(0);
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const row of [...blobs, ...writes]) {
      expect(row.type.startsWith('dd-enc:')).toBe(true);
      expect(rawText(row.blob).startsWith('dd:enc:v1:turns:')).toBe(true);
    }
    for (const { metadata } of checkpoints) {
      // Only LangGraph's routing fields stay readable (for list filters); the rest is in the ciphertext.
      expect(Object.keys(metadata).sort()).toEqual(['__dreamdeck_encrypted', 'parents', 'source', 'step']);
      expect(metadata.__dreamdeck_encrypted.value.startsWith('dd:enc:v1:turns:')).toBe(true);
    }
    expect((await dumpSchema(storage, turnSchema)).dump).not.toContain(PHRASE);

    const tuple = await storage.checkpointer.getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } });
    expect(tuple?.metadata).toMatchObject({ source: expect.any(String), step: expect.any(Number) });
    expect(tuple?.metadata).not.toHaveProperty('__dreamdeck_encrypted');
    const session = await turn.dd.openSession({ userId, threadId });
    expect(await session.pendingInterrupt()).toMatchObject({ interruptId });
    await turn.dd.close();
  });

  it('a missing or wrong key fails reading the checkpoint with a clear STORAGE_ERROR', async () => {
    const cases = [
      { encryptionKey: undefined, message: /encrypted .*pass the same encryptionKey/ },
      { encryptionKey: { current: rotated }, message: /key id "turns".*not in encryptionKey/ },
      { encryptionKey: { current: { id: 'turns', key: 'd'.repeat(64) } }, message: /wrong key/ },
    ];
    for (const { encryptionKey, message } of cases) {
      const storage = open(encryptionKey);
      await storage.init();
      const error = await storage.checkpointer
        .getTuple({ configurable: { thread_id: threadId, checkpoint_ns: '' } })
        .catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'STORAGE_ERROR', retryable: false });
      expect((error as Error).message).toMatch(message);

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
    const storage = open({ current: rotated, previous: [key] });
    const resumed = await resumeTurn(storage, userId, threadId, interruptId);
    expect(resumed.result.status).toBe('complete');
    expect(resumed.events.filter((e) => e.type === 'image').length).toBeGreaterThan(0);

    const reopened = open({ current: rotated, previous: [key] });
    await reopened.init();
    const s = `"${turnSchema}"`;
    // Pruning after the turn keeps only the checkpoint the resume wrote: under the new key id.
    const { rows: checkpoints } = await reopened.pool.query(
      `SELECT metadata FROM ${s}.checkpoints WHERE thread_id = $1`,
      [threadId],
    );
    expect(checkpoints.length).toBeGreaterThan(0);
    for (const { metadata } of checkpoints) {
      expect(metadata.__dreamdeck_encrypted.value.startsWith('dd:enc:v1:turns2:')).toBe(true);
    }
    expect((await dumpSchema(reopened, turnSchema)).dump).not.toContain(PHRASE);
    await reopened.close();
  });

  it('plaintext checkpoints written before encryption was turned on still load and resume', async () => {
    const turn = await sendSecretTurn(open(), userId);
    expect(turn.result.status).toBe('interrupted');
    await turn.dd.close();
    const resumed = await resumeTurn(open({ current: key }), userId, turn.threadId, turn.interruptId as string);
    expect(resumed.result.status).toBe('complete');
  });
});
