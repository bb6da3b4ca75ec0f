import type { KnowledgeHit, KnowledgeStorage } from '@dreamdeck/core/adapter-kit';
import { searchTerms } from '../storage-shared/search-text.js';
import type { PostgresContext } from './postgres-runner.js';

/** Knowledge chunks on PostgreSQL (`dd_knowledge`, a generated `tsvector` with a GIN index, ranked by `ts_rank_cd`). */
export function createPostgresKnowledge({ s, query, run, withTransaction }: PostgresContext): KnowledgeStorage {
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
      run(async () => {
        await query(`DELETE FROM ${s}.dd_knowledge WHERE source = $1`, [source]);
      }),
  };
}
