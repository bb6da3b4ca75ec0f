import { type KnowledgePassage, type KnowledgeVisibility, knowledgeLimit } from '@dreamdeck/core/adapter-kit';
import {
  applyLoaded,
  type ListedDocument,
  type LoadedVector,
  staleDocuments,
  VectorIndex,
} from '../storage-shared/vector-index.js';
import type { PostgresContext } from './postgres-runner.js';

/** "Documents `d` the reader sees", with the user id and thread id at parameters `$n` and `$n+1`. */
export const visible = (n: number) =>
  `(d.user_id IS NULL OR (d.user_id = $${n} AND (d.thread_id IS NULL OR d.thread_id = $${n + 1})))`;

/** The passage columns of a chunk `k` of a document `d`. */
export const PASSAGE_COLUMNS = `d.id AS "documentId", d.title, k.id AS "chunkId", k.text`;

/**
 * Exact cosine search over the stored passage vectors on PostgreSQL without pgvector. The vectors
 * are read once into memory (a {@link VectorIndex}, loaded at the first vector search) and kept in
 * step through the knowledge revision: each search reads it together with the reader's documents
 * (one query), and when it moved (a write from any instance) reloads only the documents whose
 * revision moved and forgets removed ones. The passages are read back with the visibility rule.
 */
export function createPostgresKnowledgeVectors({ s, query }: Pick<PostgresContext, 's' | 'query'>): {
  search: (vector: number[], visibility: KnowledgeVisibility) => Promise<KnowledgePassage[]>;
  index: VectorIndex;
} {
  const index = new VectorIndex();
  let syncing: Promise<void> | undefined;
  const sync = async () => {
    const [state] = await query<{ revision: number; documents: ListedDocument[] }>(
      `SELECT (SELECT revision FROM ${s}.dd_knowledge_revision WHERE id = 1) AS revision,
         (SELECT coalesce(json_agg(json_build_object('id', id, 'revision', revision)), '[]'::json)
            FROM ${s}.dd_knowledge_documents) AS documents`,
    );
    const revision = Number(state?.revision ?? 0);
    const listed = state?.documents ?? [];
    const stale = staleDocuments(index, listed);
    const loaded = stale.length
      ? await query<LoadedVector>(
          `SELECT k.source AS "documentId", d.revision, k.id AS "chunkId", k.embedding AS vector
             FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source
             WHERE k.source = ANY($1) AND k.embedding IS NOT NULL
             ORDER BY k.source, k.position`,
          [stale],
        )
      : [];
    applyLoaded(index, revision, listed, stale, loaded);
  };
  /** Brings the index up to at least `revision` (one reload at a time; concurrent searches share it). */
  const upTo = async (revision: number) => {
    while (index.revision < revision) {
      syncing ??= sync().finally(() => {
        syncing = undefined;
      });
      await syncing;
    }
  };
  return {
    index,
    search: async (vector, visibility) => {
      const [state] = await query<{ revision: number; visible: string[] }>(
        `SELECT (SELECT revision FROM ${s}.dd_knowledge_revision WHERE id = 1) AS revision,
           ARRAY(SELECT d.id FROM ${s}.dd_knowledge_documents d WHERE ${visible(1)}) AS visible`,
        [visibility.userId, visibility.threadId ?? null],
      );
      const revision = Number(state?.revision ?? 0);
      // a revision below the index's: the schema was emptied and made again
      if (index.revision > revision) index.clear();
      if (index.revision !== revision) await upTo(revision);
      const matches = index.search(vector, state?.visible ?? [], knowledgeLimit(visibility));
      if (matches.length === 0) return [];
      const passages = await query<Omit<KnowledgePassage, 'score'>>(
        `SELECT ${PASSAGE_COLUMNS} FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source
           WHERE k.id = ANY($3) AND ${visible(1)}`,
        [visibility.userId, visibility.threadId ?? null, matches.map((match) => match.chunkId)],
      );
      const byId = new Map(passages.map((passage) => [passage.chunkId, passage]));
      return matches.flatMap((match) => {
        const passage = byId.get(match.chunkId);
        return passage ? [{ ...passage, score: match.score }] : [];
      });
    },
  };
}
