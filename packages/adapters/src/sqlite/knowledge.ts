import type { KnowledgeHit, KnowledgePassage, KnowledgeStorage } from '@dreamdeck/core/adapter-kit';
import { type DocumentRow, toDocument } from '../storage-shared/knowledge-rows.js';
import { searchTerms } from '../storage-shared/search-text.js';
import { createSqliteKnowledgeText, VISIBLE, visibleParameters } from './knowledge-text.js';
import { createSqliteKnowledgeVectors } from './knowledge-vectors.js';
import type { SqliteContext } from './sqlite-runner.js';

/** A vector as stored: little-endian float32. */
function vectorBlob(vector: number[]): Buffer {
  return Buffer.from(new Float32Array(vector).buffer);
}

/**
 * Knowledge chunks on SQLite (`dd_knowledge`, searched through the FTS5 table `dd_knowledge_fts`,
 * BM25-ranked; vectors by exact cosine from memory). Every write moves the knowledge revision
 * (`dd_knowledge_revision`) and stamps the written document with it, so searches in this and other
 * processes know when their cached word frequencies and vectors are stale.
 */
export function createSqliteKnowledge(context: SqliteContext): KnowledgeStorage {
  const { sql, run, withTransaction } = context;
  const revision = () =>
    (sql('SELECT revision FROM dd_knowledge_revision WHERE id = 1').pluck().get() as number | undefined) ?? 0;
  /** Moves the revision (inside the writing transaction) and stamps `documentId` with it. */
  const written = (documentId: string) => {
    const now = sql('UPDATE dd_knowledge_revision SET revision = revision + 1 WHERE id = 1 RETURNING revision')
      .pluck()
      .get() as number;
    sql('UPDATE dd_knowledge_documents SET revision = ? WHERE id = ?').run(now, documentId);
  };
  const searchText = createSqliteKnowledgeText(context, revision);
  const vectors = createSqliteKnowledgeVectors(context, revision);
  return {
    addKnowledge: (source, chunks) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
          const insert = sql('INSERT INTO dd_knowledge (id, source, position, text) VALUES (?, ?, ?, ?)');
          chunks.forEach((text, index) => {
            insert.run(`${source}#${index}`, source, index, text);
          });
          written(source);
          return chunks.length;
        }),
      ),
    searchKnowledge: (query, options = {}) =>
      run(() => {
        const terms = searchTerms(query);
        if (terms.length === 0) return [];
        const rows = sql(
          `SELECT k.id, k.source, snippet(dd_knowledge_fts, 0, '', '', '…', 24) AS snippet, -bm25(dd_knowledge_fts) AS score
             FROM dd_knowledge_fts JOIN dd_knowledge k ON k.rowid = dd_knowledge_fts.rowid
             WHERE dd_knowledge_fts MATCH ? ORDER BY bm25(dd_knowledge_fts) LIMIT ?`,
        ).all(terms.map((term) => `"${term}"`).join(' OR '), Math.max(1, Math.trunc(options.limit ?? 5)));
        return rows as KnowledgeHit[];
      }),
    deleteKnowledge: (source) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
          written(source);
        }),
      ),
    putKnowledgeDocument: (document, chunks) =>
      run(() =>
        withTransaction(() => {
          const now = new Date().toISOString();
          sql(
            `INSERT INTO dd_knowledge_documents (id, user_id, thread_id, title, mime_type, bytes, chunk_count, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, mime_type = excluded.mime_type, bytes = excluded.bytes,
               chunk_count = excluded.chunk_count, updated_at = excluded.updated_at`,
          ).run(
            document.id,
            document.userId ?? null,
            document.threadId ?? null,
            document.title,
            document.mimeType,
            document.bytes,
            chunks.length,
            now,
            now,
          );
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(document.id);
          const insert = sql('INSERT INTO dd_knowledge (id, source, position, text, embedding) VALUES (?, ?, ?, ?, ?)');
          chunks.forEach((chunk, index) => {
            insert.run(
              `${document.id}#${index}`,
              document.id,
              index,
              chunk.text,
              chunk.vector ? vectorBlob(chunk.vector) : null,
            );
          });
          written(document.id);
          return toDocument(sql('SELECT * FROM dd_knowledge_documents WHERE id = ?').get(document.id) as DocumentRow);
        }),
      ),
    getKnowledgeDocument: (id) =>
      run(() => {
        const row = sql('SELECT * FROM dd_knowledge_documents WHERE id = ?').get(id) as DocumentRow | undefined;
        return row ? toDocument(row) : null;
      }),
    listKnowledgeDocuments: (visibility) =>
      run(() =>
        (
          sql(`SELECT * FROM dd_knowledge_documents d WHERE ${VISIBLE} ORDER BY updated_at DESC, id`).all(
            ...visibleParameters(visibility),
          ) as DocumentRow[]
        ).map(toDocument),
      ),
    hasKnowledgeDocuments: (visibility) =>
      run(
        () =>
          sql(`SELECT EXISTS (SELECT 1 FROM dd_knowledge_documents d WHERE ${VISIBLE})`)
            .pluck()
            .get(...visibleParameters(visibility)) === 1,
      ),
    deleteKnowledgeDocument: (id) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(id);
          written(id);
          return sql('DELETE FROM dd_knowledge_documents WHERE id = ?').run(id).changes > 0;
        }),
      ),
    getKnowledgeChunk: (chunkId) =>
      run(() => {
        const row = sql(
          `SELECT d.id AS documentId, d.title, k.id AS chunkId, k.text, 0 AS score
             FROM dd_knowledge k JOIN dd_knowledge_documents d ON d.id = k.source WHERE k.id = ?`,
        ).get(chunkId) as KnowledgePassage | undefined;
        return row ?? null;
      }),
    searchKnowledgeText: (query, visibility) => run(() => searchText(query, visibility)),
    searchKnowledgeVectors: (vector, visibility) => run(() => vectors.search(vector, visibility)),
  };
}
