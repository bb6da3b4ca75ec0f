import {
  cosineSimilarity,
  type KnowledgeHit,
  type KnowledgePassage,
  type KnowledgeStorage,
  type KnowledgeVisibility,
  knowledgeLimit,
} from '@dreamdeck/core/adapter-kit';
import { type DocumentRow, toDocument } from '../storage-shared/knowledge-rows.js';
import { searchTerms } from '../storage-shared/search-text.js';
import type { SqliteContext } from './sqlite-runner.js';

/** The SQL of "documents `d` the reader sees" (parameters: user id, thread id or null). */
const VISIBLE = '(d.user_id IS NULL OR (d.user_id = ? AND (d.thread_id IS NULL OR d.thread_id = ?)))';
const visibleParameters = (visibility: KnowledgeVisibility) => [visibility.userId, visibility.threadId ?? null];

/** A vector as stored: little-endian float32. */
function vectorBlob(vector: number[]): Buffer {
  return Buffer.from(new Float32Array(vector).buffer);
}

/** Knowledge chunks on SQLite (`dd_knowledge`, searched through the FTS5 table `dd_knowledge_fts`, BM25-ranked). */
export function createSqliteKnowledge({ db, sql, run, withTransaction }: SqliteContext): KnowledgeStorage {
  // the query vector of the running vector search: better-sqlite3 runs a statement synchronously,
  // so the SQL function reads it without racing another search
  let queryVector: Float32Array = new Float32Array(0);
  let functionReady = false;
  const cosine = () => {
    if (functionReady) return;
    db.function('dd_knowledge_cosine', { deterministic: false }, (blob: unknown) => {
      if (!Buffer.isBuffer(blob)) return null;
      const stored = new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength / 4);
      return cosineSimilarity(stored, queryVector);
    });
    functionReady = true;
  };
  // the FTS index's term statistics (document counts), per connection
  let vocabularyReady = false;
  const vocabulary = () => {
    if (vocabularyReady) return;
    db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.dd_knowledge_vocab USING fts5vocab(main, dd_knowledge_fts, row)');
    vocabularyReady = true;
  };
  return {
    addKnowledge: (source, chunks) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
          const insert = sql('INSERT INTO dd_knowledge (id, source, position, text) VALUES (?, ?, ?, ?)');
          chunks.forEach((text, index) => {
            insert.run(`${source}#${index}`, source, index, text);
          });
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
      run(() => {
        sql('DELETE FROM dd_knowledge WHERE source = ?').run(source);
      }),
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
    deleteKnowledgeDocument: (id) =>
      run(() =>
        withTransaction(() => {
          sql('DELETE FROM dd_knowledge WHERE source = ?').run(id);
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
    searchKnowledgeText: (query, visibility) =>
      run(() => {
        const terms = [...new Set(searchTerms(query))];
        if (terms.length === 0) return [];
        const limit = knowledgeLimit(visibility);
        const quoted = terms.map((term) => `"${term}"`);
        const columns = 'd.id AS documentId, d.title, k.id AS chunkId, k.text';
        const joined = `JOIN dd_knowledge k ON k.rowid = f.rowid JOIN dd_knowledge_documents d ON d.id = k.source`;
        // passages holding every word first (fast even when a word is in most passages); else any
        // word, ranked among the best few hundred matches, and only when too few of those are
        // visible, among all of them
        const all = sql(
          `SELECT ${columns}, -f.rank AS score FROM (SELECT rowid, rank FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ?) f
             ${joined} WHERE ${VISIBLE} ORDER BY f.rank LIMIT ?`,
        ).all(quoted.join(' AND '), ...visibleParameters(visibility), limit) as KnowledgePassage[];
        if (all.length >= limit || terms.length === 1) return all;
        // a word found in most passages ranks nothing and makes the search read them all: leave
        // out the words in over a fifth of the passages of a large base (when a rarer one is left)
        vocabulary();
        const passages = Number((sql('SELECT max(rowid) AS n FROM dd_knowledge').get() as { n: number | null }).n ?? 0);
        const frequency = sql('SELECT doc FROM temp.dd_knowledge_vocab WHERE term = ?');
        const rare = quoted.filter((_, index) => {
          const row = frequency.get(terms[index]) as { doc: number } | undefined;
          return passages < 1000 || !row || row.doc <= passages / 5;
        });
        const any = (rare.length ? rare : quoted).join(' OR ');
        const best = sql(
          `SELECT ${columns}, -f.rank AS score FROM
             (SELECT rowid, rank FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ? ORDER BY rank LIMIT ?) f
             ${joined} WHERE ${VISIBLE} ORDER BY f.rank LIMIT ?`,
        ).all(any, limit * 40, ...visibleParameters(visibility), limit) as KnowledgePassage[];
        if (best.length >= limit) return best;
        return sql(
          `SELECT ${columns}, -f.rank AS score FROM (SELECT rowid, rank FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ?) f
             ${joined} WHERE ${VISIBLE} ORDER BY f.rank LIMIT ?`,
        ).all(any, ...visibleParameters(visibility), limit) as KnowledgePassage[];
      }),
    searchKnowledgeVectors: (vector, visibility) =>
      run(() => {
        cosine();
        queryVector = new Float32Array(vector);
        try {
          return sql(
            `SELECT d.id AS documentId, d.title, k.id AS chunkId, k.text, top.score FROM (
               SELECT k.rowid AS rowid, dd_knowledge_cosine(k.embedding) AS score
                 FROM dd_knowledge k JOIN dd_knowledge_documents d ON d.id = k.source
                 WHERE k.embedding IS NOT NULL AND ${VISIBLE} ORDER BY score DESC, k.id LIMIT ?) top
             JOIN dd_knowledge k ON k.rowid = top.rowid JOIN dd_knowledge_documents d ON d.id = k.source
             ORDER BY top.score DESC, k.id`,
          ).all(...visibleParameters(visibility), knowledgeLimit(visibility)) as KnowledgePassage[];
        } finally {
          queryVector = new Float32Array(0);
        }
      }),
  };
}
