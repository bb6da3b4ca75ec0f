import {
  type KnowledgeHit,
  type KnowledgePassage,
  type KnowledgeStorage,
  knowledgeLimit,
} from '@dreamdeck/core/adapter-kit';
import { type DocumentRow, toDocument } from '../storage-shared/knowledge-rows.js';
import { searchTerms } from '../storage-shared/search-text.js';
import { createPostgresKnowledgeText } from './knowledge-text.js';
import { createPostgresKnowledgeVectors, PASSAGE_COLUMNS, visible } from './knowledge-vectors.js';
import type { PostgresContext } from './postgres-runner.js';

const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

/**
 * Knowledge chunks on PostgreSQL (`dd_knowledge`, a generated `tsvector` with a GIN index, ranked
 * by `ts_rank_cd`). Vector search is exact cosine: with pgvector's `<=>` when the `vector`
 * extension is installed (it is created when the server offers it), else over the stored `real[]`
 * vectors held in memory (see `knowledge-vectors.ts`). Every write moves the knowledge revision
 * (`dd_knowledge_revision`) and stamps the written document with it, so every instance knows when
 * its vectors are stale.
 */
export function createPostgresKnowledge(context: PostgresContext): KnowledgeStorage {
  const { s, query, run, withTransaction } = context;
  const vectors = createPostgresKnowledgeVectors(context);
  const searchText = createPostgresKnowledgeText(context);
  /** Moves the revision (inside the writing transaction) and stamps `documentId` with it. */
  const written = (client: { query: (text: string, values: unknown[]) => Promise<unknown> }, documentId: string) =>
    client.query(
      `WITH moved AS (UPDATE ${s}.dd_knowledge_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision)
       UPDATE ${s}.dd_knowledge_documents SET revision = (SELECT revision FROM moved) WHERE id = $1`,
      [documentId],
    );
  let pgvector: Promise<boolean> | undefined;
  const detectPgvector = () => {
    pgvector ??= (async () => {
      const installed = await query(`SELECT 1 FROM pg_extension WHERE extname = 'vector'`);
      if (installed.length > 0) return true;
      const available = await query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
      if (available.length === 0) return false;
      // offered but not installed: install it when this role may, else stay on the exact SQL path
      return query('CREATE EXTENSION IF NOT EXISTS vector').then(
        () => true,
        () => false,
      );
    })();
    return pgvector;
  };
  return {
    addKnowledge: (source, chunks) =>
      run(() =>
        withTransaction(async (client) => {
          await client.query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [source]);
          if (chunks.length > 0) {
            await client.query(
              `INSERT INTO ${s}.dd_knowledge (id, source, position, text)
               SELECT $1 || '#' || (n - 1), $1, n - 1, t FROM unnest($2::text[]) WITH ORDINALITY AS u(t, n)`,
              [source, chunks],
            );
          }
          await written(client, source);
          return chunks.length;
        }),
      ),
    searchKnowledge: (text, options = {}) =>
      run(async () => {
        const terms = searchTerms(text);
        if (terms.length === 0) return [];
        const rows = await query<KnowledgeHit>(
          `SELECT id, source, ts_headline('english', text, q, 'StartSel="", StopSel="", MaxWords=35, MinWords=15') AS snippet,
             ts_rank_cd(tsv, q) AS score
           FROM ${s}.dd_knowledge, to_tsquery('english', $1) AS q WHERE tsv @@ q ORDER BY score DESC, id LIMIT $2`,
          [terms.join(' | '), Math.max(1, Math.trunc(options.limit ?? 5))],
        );
        return rows.map((row) => ({ ...row, score: Number(row.score) }));
      }),
    deleteKnowledge: (source) =>
      run(() =>
        withTransaction(async (client) => {
          await client.query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [source]);
          await written(client, source);
        }),
      ),
    putKnowledgeDocument: (document, chunks) =>
      run(() =>
        withTransaction(async (client) => {
          const { rows } = await client.query<DocumentRow>(
            `INSERT INTO ${s}.dd_knowledge_documents (id, user_id, thread_id, title, mime_type, bytes, chunk_count, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, now(), now())
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, mime_type = excluded.mime_type, bytes = excluded.bytes,
               chunk_count = excluded.chunk_count, updated_at = excluded.updated_at
             RETURNING *`,
            [
              document.id,
              document.userId ?? null,
              document.threadId ?? null,
              document.title,
              document.mimeType,
              document.bytes,
              chunks.length,
            ],
          );
          await client.query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [document.id]);
          if (chunks.length > 0) {
            // vectors travel as JSON (one parameter for every chunk's array), unpacked in SQL
            await client.query(
              `INSERT INTO ${s}.dd_knowledge (id, source, position, text, embedding, embedding_norm)
               SELECT $1 || '#' || (n - 1), $1, n - 1, t,
                 CASE WHEN v IS NULL OR v = 'null'::jsonb THEN NULL
                   ELSE ARRAY(SELECT jsonb_array_elements_text(v)::real) END,
                 nn
               FROM unnest($2::text[], $3::jsonb[], $4::real[]) WITH ORDINALITY AS u(t, v, nn, n)`,
              [
                document.id,
                chunks.map((chunk) => chunk.text),
                chunks.map((chunk) => JSON.stringify(chunk.vector ?? null)),
                chunks.map((chunk) => (chunk.vector ? norm(chunk.vector) : null)),
              ],
            );
          }
          await written(client, document.id);
          return toDocument(rows[0] as DocumentRow);
        }),
      ),
    getKnowledgeDocument: (id) =>
      run(async () => {
        const [row] = await query<DocumentRow>(`SELECT * FROM ${s}.dd_knowledge_documents WHERE id = $1`, [id]);
        return row ? toDocument(row) : null;
      }),
    listKnowledgeDocuments: (visibility) =>
      run(async () =>
        (
          await query<DocumentRow>(
            `SELECT * FROM ${s}.dd_knowledge_documents d WHERE ${visible(1)} ORDER BY updated_at DESC, id`,
            [visibility.userId, visibility.threadId ?? null],
          )
        ).map(toDocument),
      ),
    hasKnowledgeDocuments: (visibility) =>
      run(async () => {
        const [row] = await query<{ has: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM ${s}.dd_knowledge_documents d WHERE ${visible(1)}) AS has`,
          [visibility.userId, visibility.threadId ?? null],
        );
        return row?.has === true;
      }),
    deleteKnowledgeDocument: (id) =>
      run(() =>
        withTransaction(async (client) => {
          await client.query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [id]);
          await written(client, id);
          const result = await client.query(`DELETE FROM ${s}.dd_knowledge_documents WHERE id = $1`, [id]);
          return (result.rowCount ?? 0) > 0;
        }),
      ),
    getKnowledgeChunk: (chunkId) =>
      run(async () => {
        const [row] = await query<KnowledgePassage>(
          `SELECT ${PASSAGE_COLUMNS}, 0 AS score
             FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source WHERE k.id = $1`,
          [chunkId],
        );
        return row ?? null;
      }),
    searchKnowledgeText: (text, visibility) => run(() => searchText(text, visibility)),
    searchKnowledgeVectors: (vector, visibility) =>
      run(async () => {
        // without pgvector: exact cosine over the vectors held in memory
        if (!(await detectPgvector())) return vectors.search(vector, visibility);
        // pgvector's `<=>` is the cosine distance
        const rows = await query<KnowledgePassage>(
          `SELECT ${PASSAGE_COLUMNS}, 1 - (k.embedding::vector <=> $3::real[]::vector) AS score
             FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source
             WHERE k.embedding IS NOT NULL AND ${visible(1)}
             ORDER BY score DESC NULLS LAST, k.id LIMIT $4`,
          [visibility.userId, visibility.threadId ?? null, vector, knowledgeLimit(visibility)],
        );
        return rows.map((row) => ({ ...row, score: Number(row.score ?? 0) }));
      }),
  };
}
