import { describe, expect, it } from 'vitest';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** A word no other case (or earlier run on the same backend) uses. */
function uniqueWord(): string {
  return `zq${newId('w')
    .slice(-10)
    .toLowerCase()
    .replace(/[^a-z]/g, 'x')}`;
}

/** Cases for scoped knowledge documents, their chunks and vectors (capability `knowledge`). */
export function describeKnowledgeDocuments(context: () => StorageSuiteContext): void {
  describe('knowledge documents', () => {
    const ready = (skip: (note?: string) => void) => {
      const suite = context();
      if (!suite.adapter.capabilities.knowledge) skip(`${suite.adapter.name} does not declare knowledge`);
      return suite;
    };

    it('putKnowledgeDocument stores chunks, replaces them on a second put and keeps createdAt', async ({ skip }) => {
      const { adapter, inspect } = ready(skip);
      const userId = newId('usr');
      const id = newId('kdoc');
      const first = await adapter.putKnowledgeDocument!(
        { id, title: 'Harbour guide', mimeType: 'text/markdown', userId, bytes: 40 },
        [{ text: 'The harbour master is Odile.' }, { text: 'Ships leave at dawn.' }],
      );
      expect(first).toMatchObject({
        id,
        title: 'Harbour guide',
        mimeType: 'text/markdown',
        userId,
        chunks: 2,
        bytes: 40,
      });
      expect(first.threadId).toBeUndefined();
      if (inspect.knowledge)
        expect(await inspect.knowledge(id)).toEqual(['The harbour master is Odile.', 'Ships leave at dawn.']);
      const second = await adapter.putKnowledgeDocument!(
        { id, title: 'Harbour guide', mimeType: 'text/markdown', userId, bytes: 12 },
        [{ text: 'Rewritten.' }],
      );
      expect(second).toMatchObject({ chunks: 1, bytes: 12, createdAt: first.createdAt });
      if (inspect.knowledge) expect(await inspect.knowledge(id)).toEqual(['Rewritten.']);
      expect(await adapter.getKnowledgeDocument!(id)).toEqual(second);
      expect(await adapter.getKnowledgeChunk!(`${id}#0`)).toMatchObject({
        documentId: id,
        title: 'Harbour guide',
        chunkId: `${id}#0`,
        text: 'Rewritten.',
      });
      expect(await adapter.getKnowledgeChunk!(`${id}#1`)).toBeNull();

      expect(await adapter.deleteKnowledgeDocument!(id)).toBe(true);
      expect(await adapter.deleteKnowledgeDocument!(id)).toBe(false);
      expect(await adapter.getKnowledgeDocument!(id)).toBeNull();
      expect(await adapter.getKnowledgeChunk!(`${id}#0`)).toBeNull();
      if (inspect.knowledge) expect(await inspect.knowledge(id)).toEqual([]);
    });

    it('never shows a user another user’s or another story’s documents, in lists, text or vector search', async ({
      skip,
    }) => {
      const { adapter } = ready(skip);
      const word = uniqueWord();
      const [alice, bob] = [newId('usr'), newId('usr')];
      const [threadA, threadB] = [newId('thr'), newId('thr')];
      const vector = [0.2, 0.9, 0.1];
      const put = (title: string, scope: { userId?: string; threadId?: string }) =>
        adapter.putKnowledgeDocument!({ id: newId('kdoc'), title, mimeType: 'text/plain', bytes: 10, ...scope }, [
          { text: `The ${word} of ${title} guards the bridge.`, vector },
        ]);
      const global = await put('global', {});
      const aliceWide = await put('alice-wide', { userId: alice });
      const aliceA = await put('alice-thread-a', { userId: alice, threadId: threadA });
      const aliceB = await put('alice-thread-b', { userId: alice, threadId: threadB });
      const bobWide = await put('bob-wide', { userId: bob });
      const bobA = await put('bob-thread-a', { userId: bob, threadId: threadA });
      const all = [global, aliceWide, aliceA, aliceB, bobWide, bobA];

      const seen = async (userId: string, threadId?: string) => {
        const visibility = { userId, ...(threadId && { threadId }), limit: 50 };
        const listed = (await adapter.listKnowledgeDocuments!(visibility))
          .map((d) => d.id)
          .filter((id) => all.some((d) => d.id === id));
        const text = (await adapter.searchKnowledgeText!(word, visibility)).map((p) => p.documentId);
        const vectors = (await adapter.searchKnowledgeVectors!(vector, visibility))
          .map((p) => p.documentId)
          .filter((id) => all.some((d) => d.id === id));
        // whether anything is visible agrees with the list (other tests' global documents included)
        const everything = await adapter.listKnowledgeDocuments!(visibility);
        expect(await adapter.hasKnowledgeDocuments!(visibility)).toBe(everything.length > 0);
        return { listed: listed.sort(), text: text.sort(), vectors: vectors.sort() };
      };
      const expectSeen = async (userId: string, threadId: string | undefined, expected: Array<{ id: string }>) => {
        const ids = expected.map((d) => d.id).sort();
        expect(await seen(userId, threadId)).toEqual({ listed: ids, text: ids, vectors: ids });
      };
      await expectSeen(alice, undefined, [global, aliceWide]);
      await expectSeen(alice, threadA, [global, aliceWide, aliceA]);
      await expectSeen(alice, threadB, [global, aliceWide, aliceB]);
      await expectSeen(bob, threadA, [global, bobWide, bobA]);
      await expectSeen(bob, threadB, [global, bobWide]);
      await expectSeen(newId('usr'), threadA, [global]);
      for (const document of all) await adapter.deleteKnowledgeDocument!(document.id);
      expect((await seen(alice, threadA)).text).toEqual([]);
    });

    it('searchKnowledgeText ranks by relevance and returns whole chunks with their document', async ({ skip }) => {
      const { adapter } = ready(skip);
      const word = uniqueWord();
      const userId = newId('usr');
      const document = await adapter.putKnowledgeDocument!(
        { id: newId('kdoc'), title: 'Bestiary', mimeType: 'text/markdown', userId, bytes: 100 },
        [
          { text: `A ${word} was once seen near the lighthouse.` },
          { text: `The ${word} of the northern caves: every ${word} hoards copper, and a ${word} never sleeps.` },
          { text: 'Nothing relevant lives in this chunk about weather and tides.' },
        ],
      );
      const hits = await adapter.searchKnowledgeText!(`${word} caves`, { userId, limit: 5 });
      expect(hits.map((hit) => hit.chunkId)).toEqual([`${document.id}#1`, `${document.id}#0`]);
      expect(hits[0]).toMatchObject({
        documentId: document.id,
        title: 'Bestiary',
        text: expect.stringContaining('copper'),
      });
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(await adapter.searchKnowledgeText!(word, { userId, limit: 1 })).toHaveLength(1);
      await expect(adapter.searchKnowledgeText!('"unbalanced AND (OR * NEAR:', { userId })).resolves.toBeInstanceOf(
        Array,
      );
      expect(await adapter.searchKnowledgeText!('  ', { userId })).toEqual([]);
      await adapter.deleteKnowledgeDocument!(document.id);
    });

    it('searchKnowledgeVectors ranks by exact cosine similarity and skips chunks without vectors', async ({ skip }) => {
      const { adapter } = ready(skip);
      const userId = newId('usr');
      const document = await adapter.putKnowledgeDocument!(
        { id: newId('kdoc'), title: 'Vectors', mimeType: 'text/plain', userId, bytes: 30 },
        [
          { text: 'east', vector: [1, 0, 0] },
          { text: 'north-east', vector: [0.7, 0.7, 0] },
          { text: 'north', vector: [0, 2, 0] },
          { text: 'no vector' },
        ],
      );
      const mine = async (vector: number[]) =>
        (await adapter.searchKnowledgeVectors!(vector, { userId, limit: 10 })).filter(
          (p) => p.documentId === document.id,
        );
      const hits = await mine([0, 1, 0]);
      expect(hits.map((hit) => hit.text)).toEqual(['north', 'north-east', 'east']);
      expect(hits[0]!.score).toBeCloseTo(1, 5);
      expect(hits[1]!.score).toBeCloseTo(Math.SQRT1_2, 4);
      expect(hits[2]!.score).toBeCloseTo(0, 5);
      expect((await mine([1, 0, 0]))[0]!.text).toBe('east');
      await adapter.deleteKnowledgeDocument!(document.id);
      expect(await mine([0, 1, 0])).toEqual([]);
    });

    it('vector search follows a replaced and a removed document at once', async ({ skip }) => {
      const { adapter } = ready(skip);
      const userId = newId('usr');
      const id = newId('kdoc');
      const put = (vectors: number[][]) =>
        adapter.putKnowledgeDocument!(
          { id, title: 'Compass', mimeType: 'text/plain', userId, bytes: 10 },
          vectors.map((vector, index) => ({ text: `point ${index}`, vector })),
        );
      const mine = async (vector: number[]) =>
        (await adapter.searchKnowledgeVectors!(vector, { userId, limit: 10 }))
          .filter((p) => p.documentId === id)
          .map((p) => p.text);
      await put([
        [1, 0, 0],
        [0, 1, 0],
      ]);
      expect(await mine([1, 0, 0])).toEqual(['point 0', 'point 1']);
      // replaced: the first passage now points the other way, and a third joins
      await put([
        [0, 0, 1],
        [1, 0, 0],
        [0.9, 0.1, 0],
      ]);
      expect(await mine([1, 0, 0])).toEqual(['point 1', 'point 2', 'point 0']);
      // replaced by passages without vectors: none found by vector
      await adapter.putKnowledgeDocument!({ id, title: 'Compass', mimeType: 'text/plain', userId, bytes: 10 }, [
        { text: 'no vector' },
      ]);
      expect(await mine([1, 0, 0])).toEqual([]);
      await put([[1, 0, 0]]);
      expect(await mine([1, 0, 0])).toEqual(['point 0']);
      await adapter.deleteKnowledgeDocument!(id);
      expect(await mine([1, 0, 0])).toEqual([]);
    });

    it('full text in a large base: passages holding every word first, ranked, and only the reader’s', async ({
      skip,
    }) => {
      const { adapter } = ready(skip);
      // two words in 4,500 passages (SQLite leaves such words out of an any-word search) and a rare one
      const [common1, common2, rare] = [uniqueWord(), uniqueWord(), uniqueWord()];
      const [alice, bob] = [newId('usr'), newId('usr')];
      const [threadA, threadB] = [newId('thr'), newId('thr')];
      const put = (title: string, scope: { userId?: string; threadId?: string }, texts: string[]) =>
        adapter.putKnowledgeDocument!({ id: newId('kdoc'), title, mimeType: 'text/plain', bytes: 10, ...scope }, [
          ...texts.map((text) => ({ text })),
        ]);
      const bulk = await put(
        'bulk',
        {},
        Array.from({ length: 4500 }, (_, n) => `${common1} and ${common2} in passage ${n}.`),
      );
      const story = await put('alice-a', { userId: alice, threadId: threadA }, [
        ...Array.from({ length: 5 }, (_, n) => `${common1} ${common2} ${rare} once, in story passage ${n}.`),
        `${common1} ${common2} ${rare}, then ${common1} ${common2} ${rare} again and ${common1} ${common2} ${rare}.`,
      ]);
      const aliceWide = await put('alice-wide', { userId: alice }, [`${rare} with ${common1} only.`]);
      const bobs = await put('bob', { userId: bob }, [
        `${common1} ${common2} ${rare} for bob.`,
        `${common1} ${common2} ${rare} for bob again.`,
      ]);
      const query = `${common1} ${common2} ${rare}`;
      const search = (userId: string, threadId?: string) =>
        adapter.searchKnowledgeText!(query, { userId, ...(threadId && { threadId }), limit: 5 });

      const inStory = await search(alice, threadA);
      expect(inStory).toHaveLength(5);
      expect(new Set(inStory.map((p) => p.documentId))).toEqual(new Set([story.id]));
      // the passage holding every word three times ranks first
      expect(inStory[0]!.text).toContain('again');
      // in another story Alice sees no passage with every word: any word counts, still only hers and global
      const elsewhere = await search(alice, threadB);
      expect(elsewhere.map((p) => p.documentId)).toContain(aliceWide.id);
      expect(elsewhere.every((p) => [aliceWide.id, bulk.id].includes(p.documentId))).toBe(true);
      expect(elsewhere[0]!.documentId).toBe(aliceWide.id);
      const bobSees = await search(bob);
      expect(bobSees.slice(0, 2).map((p) => p.documentId)).toEqual([bobs.id, bobs.id]);
      expect(bobSees.every((p) => [bobs.id, bulk.id].includes(p.documentId))).toBe(true);
      const stranger = await search(newId('usr'), threadA);
      expect(stranger.every((p) => p.documentId === bulk.id)).toBe(true);
      for (const document of [bulk, story, aliceWide, bobs]) await adapter.deleteKnowledgeDocument!(document.id);
      expect(await search(alice, threadA)).toEqual([]);
    });
  });
}
