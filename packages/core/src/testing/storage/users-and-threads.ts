import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Cases for users and threads: create, list with paging, rename, soft delete. */
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

      await adapter.updateThread(a.id, { title: 'a, renamed' });
      const listed = await adapter.listThreads(userId);
      expect(listed.items.map((t) => t.id)).toEqual([a.id, c.id, b.id]);
      expect(listed.items[0]?.title).toBe('a, renamed');
      expect(listed.nextCursor).toBeUndefined();
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
      expect(updated).toMatchObject({ id: thread.id, title: 'new', persona: 'p2' });
      expect(updated.updatedAt > thread.updatedAt).toBe(true);
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
