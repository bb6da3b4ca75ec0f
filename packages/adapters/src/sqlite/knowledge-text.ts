import { type KnowledgePassage, type KnowledgeVisibility, knowledgeLimit } from '@dreamdeck/core/adapter-kit';
import { searchTerms } from '../storage-shared/search-text.js';
import type { SqliteContext } from './sqlite-runner.js';

/** The SQL of "documents `d` the reader sees" (parameters: user id, thread id or null). */
export const VISIBLE = '(d.user_id IS NULL OR (d.user_id = ? AND (d.thread_id IS NULL OR d.thread_id = ?)))';
/** The parameters of {@link VISIBLE}. */
export const visibleParameters = (visibility: KnowledgeVisibility) => [visibility.userId, visibility.threadId ?? null];

/**
 * FTS5's bm25 weighs each word of a query by reading every passage that holds it (about 0.04 µs
 * per passage), then scores every passage the query matches (about 0.6 µs each) before any
 * `LIMIT`. A word in a quarter of 100,000 passages makes a ranked query cost milliseconds while
 * weighing little (ln 4 against ln 100,000 for a word in one passage). Two budgets keep a search
 * cheap whatever the words:
 *
 * - {@link WEIGH_BUDGET}: passages FTS5 may read to weigh the words of a ranked "every word" query;
 * - {@link ANY_BUDGET}: passages an "any word" query may match (summed over its words, the rarest
 *   first); commoner words are left out of it.
 */
export const WEIGH_BUDGET = 25_000;
/** See {@link WEIGH_BUDGET}. */
export const ANY_BUDGET = 1_000;
/** Passages holding every word that are looked at before ranking (more: FTS5 ranks them all). */
const EVERY_CANDIDATES = 200;
/** Candidates the "any word" ranking takes before the visibility join, per passage asked for. */
const ANY_CANDIDATES_PER_RESULT = 40;
/** Words whose passage count is remembered (until the knowledge base changes). */
const FREQUENCY_CACHE = 50_000;

const COLUMNS = 'd.id AS documentId, d.title, k.id AS chunkId, k.text';
const JOINED = 'JOIN dd_knowledge k ON k.rowid = f.rowid JOIN dd_knowledge_documents d ON d.id = k.source';
const quote = (terms: string[]) => terms.map((term) => `"${term}"`);
const sum = (counts: number[]) => counts.reduce((total, count) => total + count, 0);

/**
 * Full-text search over the knowledge documents a reader sees (FTS5, bm25), with each word's
 * passage count cached until `revision()` changes (any knowledge write, from any process).
 *
 * The passages the reader sees that hold every word are found first without ranking (an AND query
 * skips through the rarest word's few passages). When there are enough of them, FTS5 ranks them
 * by the whole query when weighing its words is cheap ({@link WEIGH_BUDGET}), else by the rarer
 * words alone. When fewer hold every word, any word counts: the passages holding any of the rarer
 * words ({@link ANY_BUDGET}) ranked by bm25, the best few hundred first (all of them only when too
 * few of those are visible).
 */
export function createSqliteKnowledgeText(
  { sql }: Pick<SqliteContext, 'sql'>,
  revision: () => number,
): (query: string, visibility: KnowledgeVisibility) => KnowledgePassage[] {
  const frequencies = new Map<string, number>();
  let cachedRevision = -1;
  /** The passages holding `term`, counted up to just past the larger budget. */
  const frequencyOf = (term: string): number => {
    let count = frequencies.get(term);
    if (count === undefined) {
      if (frequencies.size >= FREQUENCY_CACHE) frequencies.clear();
      count = sql('SELECT count(*) FROM (SELECT 1 FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ? LIMIT ?)')
        .pluck()
        .get(`"${term}"`, WEIGH_BUDGET + 1) as number;
      frequencies.set(term, count);
    }
    return count;
  };
  const ranked = (match: string, visibility: KnowledgeVisibility, limit: number, inner?: number) =>
    sql(
      `SELECT ${COLUMNS}, -f.rank AS score FROM
         (SELECT rowid, rank FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ?${inner ? ' ORDER BY rank LIMIT ?' : ''}) f
         ${JOINED} WHERE ${VISIBLE} ORDER BY f.rank LIMIT ?`,
    ).all(match, ...(inner ? [inner] : []), ...visibleParameters(visibility), limit) as KnowledgePassage[];
  /** `rowids` (visible passages) in the order bm25 over `terms` gives them (each holds every one of `terms`). */
  const orderBy = (terms: string[], rowids: number[], visibility: KnowledgeVisibility, limit: number) => {
    const rank = new Map<number, number>();
    for (const row of sql('SELECT rowid, rank FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ?').all(
      quote(terms).join(' OR '),
    ) as Array<{ rowid: number; rank: number }>)
      rank.set(row.rowid, row.rank);
    const order = (rowid: number) => rank.get(rowid) ?? 0;
    const top = [...rowids].sort((a, b) => order(a) - order(b) || a - b).slice(0, limit);
    const rows = sql(
      `SELECT ${COLUMNS}, k.rowid AS rowid FROM dd_knowledge k JOIN dd_knowledge_documents d ON d.id = k.source
         WHERE k.rowid IN (SELECT value FROM json_each(?)) AND ${VISIBLE}`,
    ).all(JSON.stringify(top), ...visibleParameters(visibility)) as Array<KnowledgePassage & { rowid: number }>;
    const byRowid = new Map(rows.map(({ rowid, ...passage }) => [rowid, passage]));
    return top.flatMap((rowid) => {
      const passage = byRowid.get(rowid);
      return passage ? [{ ...passage, score: -order(rowid) }] : [];
    });
  };

  return (query, visibility) => {
    const terms = [...new Set(searchTerms(query))];
    if (terms.length === 0) return [];
    const limit = knowledgeLimit(visibility);
    const now = revision();
    if (now !== cachedRevision) {
      frequencies.clear();
      cachedRevision = now;
    }
    const counts = terms.map(frequencyOf);
    const every = quote(terms).join(' AND ');
    // the rarer words: the rarest first, as many as the "any word" budget holds (at least one)
    const byCount = terms.map((term, index) => ({ term, count: counts[index] as number }));
    byCount.sort((a, b) => a.count - b.count);
    const rare: string[] = [];
    let matched = 0;
    for (const { term, count } of byCount) {
      if (rare.length > 0 && matched + count > ANY_BUDGET) break;
      rare.push(term);
      matched += count;
    }
    // a word in no passage: nothing holds every word (FTS5 would still open every word's list to find that out)
    const candidates = counts.includes(0)
      ? []
      : (sql(
          `SELECT f.rowid FROM (SELECT rowid FROM dd_knowledge_fts WHERE dd_knowledge_fts MATCH ?) f
             ${JOINED} WHERE ${VISIBLE} LIMIT ?`,
        )
          .pluck()
          .all(every, ...visibleParameters(visibility), EVERY_CANDIDATES + 1) as number[]);
    if (candidates.length >= limit || terms.length === 1) {
      if (candidates.length === 0) return [];
      // weighing every word is cheap, or many passages hold every word (only common words: FTS5 ranks them all)
      if (sum(counts) <= WEIGH_BUDGET || candidates.length > EVERY_CANDIDATES || matched > ANY_BUDGET)
        return ranked(every, visibility, limit);
      return orderBy(rare, candidates, visibility, limit);
    }
    const words = sum(counts) <= ANY_BUDGET ? terms : rare;
    const any = quote(words).join(' OR ');
    const inner = limit * ANY_CANDIDATES_PER_RESULT;
    // no more matches than the few hundred: one query
    if (sum(words.map((word) => counts[terms.indexOf(word)] as number)) <= inner) return ranked(any, visibility, limit);
    const best = ranked(any, visibility, limit, inner);
    return best.length >= limit ? best : ranked(any, visibility, limit);
  };
}
