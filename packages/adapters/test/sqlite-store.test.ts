import { join } from 'node:path';
import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('dreamdeck-sqlite-store-');
afterAll(() => dir.remove());

for (const encrypted of [false, true]) {
  describe(`SqliteStore${encrypted ? ' (encrypted)' : ''}`, () => {
    let storage: SqliteStorage;
    beforeAll(async () => {
      storage = createSqliteStorage({
        path: join(dir.path, `store-${encrypted}.db`),
        ...(encrypted && { encryptionKey: 'store passphrase' }),
      });
      await storage.init();
      const { store } = storage;
      await store.put(['memories', 'usr_1', 'facts'], 'owl', {
        text: 'The player keeps a pet owl named Hoot',
        weight: 5,
        tags: 'pet',
      });
      await store.put(['memories', 'usr_1', 'facts'], 'sea', {
        text: 'The player fears the open sea',
        weight: 2,
        tags: 'fear',
      });
      await store.put(['memories', 'usr_1', 'prefs'], 'style', { text: 'Prefers short, punchy replies', weight: 9 });
      await store.put(['memories', 'usr_2', 'facts'], 'owl', { text: 'Another player also loves owls', weight: 1 });
    });
    afterAll(() => storage.close());

    it('text query ranks matches within the namespace prefix only', async () => {
      const hits = await storage.store.search(['memories', 'usr_1'], { query: 'owl named' });
      expect(hits.map((hit) => hit.key)).toEqual(['owl']);
      expect(hits[0]?.score).toBeGreaterThan(0);
      expect(await storage.store.search(['memories', 'usr_1'], { query: 'dragons' })).toEqual([]);
    });

    it('filters with operators', async () => {
      const keys = async (filter: Record<string, unknown>) =>
        (await storage.store.search(['memories', 'usr_1'], { filter })).map((item) => item.key).sort();
      expect(await keys({ weight: { $gte: 5 } })).toEqual(['owl', 'style']);
      expect(await keys({ weight: { $lt: 5 } })).toEqual(['sea']);
      expect(await keys({ tags: { $in: ['pet', 'fear'] } })).toEqual(['owl', 'sea']);
      expect(await keys({ tags: { $ne: 'pet' } })).toEqual(['sea', 'style']);
      expect(await keys({ weight: 2 })).toEqual(['sea']);
    });

    it('paginates with limit and offset', async () => {
      const all = await storage.store.search(['memories'], { limit: 10 });
      expect(all).toHaveLength(4);
      const page = await storage.store.search(['memories'], { limit: 2, offset: 2 });
      expect(page.map((item) => item.key)).toEqual(all.slice(2).map((item) => item.key));
    });

    it('a prefix matches whole labels only', async () => {
      await storage.store.put(['memories', 'usr_10'], 'x', { text: 'other user' });
      const keys = (await storage.store.search(['memories', 'usr_1'])).map((item) => item.key);
      expect(keys).not.toContain('x');
      await storage.store.delete(['memories', 'usr_10'], 'x');
    });

    it('lists namespaces by prefix, suffix, wildcard and depth', async () => {
      const list = (options: Parameters<SqliteStorage['store']['listNamespaces']>[0]) =>
        storage.store.listNamespaces(options).then((namespaces) => namespaces.map((ns) => ns.join('/')));
      expect(await list({ prefix: ['memories', 'usr_1'] })).toEqual(['memories/usr_1/facts', 'memories/usr_1/prefs']);
      expect(await list({ suffix: ['facts'] })).toEqual(['memories/usr_1/facts', 'memories/usr_2/facts']);
      expect(await list({ prefix: ['memories', '*', 'facts'] })).toEqual([
        'memories/usr_1/facts',
        'memories/usr_2/facts',
      ]);
      expect(await list({ maxDepth: 2 })).toEqual(['memories/usr_1', 'memories/usr_2']);
      expect(await list({ limit: 1, offset: 1 })).toEqual(['memories/usr_1/prefs']);
    });
  });
}
