import { join } from 'node:path';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { afterAll, expect, it } from 'vitest';
import { spawnWorker } from './support/spawn-worker.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-sqlite-mp-');
afterAll(() => dir.remove());

it('two processes share one SQLite file: limits hold across them and no write is lost', async () => {
  const path = join(dir.path, 'shared.db');
  const storage = createSqliteStorage({ path });
  await storage.init();
  const thread = await storage.createThread({ userId: 'usr_mp', persona: 'storyteller' });

  const results = await Promise.all([
    spawnWorker(['sqlite', path, '-', 'shared-limit', '150', thread.id, '60']),
    spawnWorker(['sqlite', path, '-', 'shared-limit', '150', thread.id, '60']),
  ]);

  expect(results[0].allowed + results[1].allowed).toBe(50);
  const messages = await storage.listMessages(thread.id);
  expect(messages).toHaveLength(120);
  expect(new Set(messages.map((m) => m.id)).size).toBe(120);
  expect(storage.database.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(await storage.consume('shared-limit', 1, 3_600_000, 50)).toMatchObject({ allowed: false, used: 50 });
  await storage.close();
}, 120_000);

it('a write waiting for the lock of another connection does not block the event loop, and gives up after busyTimeoutMs', async () => {
  const path = join(dir.path, 'locked.db');
  const storage = createSqliteStorage({ path, busyTimeoutMs: 2_000 });
  await storage.init();
  const thread = await storage.createThread({ userId: 'usr_lock', persona: 'storyteller' });
  const Database = storage.database.constructor as new (file: string) => typeof storage.database;
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  const message = {
    id: 'msg_waits',
    threadId: thread.id,
    role: 'user' as const,
    kind: 'player' as const,
    content: 'I wait for the lock.',
    createdAt: new Date().toISOString(),
    status: 'complete' as const,
  };
  const append = storage.appendMessage(message);
  // the event loop keeps running while the append waits: this timer releases the lock
  await new Promise((resolve) => setTimeout(resolve, 50));
  other.exec('COMMIT');
  await append;
  expect((await storage.getMessage('msg_waits'))?.content).toBe('I wait for the lock.');

  const impatient = createSqliteStorage({ path, busyTimeoutMs: 100 });
  await impatient.init();
  other.exec('BEGIN IMMEDIATE');
  const refused = await impatient.appendMessage({ ...message, id: 'msg_refused' }).catch((error: unknown) => error);
  other.exec('ROLLBACK');
  expect(refused).toMatchObject({ code: 'STORAGE_ERROR', retryable: true });
  expect(await storage.getMessage('msg_refused')).toBeNull();
  other.close();
  await impatient.close();
  await storage.close();
});
