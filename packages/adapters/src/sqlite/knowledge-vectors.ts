import { type KnowledgePassage, type KnowledgeVisibility, knowledgeLimit } from '@dreamdeck/core/adapter-kit';
import { type ListedDocument, staleDocuments, VectorIndex } from '../storage-shared/vector-index.js';
import { VISIBLE, visibleParameters } from './knowledge-text.js';
import type { SqliteContext } from './sqlite-runner.js';

/** A stored vector blob (little-endian float32) as a Float32Array, copied when it is not 4-byte aligned. */
function floats(blob: Buffer): Float32Array {
  const aligned = blob.byteOffset % 4 === 0 ? blob : Buffer.from(blob);
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

/**
 * Exact cosine search over the stored passage vectors on SQLite. The vectors are read once into
 * memory (a {@link VectorIndex}, loaded at the first vector search) and kept in step through the
 * knowledge revision: each search reads it (one row), and when it moved (a write from this or
 * another process) reloads only the documents whose revision moved and forgets removed ones. The
 * reader's documents are found in SQL, and the passages read back with the same visibility rule.
 */
export function createSqliteKnowledgeVectors(
  { db, sql }: Pick<SqliteContext, 'db' | 'sql'>,
  revision: () => number,
): { search: (vector: number[], visibility: KnowledgeVisibility) => KnowledgePassage[]; index: VectorIndex } {
  const index = new VectorIndex();
  // runs inside the search's read transaction: the listing and the vectors are of one snapshot
  const sync = () => {
    const now = revision();
    if (now === index.revision) return;
    const listed = sql('SELECT id, revision FROM dd_knowledge_documents').all() as ListedDocument[];
    const stale = new Set(staleDocuments(index, listed));
    // per document, along the (source, position) index: no sort of the blobs, one document's rows at a time
    const load = sql(
      'SELECT id, embedding FROM dd_knowledge WHERE source = ? AND embedding IS NOT NULL ORDER BY position',
    ).raw();
    for (const document of listed) {
      if (!stale.has(document.id)) continue;
      const rows = load.all(document.id) as Array<[string, Buffer]>;
      index.set(
        document.id,
        document.revision,
        rows.map(([chunkId, embedding]) => ({ chunkId, vector: floats(embedding) })),
      );
    }
    index.revision = now;
  };
  // one read snapshot: the revision, the index's reload, the reader's documents and the passages
  const search = db.transaction((vector: number[], visibility: KnowledgeVisibility): KnowledgePassage[] => {
    sync();
    const visible = sql(`SELECT d.id FROM dd_knowledge_documents d WHERE ${VISIBLE}`)
      .pluck()
      .all(...visibleParameters(visibility)) as string[];
    const matches = index.search(vector, visible, knowledgeLimit(visibility));
    if (matches.length === 0) return [];
    const passages = sql(
      `SELECT d.id AS documentId, d.title, k.id AS chunkId, k.text
         FROM dd_knowledge k JOIN dd_knowledge_documents d ON d.id = k.source
         WHERE k.id IN (SELECT value FROM json_each(?)) AND ${VISIBLE}`,
    ).all(JSON.stringify(matches.map((match) => match.chunkId)), ...visibleParameters(visibility)) as Array<
      Omit<KnowledgePassage, 'score'>
    >;
    const byId = new Map(passages.map((passage) => [passage.chunkId, passage]));
    return matches.flatMap((match) => {
      const passage = byId.get(match.chunkId);
      return passage ? [{ ...passage, score: match.score }] : [];
    });
  });
  return { search: (vector, visibility) => search.deferred(vector, visibility), index };
}
