import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import MiniSearch from 'minisearch';
import type { MemoryRecord } from './memory-types.js';

/** Words that carry no meaning for recall ("what is my sister called" searches `sister`, `called`). */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by did do does for from had has have he her him his how i if in into is it its ' +
    'me my mine no not of on or our she so that the their them then there they this to too was we were what ' +
    'when where which who whom why will with you your again still now tell remind know remember player players'
  ).split(' '),
);

/** A light stemmer so `carry`, `carries` and `carried` meet (recall is lexical when no embeddings are given). */
export function stem(word: string): string {
  let term = word.toLowerCase().replace(/['’]s$/, '');
  if (term.length <= 3) return term;
  if (term.endsWith('ies') || term.endsWith('ied')) term = `${term.slice(0, -3)}y`;
  else if (term.endsWith('ing') && term.length > 5) term = term.slice(0, -3);
  else if (term.endsWith('ed') && term.length > 4) term = term.slice(0, -2);
  else if (/(ches|shes|sses|xes|zes)$/.test(term)) term = term.slice(0, -2);
  else if (term.endsWith('s') && !term.endsWith('ss')) term = term.slice(0, -1);
  return term;
}

const processTerm = (term: string): string | null => {
  const lower = term.toLowerCase();
  return STOP_WORDS.has(lower) || lower.length < 2 ? null : stem(lower);
};

interface Indexed {
  fingerprint: string;
  index: MiniSearch<MemoryRecord>;
}

/** Built indexes per set of records (users play on; their memories rarely change between turns). */
const INDEX_CACHE_LIMIT = 500;
const indexes = new Map<string, Indexed>();

/** A BM25 index (MiniSearch's BM25+) over `records`, reused while they are unchanged. */
function indexOf(cacheKey: string, records: MemoryRecord[]): MiniSearch<MemoryRecord> {
  const fingerprint = records.map((record) => `${record.id}@${record.updatedAt}`).join(',');
  const cached = indexes.get(cacheKey);
  if (cached?.fingerprint === fingerprint) return cached.index;
  const index = new MiniSearch<MemoryRecord>({
    fields: ['text', 'subject'],
    storeFields: [],
    processTerm,
    searchOptions: { processTerm, prefix: (term) => term.length >= 4, fuzzy: (term) => (term.length >= 6 ? 0.2 : 0) },
  });
  index.addAll(records);
  indexes.delete(cacheKey);
  indexes.set(cacheKey, { fingerprint, index });
  if (indexes.size > INDEX_CACHE_LIMIT) indexes.delete(indexes.keys().next().value as string);
  return index;
}

/** Options for {@link rankMemories}. */
export interface RankOptions {
  /** Reuses the index built for the same key while the records are unchanged (for example the user and thread). */
  cacheKey?: string;
  /** Embeddings: rank by vectors too, fused with BM25 by reciprocal rank. */
  embeddings?: EmbeddingsInterface;
}

/**
 * `records` related to `query`, most relevant first; unrelated ones are left out. Lexical (BM25
 * over text and subject, with a light stemmer, prefix and fuzzy matching); with `embeddings` the
 * lexical ranking is fused with cosine similarity (reciprocal rank fusion), so a fact phrased in
 * other words is found too.
 */
export async function rankMemories(
  records: MemoryRecord[],
  query: string,
  options: RankOptions = {},
): Promise<MemoryRecord[]> {
  if (records.length === 0 || !query.trim()) return [];
  const byId = new Map(records.map((record) => [record.id, record]));
  const lexical = indexOf(options.cacheKey ?? '', records)
    .search(query.slice(0, 4000))
    .map((hit) => hit.id as string);
  if (!options.embeddings) return lexical.flatMap((id) => byId.get(id) ?? []);
  const semantic = await rankByVectors(records, query, options.embeddings);
  const fused = new Map<string, number>();
  const add = (ids: string[]) =>
    ids.forEach((id, rank) => {
      fused.set(id, (fused.get(id) ?? 0) + 1 / (60 + rank));
    });
  add(lexical);
  add(semantic);
  return [...fused.entries()].sort((a, b) => b[1] - a[1]).flatMap(([id]) => byId.get(id) ?? []);
}

/** Vectors of memory texts per embeddings model, by text (an embedding call per new fact, not per turn). */
const VECTOR_CACHE_LIMIT = 5000;
const vectorCaches = new WeakMap<EmbeddingsInterface, Map<string, number[]>>();

/** Record ids by cosine similarity to the query, the related half (similarity above 0). */
async function rankByVectors(records: MemoryRecord[], query: string, embeddings: EmbeddingsInterface) {
  let vectors = vectorCaches.get(embeddings);
  if (!vectors) {
    vectors = new Map();
    vectorCaches.set(embeddings, vectors);
  }
  const missing = [...new Set(records.map((record) => record.text).filter((text) => !vectors.has(text)))];
  if (missing.length) {
    const embedded = await embeddings.embedDocuments(missing);
    missing.forEach((text, i) => {
      if (embedded[i]) vectors?.set(text, embedded[i]);
    });
    while (vectors.size > VECTOR_CACHE_LIMIT) vectors.delete(vectors.keys().next().value as string);
  }
  const wanted = await embeddings.embedQuery(query.slice(0, 4000));
  return records
    .map((record) => ({ id: record.id, score: cosine(wanted, vectors.get(record.text) ?? []) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.id);
}

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += (a[i] as number) * (b[i] as number);
    normA += (a[i] as number) ** 2;
    normB += (b[i] as number) ** 2;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}
