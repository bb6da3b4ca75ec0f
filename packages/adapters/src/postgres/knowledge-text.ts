import { type KnowledgePassage, type KnowledgeVisibility, knowledgeLimit } from '@dreamdeck/core/adapter-kit';
import { searchTerms } from '../storage-shared/search-text.js';
import { PASSAGE_COLUMNS, visible } from './knowledge-vectors.js';
import type { PostgresContext } from './postgres-runner.js';

/**
 * Passages an "any word" query may match, summed over its words, the rarest first: commoner words
 * are left out of it. `ts_rank_cd` scores every passage a query matches before `LIMIT`, so a word
 * in most passages made an "any word" search read the whole base (the query of a turn holds the
 * last two messages: half a second at 10,000 passages).
 */
export const ANY_BUDGET = 1_000;
/** Words whose passage count is remembered (until the knowledge base changes). */
const FREQUENCY_CACHE = 50_000;

/**
 * Full-text search over the knowledge documents a reader sees (`tsvector`, `ts_rank_cd`): the
 * passages holding every word first; when fewer than asked for do, any of the rarer words (within
 * {@link ANY_BUDGET}, all of them when every word is rare). Each word's passage count is cached until
 * the knowledge revision moves (a write from any instance); the revision is read with the counts of
 * the words not cached yet, in one query.
 */
export function createPostgresKnowledgeText({
  s,
  query,
}: Pick<PostgresContext, 's' | 'query'>): (
  text: string,
  visibility: KnowledgeVisibility,
) => Promise<KnowledgePassage[]> {
  const frequencies = new Map<string, number>();
  let cachedRevision = -1;
  /** The revision and the passage count of each word (up to just past the budget; -1 for a stop word). */
  const count = async (terms: string[]) => {
    const [row] = await query<{ revision: number; counts: Record<string, number> | null }>(
      `SELECT (SELECT revision FROM ${s}.dd_knowledge_revision WHERE id = 1) AS revision,
         (SELECT json_object_agg(t, CASE WHEN numnode(to_tsquery('english', t)) = 0 THEN -1 ELSE
            (SELECT count(*) FROM (SELECT 1 FROM ${s}.dd_knowledge k WHERE k.tsv @@ to_tsquery('english', t) LIMIT $2) c)
          END) FROM unnest($1::text[]) AS t) AS counts`,
      [terms, ANY_BUDGET + 1],
    );
    return { revision: Number(row?.revision ?? 0), counts: row?.counts ?? {} };
  };
  const frequenciesOf = async (terms: string[]): Promise<number[]> => {
    const cached = terms.filter((term) => frequencies.has(term));
    const counted = await count(terms.filter((term) => !frequencies.has(term)));
    if (counted.revision !== cachedRevision) {
      // the base changed since the cached counts were taken: those are counted again
      frequencies.clear();
      cachedRevision = counted.revision;
      if (cached.length) Object.assign(counted.counts, (await count(cached)).counts);
    }
    if (frequencies.size + terms.length > FREQUENCY_CACHE) frequencies.clear();
    for (const [term, n] of Object.entries(counted.counts)) frequencies.set(term, Number(n));
    return terms.map((term) => frequencies.get(term) ?? 0);
  };
  const search = async (expression: string, visibility: KnowledgeVisibility, limit: number) =>
    (
      await query<KnowledgePassage>(
        `SELECT ${PASSAGE_COLUMNS}, ts_rank_cd(k.tsv, q) AS score
           FROM ${s}.dd_knowledge k JOIN ${s}.dd_knowledge_documents d ON d.id = k.source,
             to_tsquery('english', $1) AS q
           WHERE k.tsv @@ q AND ${visible(2)}
           ORDER BY score DESC, k.id LIMIT $4`,
        [expression, visibility.userId, visibility.threadId ?? null, limit],
      )
    ).map((row) => ({ ...row, score: Number(row.score) }));

  return async (text, visibility) => {
    const words = [...new Set(searchTerms(text))];
    if (words.length === 0) return [];
    const limit = knowledgeLimit(visibility);
    const counted = await frequenciesOf(words);
    // PostgreSQL's English stop words (counted -1) are no part of a query
    const terms = words.filter((_, index) => (counted[index] as number) >= 0);
    const counts = counted.filter((count) => count >= 0);
    if (terms.length === 0) return [];
    // passages holding every word first (the GIN index intersects the words' lists); a word in no
    // passage: none does, and the intersection is not worth reading
    const all = counts.includes(0) ? [] : await search(terms.join(' & '), visibility, limit);
    if (all.length >= limit || terms.length === 1) return all;
    // any word: the rarer ones, the rarest first, as many as the budget holds (at least one found in a passage)
    const byCount = terms.map((term, index) => ({ term, count: counts[index] as number }));
    byCount.sort((a, b) => a.count - b.count);
    const any: string[] = [];
    let matched = 0;
    for (const { term, count } of byCount) {
      if (matched > 0 && matched + count > ANY_BUDGET) break;
      any.push(term);
      matched += count;
    }
    return matched === 0 ? [] : search(any.join(' | '), visibility, limit);
  };
}
