import { createPostgresStorage, type PostgresStorage } from '@dreamdeck/adapters/postgres';
import type { KnowledgePassage, KnowledgeVisibility } from '@dreamdeck/core/adapter-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { createPostgresKnowledgeVectors } from '../src/postgres/knowledge-vectors.js';
import { dropSchema } from './support/postgres-inspector.js';

const postgres = await requirePostgres();
const schemas: string[] = [];
const storages: PostgresStorage[] = [];
afterAll(async () => {
  for (const storage of storages) await storage.close();
  if (postgres) for (const name of schemas) await dropSchema(POSTGRES_TEST_URL, name);
});

/** `count` instances on one fresh schema (as several servers share one database). */
async function instances(count: number): Promise<PostgresStorage[]> {
  const schema = uniqueSchema();
  schemas.push(schema);
  const opened = Array.from({ length: count }, () =>
    createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
  );
  for (const storage of opened) await storage.init();
  storages.push(...opened);
  return opened;
}

/** The in-memory exact cosine of an instance (the path taken when pgvector is absent), whatever the server offers. */
function heldVectors(storage: PostgresStorage) {
  const s = `"${storage.schema}"`;
  return createPostgresKnowledgeVectors({
    s,
    query: async <R extends object>(text: string, values?: unknown[]) =>
      (await storage.pool.query(text, values)).rows as R[],
  });
}

/** The exact cosine this adapter ran in SQL before vectors were held in memory. */
async function searchBySql(storage: PostgresStorage, vector: number[], visibility: KnowledgeVisibility) {
  const s = `"${storage.schema}"`;
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  const { rows } = await storage.pool.query<KnowledgePassage>(
    `SELECT d.id AS "documentId", d.title, k.id AS "chunkId", k.text,
       (SELECT sum(a::float8 * b) FROM unnest(k.embedding, $3::real[]) AS t(a, b)) / nullif(k.embedding_norm::float8 * $5, 0) AS score
       FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source
       WHERE k.embedding IS NOT NULL AND (d.user_id IS NULL OR (d.user_id = $1 AND (d.thread_id IS NULL OR d.thread_id = $2)))
       ORDER BY score DESC NULLS LAST, k.id LIMIT $4`,
    [visibility.userId, visibility.threadId ?? null, vector, visibility.limit ?? 5, norm],
  );
  return rows.map((row) => ({ ...row, score: Number(row.score ?? 0) }));
}

function vectorOf(seed: number, dimensions: number): number[] {
  let state = seed * 2654435761;
  return Array.from({ length: dimensions }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

describe.skipIf(!postgres)('postgres knowledge: vectors held in memory (no pgvector)', () => {
  it('returns what the exact cosine in SQL returned on the same fixture', async () => {
    const [storage] = (await instances(1)) as [PostgresStorage];
    const held = heldVectors(storage);
    const scopes = [{}, { userId: 'ana' }, { userId: 'ana', threadId: 'thr_1' }, { userId: 'bo' }];
    let seed = 1;
    for (const [index, scope] of scopes.entries()) {
      await storage.putKnowledgeDocument!(
        { id: `kdoc_${index}`, title: `Doc ${index}`, mimeType: 'text/plain', bytes: 1, ...scope },
        [
          ...Array.from({ length: 40 }, (_, n) => ({ text: `passage ${index}.${n}`, vector: vectorOf(seed++, 24) })),
          { text: 'no vector' },
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
      for (const query of [vectorOf(5000, 24), vectorOf(7, 24), vectorOf(8, 24)]) {
        const found = await held.search(query, visibility);
        const before = await searchBySql(storage, query, visibility);
        expect(found.map(({ score, ...passage }) => passage)).toEqual(before.map(({ score, ...passage }) => passage));
        found.forEach((passage, index) => {
          // the SQL stored each norm as real: equal to float32 precision
          expect(passage.score).toBeCloseTo(before[index]!.score, 6);
        });
      }
    }
  });

  it('another instance’s add, replace and remove reach the vectors this one holds', async () => {
    const [reader, writer] = (await instances(2)) as [PostgresStorage, PostgresStorage];
    const held = heldVectors(reader);
    const visibility = { userId: 'ana', threadId: 'thr_1', limit: 10 };
    const texts = async (vector: number[]) => (await held.search(vector, visibility)).map((passage) => passage.text);
    const put = (storage: PostgresStorage, id: string, chunks: Array<[string, number[]]>, threadId?: string) =>
      storage.putKnowledgeDocument!(
        { id, title: id, mimeType: 'text/plain', bytes: 1, userId: 'ana', ...(threadId && { threadId }) },
        chunks.map(([text, vector]) => ({ text, vector })),
      );
    await put(reader, 'kdoc_a', [['east', [1, 0, 0]]]);
    expect(await texts([1, 0, 0])).toEqual(['east']);
    expect(held.index.size).toBe(1);
    await put(writer, 'kdoc_b', [['north', [0, 1, 0]]], 'thr_1');
    await put(writer, 'kdoc_other_story', [['north too', [0, 1, 0]]], 'thr_2');
    expect(await texts([0, 1, 0])).toEqual(['north', 'east']);
    await put(writer, 'kdoc_a', [
      ['up', [0, 0, 1]],
      ['north-east', [0.7, 0.7, 0]],
    ]);
    expect(await texts([0, 1, 0])).toEqual(['north', 'north-east', 'up']);
    await writer.deleteKnowledgeDocument!('kdoc_b');
    expect(await texts([0, 1, 0])).toEqual(['north-east', 'up']);
    await writer.deleteKnowledgeDocument!('kdoc_a');
    expect(await texts([0, 1, 0])).toEqual([]);
    // searches running together share one reload
    await put(writer, 'kdoc_c', [['west', [-1, 0, 0]]]);
    const together = await Promise.all(Array.from({ length: 5 }, () => texts([-1, 0, 0])));
    expect(together).toEqual(Array.from({ length: 5 }, () => ['west']));
    // the held vectors: the other story's one and west
    expect(held.index.size).toBe(2);
  });

  it('searchKnowledgeVectors of the adapter sees every write of another instance', async () => {
    const [reader, writer] = (await instances(2)) as [PostgresStorage, PostgresStorage];
    const visibility = { userId: 'ana', limit: 5 };
    const texts = async () => (await reader.searchKnowledgeVectors!([1, 0], visibility)).map((p) => p.text);
    await writer.putKnowledgeDocument!({ id: 'kdoc_x', title: 'x', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'first', vector: [1, 0] },
    ]);
    expect(await texts()).toEqual(['first']);
    await writer.putKnowledgeDocument!({ id: 'kdoc_x', title: 'x', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'second', vector: [1, 0.1] },
    ]);
    expect(await texts()).toEqual(['second']);
    await writer.deleteKnowledgeDocument!('kdoc_x');
    expect(await texts()).toEqual([]);
    const { rows } = await reader.pool.query(`SELECT revision FROM "${reader.schema}".dd_knowledge_revision`);
    expect(rows).toEqual([{ revision: 3 }]);
  });
});

describe.skipIf(!postgres)('postgres knowledge: full text', () => {
  it('an "any word" search leaves out words in over a thousand passages, and counts them again after another instance’s write', async () => {
    const [reader, writer] = (await instances(2)) as [PostgresStorage, PostgresStorage];
    const visibility = { userId: 'ana', limit: 5 };
    const documents = async (text: string) =>
      (await reader.searchKnowledgeText!(text, visibility)).map((passage) => passage.documentId).sort();
    await writer.putKnowledgeDocument!(
      { id: 'kdoc_bulk', title: 'bulk', mimeType: 'text/plain', bytes: 1 },
      Array.from({ length: 1500 }, (_, n) => ({ text: `lantern number ${n}` })),
    );
    await writer.putKnowledgeDocument!({ id: 'kdoc_f', title: 'f', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'The ferryman waits.' },
    ]);
    // no passage holds both: "lantern" (1,500 passages) is left out of the any-word search
    expect(await documents('lantern ferryman')).toEqual(['kdoc_f']);
    expect(await documents('lantern')).toHaveLength(5);
    await writer.deleteKnowledgeDocument!('kdoc_bulk');
    await writer.putKnowledgeDocument!({ id: 'kdoc_d', title: 'd', mimeType: 'text/plain', bytes: 1 }, [
      { text: 'A lantern hangs by the door.' },
    ]);
    // both words are rare now: both count
    expect(await documents('lantern ferryman')).toEqual(['kdoc_d', 'kdoc_f']);
    // a word PostgreSQL drops as a stop word does not stand in for the rarer words
    expect(await documents('the ferryman')).toEqual(['kdoc_f']);
  });
});
