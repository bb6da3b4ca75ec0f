import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Cases for users and threads: create, list with paging (keyset cursors, crafted ones refused), rename, touch, soft delete. */
export function describeUsersAndThreads(context: () => StorageSuiteContext): void {
  describe('users', () => {
    it('upsertUser stores the user and updates given fields only', async () => {
      const { adapter, inspect } = context();
      const id = newId('usr');
      const created = await adapter.upsertUser({ id, displayName: 'Ada', roles: ['player'] });
      expect(created).toMatchObject({ id, displayName: 'Ada', roles: ['player'] });
      expect(await inspect.user(id)).toMatchObject({ id, displayName: 'Ada', roles: ['player'] });

      await adapter.upsertUser({ id, roles: ['player', 'admin'] });
      expect(await inspect.user(id)).toMatchObject({ id, displayName: 'Ada', roles: ['player', 'admin'] });
      expect(await adapter.getUser(id)).toMatchObject({ id, displayName: 'Ada', roles: ['player', 'admin'] });
    });

    it('getUser resolves null for an unknown id', async () => {
      const { adapter } = context();
      expect(await adapter.getUser(newId('usr'))).toBeNull();
    });
  });

  describe('threads', () => {
    it('createThread stores the row with a generated id', async () => {
      const { adapter, inspect } = context();
      const userId = newId('usr');
      const thread = await adapter.createThread({ userId, title: 'The Sunken Keep', persona: 'storyteller' });
      expect(thread.id).toMatch(/\S+/);
      expect(await inspect.thread(thread.id)).toMatchObject({
        id: thread.id,
        userId,
        title: 'The Sunken Keep',
        persona: 'storyteller',
        deleted: false,
      });
      expect(await adapter.getThread(thread.id)).toEqual(thread);
      expect(Date.parse(thread.createdAt)).not.toBeNaN();
    });

    it('createThread keeps a given id', async () => {
      const { adapter, inspect } = context();
      const id = newId('thr');
      await adapter.createThread({ id, userId: newId('usr'), persona: 'noir' });
      expect((await inspect.thread(id))?.persona).toBe('noir');
    });

    it('listThreads returns only the user’s threads, most recently updated first', async () => {
      const { adapter } = context();
      const userId = newId('usr');
      const a = await adapter.createThread({ userId, title: 'a', persona: 'p' });
      const b = await adapter.createThread({ userId, title: 'b', persona: 'p' });
      const c = await adapter.createThread({ userId, title: 'c', persona: 'p' });
      await adapter.createThread({ userId: newId('usr'), title: 'someone else', persona: 'p' });
      expect((await adapter.listThreads(userId)).items.map((t) => t.id)).toEqual([c.id, b.id, a.id]);

      // a touch (story activity: an empty patch) moves a thread to the top
      await adapter.updateThread(a.id, {});
      const listed = await adapter.listThreads(userId);
      expect(listed.items.map((t) => t.id)).toEqual([a.id, c.id, b.id]);
      expect(listed.nextCursor).toBeUndefined();
    });

    it('a rename or persona switch keeps the thread in its place; updatedAt changes only on a touch', async () => {
      const { adapter } = context();
      const userId = newId('usr');
      const a = await adapter.createThread({ userId, title: 'a', persona: 'p' });
      const b = await adapter.createThread({ userId, title: 'b', persona: 'p' });
      const renamed = await adapter.updateThread(a.id, { title: 'a, renamed' });
      expect(renamed).toMatchObject({ id: a.id, title: 'a, renamed', updatedAt: a.updatedAt });
      await adapter.updateThread(a.id, { persona: 'q' });
      const listed = await adapter.listThreads(userId);
      expect(listed.items.map((t) => [t.id, t.title, t.persona])).toEqual([
        [b.id, 'b', 'p'],
        [a.id, 'a, renamed', 'q'],
      ]);
      expect(listed.items[1]?.updatedAt).toBe(a.updatedAt);
      const touched = await adapter.updateThread(a.id, {});
      expect(touched.updatedAt > b.updatedAt).toBe(true);
      expect(touched.title).toBe('a, renamed');
    });

    // Regression (issue 18): renaming a thread moved it to the top, so a client paging the list
    // mid-rename never saw it.
    it('listThreads paging does not skip or repeat a thread renamed between pages', async () => {
      const { adapter } = context();
      const userId = newId('usr');
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) ids.push((await adapter.createThread({ userId, title: `t${i}`, persona: 'p' })).id);
      const first = await adapter.listThreads(userId, { limit: 2 });
      expect(first.items.map((t) => t.id)).toEqual([ids[5], ids[4]]);
      // rename one already listed and one not yet listed
      await adapter.updateThread(ids[1]!, { title: 'renamed while paging' });
      await adapter.updateThread(ids[4]!, { title: 'renamed too' });
      const seen = first.items.map((t) => t.id);
      let cursor = first.nextCursor;
      for (let pages = 0; cursor && pages < 10; pages++) {
        const page = await adapter.listThreads(userId, { limit: 2, cursor });
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...ids].reverse());
    });

    // Regression (issue 18): a crafted cursor (any JSON) reached Postgres' casts and answered 503.
    it('listThreads refuses a malformed or crafted cursor with INVALID_INPUT', async () => {
      const { adapter } = context();
      const userId = newId('usr');
      for (let i = 0; i < 3; i++) await adapter.createThread({ userId, title: `t${i}`, persona: 'p' });
      const page = await adapter.listThreads(userId, { limit: 1 });
      expect(page.nextCursor).toEqual(expect.any(String));
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const now = new Date().toISOString();
      const crafted = [
        encode(['x', 1]),
        encode([now, 1e30]),
        encode([now, 0.5]),
        encode([now, -1]),
        encode([now, '1']),
        encode([`${now}\u0000`, 1]),
        encode(['\u0000', 1]),
        encode(['2024-02-30T00:00:00.000Z', 1]),
        encode(['2024-01-01', 1]),
        encode([now, 1, 2]),
        encode({ updatedAt: now, seq: 1 }),
        encode(null),
        encode([now, Number.MAX_SAFE_INTEGER + 2]),
        `${page.nextCursor}=`,
        `${page.nextCursor}!`,
        '%00',
        'not base64 at all!',
        'x'.repeat(1000),
        Buffer.from('[').toString('base64url'),
      ];
      for (const cursor of crafted) {
        const error = await adapter.listThreads(userId, { cursor }).catch((e: unknown) => e);
        expect(DreamdeckError.isInstance(error) && error.code, cursor.slice(0, 40)).toBe('INVALID_INPUT');
      }
      // the real one still works, and an empty cursor is the first page
      expect((await adapter.listThreads(userId, { limit: 1, cursor: page.nextCursor! })).items).toHaveLength(1);
      expect((await adapter.listThreads(userId, { cursor: '' })).items).toHaveLength(3);
    });

    it('listThreads pages through every thread exactly once', async () => {
      const { adapter } = context();
      const userId = newId('usr');
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) ids.push((await adapter.createThread({ userId, title: `t${i}`, persona: 'p' })).id);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await adapter.listThreads(userId, { limit: 3, ...(cursor && { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((t) => t.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('updateThread renames and switches persona in the stored row', async () => {
      const { adapter, inspect } = context();
      const thread = await adapter.createThread({ userId: newId('usr'), title: 'old', persona: 'p1' });
      const updated = await adapter.updateThread(thread.id, { title: 'new', persona: 'p2' });
      expect(updated).toMatchObject({ id: thread.id, title: 'new', persona: 'p2', updatedAt: thread.updatedAt });
      expect(await inspect.thread(thread.id)).toMatchObject({ title: 'new', persona: 'p2' });
    });

    it('updateThread rejects an unknown thread with NOT_FOUND', async () => {
      const { adapter } = context();
      const error = await adapter.updateThread(newId('thr'), { title: 'x' }).catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error) && error.code).toBe('NOT_FOUND');
    });

    it('deleteThread soft-deletes: gone from get and list, the row stays', async () => {
      const { adapter, inspect } = context();
      const userId = newId('usr');
      const keep = await adapter.createThread({ userId, persona: 'p' });
      const gone = await adapter.createThread({ userId, persona: 'p' });
      await adapter.deleteThread(gone.id);
      expect(await adapter.getThread(gone.id)).toBeNull();
      expect((await adapter.listThreads(userId)).items.map((t) => t.id)).toEqual([keep.id]);
      expect(await inspect.thread(gone.id)).toMatchObject({ id: gone.id, deleted: true });
      const error = await adapter.updateThread(gone.id, { title: 'x' }).catch((e: unknown) => e);
      expect(DreamdeckError.isInstance(error) && error.code).toBe('NOT_FOUND');
    });

    it('getThread resolves null for an unknown id', async () => {
      const { adapter } = context();
      expect(await adapter.getThread(newId('thr'))).toBeNull();
    });
  });
}
