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
