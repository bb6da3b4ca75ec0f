import { join } from 'node:path';
import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import { cosineSimilarity, type KnowledgeVisibility } from '@dreamdeck/core/adapter-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from './support/temp-dir.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Two storages on one file: a second connection sees the file as another process does. */
async function open(count = 1): Promise<SqliteStorage[]> {
  const dir = tempDir('dreamdeck-sqlite-knowledge-');
  const storages = Array.from({ length: count }, () => createSqliteStorage({ path: join(dir.path, 'k.db') }));
  for (const storage of storages) await storage.init();
  cleanups.push(dir.remove, ...storages.map((storage) => () => storage.close()));
  return storages;
}

/** A deterministic pseudo-random vector. */
function vectorOf(seed: number, dimensions: number): number[] {
  let state = seed * 2654435761;
  return Array.from({ length: dimensions }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

/** The vector search this adapter ran before vectors were held in memory: cosine in SQL over every blob. */
function searchBySql(storage: SqliteStorage, vector: number[], visibility: KnowledgeVisibility) {
  const db = storage.database;
  const query = new Float32Array(vector);
  db.function('old_cosine', { deterministic: false }, (blob: unknown) => {
    const buffer = blob as Buffer;
    return cosineSimilarity(new Float32Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 4), query);
  });
  const visible = '(d.user_id IS NULL OR (d.user_id = ? AND (d.thread_id IS NULL OR d.thread_id = ?)))';
  return db
    .prepare(
      `SELECT d.id AS documentId, d.title, k.id AS chunkId, k.text, top.score FROM (
         SELECT k.rowid AS rowid, old_cosine(k.embedding) AS score
           FROM dd_knowledge k JOIN dd_knowledge_documents d ON d.id = k.source
           WHERE k.embedding IS NOT NULL AND ${visible} ORDER BY score DESC, k.id LIMIT ?) top
       JOIN dd_knowledge k ON k.rowid = top.rowid JOIN dd_knowledge_documents d ON d.id = k.source
       ORDER BY top.score DESC, k.id`,
    )
    .all(visibility.userId, visibility.threadId ?? null, visibility.limit ?? 5);
}

describe('sqlite knowledge: vectors held in memory', () => {
  it('exact cosine from memory returns what the SQL cosine it replaced returned, to the last bit', async () => {
    const [storage] = (await open()) as [SqliteStorage];
    const scopes = [{}, { userId: 'ana' }, { userId: 'ana', threadId: 'thr_1' }, { userId: 'bo' }];
    let seed = 1;
    for (const [index, scope] of scopes.entries()) {
      await storage.putKnowledgeDocument!(
        { id: `kdoc_${index}`, title: `Doc ${index}`, mimeType: 'text/plain', bytes: 1, ...scope },
        [
          ...Array.from({ length: 40 }, (_, n) => ({ text: `passage ${index}.${n}`, vector: vectorOf(seed++, 24) })),
          { text: 'all zeros', vector: new Array(24).fill(0) },
          { text: 'no vector' },
          // two passages with the same vector: the tie is broken by chunk id
          { text: 'twin a', vector: vectorOf(999, 24) },
          { text: 'twin b', vector: vectorOf(999, 24) },
        ],
      );
    }
    const visibilities: KnowledgeVisibility[] = [
      { userId: 'ana', threadId: 'thr_1', limit: 100 },
      { userId: 'ana', limit: 7 },
      { userId: 'bo', threadId: 'thr_1', limit: 30 },
      { userId: 'nobody', limit: 5 },
    ];
    for (const visibility of visibilities) {
      for (const query of [vectorOf(5000, 24), vectorOf(999, 24), vectorOf(7, 24), new Array(24).fill(0)]) {
        const found = await storage.searchKnowledgeVectors!(query, visibility);
        expect(found).toEqual(searchBySql(storage, query, visibility));
        expect(found.length).toBeGreaterThan(0);
      }
    }
  });

  it('another process’s add, replace and remove reach the vectors this one holds', async () => {
    const [reader, writer] = (await open(2)) as [SqliteStorage, SqliteStorage];
    const visibility = { userId: 'ana', limit: 10 };
    const texts = async (vector: number[]) =>
      (await reader.searchKnowledgeVectors!(vector, visibility)).map((passage) => passage.text);
    const put = (storage: SqliteStorage, id: string, chunks: Array<[string, number[]]>) =>
      storage.putKnowledgeDocument!(
        { id, title: id, mimeType: 'text/plain', bytes: 1, userId: 'ana' },
        chunks.map(([text, vector]) => ({ text, vector })),
      );
    await put(reader, 'kdoc_a', [['east', [1, 0, 0]]]);
    expect(await texts([1, 0, 0])).toEqual(['east']); // held in memory from here on
    await put(writer, 'kdoc_b', [['north', [0, 1, 0]]]);
    expect(await texts([0, 1, 0])).toEqual(['north', 'east']);
    await put(writer, 'kdoc_a', [
      ['up', [0, 0, 1]],
      ['north-east', [0.7, 0.7, 0]],
    ]);
    expect(await texts([0, 1, 0])).toEqual(['north', 'north-east', 'up']);
    await writer.deleteKnowledgeDocument!('kdoc_b');
    expect(await texts([0, 1, 0])).toEqual(['north-east', 'up']);
    // a document removed and another added under a new id at once
    await writer.deleteKnowledgeDocument!('kdoc_a');
    await put(writer, 'kdoc_c', [['west', [-1, 0, 0]]]);
    expect(await texts([0, 1, 0])).toEqual(['west']);
    // and the writer's own index follows the reader's writes
    expect((await writer.searchKnowledgeVectors!([1, 0, 0], visibility)).map((p) => p.text)).toEqual(['west']);
    await put(reader, 'kdoc_c', [['south', [0, -1, 0]]]);
    expect((await writer.searchKnowledgeVectors!([1, 0, 0], visibility)).map((p) => p.text)).toEqual(['south']);
  });

  it('every knowledge write moves the revision and stamps its document', async () => {
    const [storage] = (await open()) as [SqliteStorage];
    const db = storage.database;
    const revision = () => db.prepare('SELECT revision FROM dd_knowledge_revision').pluck().get() as number;
    const stamp = (id: string) =>
      db.prepare('SELECT revision FROM dd_knowledge_documents WHERE id = ?').pluck().get(id) as number | undefined;
    expect(revision()).toBe(0);
    await storage.putKnowledgeDocument!({ id: 'kdoc_x', title: 'x', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'one' },
    ]);
    expect([revision(), stamp('kdoc_x')]).toEqual([1, 1]);
    await storage.putKnowledgeDocument!({ id: 'kdoc_y', title: 'y', mimeType: 'text/plain', bytes: 1 }, []);
    await storage.putKnowledgeDocument!({ id: 'kdoc_x', title: 'x', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'two' },
    ]);
    expect([revision(), stamp('kdoc_x'), stamp('kdoc_y')]).toEqual([3, 3, 2]);
    await storage.addKnowledge!('legacy', ['a source without a document']);
    await storage.deleteKnowledge!('legacy');
    expect(revision()).toBe(5);
    expect(await storage.deleteKnowledgeDocument!('kdoc_x')).toBe(true);
    expect(await storage.deleteKnowledgeDocument!('kdoc_x')).toBe(false);
    expect([revision(), stamp('kdoc_x')]).toEqual([7, undefined]);
  });
});

describe('sqlite knowledge: word frequencies held in memory', () => {
  it('a word that another process made rare again is searched as rare (its cached frequency is dropped)', async () => {
    const [reader, writer] = (await open(2)) as [SqliteStorage, SqliteStorage];
    const visibility = { userId: 'ana', limit: 5 };
    await writer.putKnowledgeDocument!(
      { id: 'kdoc_bulk', title: 'bulk', mimeType: 'text/plain', bytes: 1 },
      Array.from({ length: 4500 }, (_, n) => ({ text: `lantern number ${n}` })),
    );
    // "lantern" is in 4,500 passages: left out of the ranking when a rarer word is asked with it
    expect(await reader.searchKnowledgeText!('lantern', visibility)).toHaveLength(5);
    await writer.deleteKnowledgeDocument!('kdoc_bulk');
    await writer.putKnowledgeDocument!({ id: 'kdoc_d', title: 'd', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'A lantern hangs by the door.' },
    ]);
    await writer.putKnowledgeDocument!({ id: 'kdoc_e', title: 'e', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'The ferryman waits.' },
    ]);
    // no passage holds both words: any word counts, and both are rare now
    const found = await reader.searchKnowledgeText!('lantern ferryman', visibility);
    expect(found.map((passage) => passage.documentId).sort()).toEqual(['kdoc_d', 'kdoc_e']);
  });

  it('in a large base, passages holding every word come first, ranked by the rarer words, and only the reader’s', async () => {
    const [storage] = (await open()) as [SqliteStorage];
    // two words in 13,000 passages each: weighing them costs FTS5 more than the budget
    await storage.putKnowledgeDocument!(
      { id: 'kdoc_bulk', title: 'bulk', mimeType: 'text/plain', bytes: 1 },
      Array.from({ length: 13_000 }, (_, n) => ({ text: `harbour master of town ${n}` })),
    );
    const put = (id: string, scope: { userId?: string; threadId?: string }, texts: string[]) =>
      storage.putKnowledgeDocument!(
        { id, title: id, mimeType: 'text/plain', bytes: 1, ...scope },
        texts.map((text) => ({ text })),
      );
    await put('kdoc_story', { userId: 'ana', threadId: 'thr_1' }, [
      'The harbour master of Saltmere is Odile.',
      'Saltmere: the harbour master, the harbour master’s boat, Saltmere again and Saltmere.',
      ...Array.from(
        { length: 5 },
        (_, n) => `Saltmere harbour master note ${n}, a longer passage with more words in it.`,
      ),
    ]);
    await put('kdoc_other_story', { userId: 'ana', threadId: 'thr_2' }, ['Saltmere harbour master, Saltmere!']);
    await put('kdoc_bob', { userId: 'bo' }, ['Saltmere Saltmere Saltmere harbour master']);
    const found = await storage.searchKnowledgeText!('harbour master saltmere', {
      userId: 'ana',
      threadId: 'thr_1',
      limit: 5,
    });
    expect(found.map((passage) => passage.documentId)).toEqual(Array(5).fill('kdoc_story'));
    // ordered as bm25 over the rare word orders the story's passages
    const bm25 = storage.database
      .prepare(
        `SELECT k.id FROM dd_knowledge_fts f JOIN dd_knowledge k ON k.rowid = f.rowid
           WHERE dd_knowledge_fts MATCH '"saltmere"' AND k.source = 'kdoc_story' ORDER BY f.rank LIMIT 5`,
      )
      .pluck()
      .all();
    expect(found.map((passage) => passage.chunkId)).toEqual(bm25);
    expect(found[0]!.chunkId).toBe('kdoc_story#1');
    for (let index = 1; index < found.length; index++)
      expect(found[index - 1]!.score).toBeGreaterThanOrEqual(found[index]!.score);
    // Bob sees one passage with every word: any word counts, and of the rarer word only his
    const bob = await storage.searchKnowledgeText!('harbour master saltmere', { userId: 'bo', limit: 5 });
    expect(bob.map((passage) => passage.documentId)).toEqual(['kdoc_bob']);
  });

  it('ranks the way FTS5 ranks the whole query while every word is rare', async () => {
    const [storage] = (await open()) as [SqliteStorage];
    await storage.putKnowledgeDocument!({ id: 'kdoc_r', title: 'r', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'The tide mill grinds amber.' },
      { text: 'Amber, amber everywhere: the amber coast.' },
      { text: 'A mill by the river.' },
      { text: 'The mill and the amber: amber by the mill.' },
    ]);
    const bm25 = (match: string) =>
      storage.database
        .prepare(
          `SELECT k.id FROM dd_knowledge_fts JOIN dd_knowledge k ON k.rowid = dd_knowledge_fts.rowid
             WHERE dd_knowledge_fts MATCH ? ORDER BY dd_knowledge_fts.rank`,
        )
        .pluck()
        .all(match);
    const search = async (query: string, limit: number) =>
      (await storage.searchKnowledgeText!(query, { userId: 'ana', limit })).map((passage) => passage.chunkId);
    // two passages hold both words: those, as bm25 orders them
    expect(await search('amber mill', 2)).toEqual(bm25('"amber" AND "mill"'));
    expect(await search('amber mill', 2)).toEqual(['kdoc_r#3', 'kdoc_r#0']);
    // fewer than asked for hold both: any word, as bm25 orders them
    expect(await search('amber river', 5)).toEqual(bm25('"amber" OR "river"'));
  });
});
