import type { KnowledgePassage } from '../storage/domains/knowledge-storage.js';

/** The constant of reciprocal rank fusion (Cormack et al. use 60). */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each passage scores the sum of `1 / (RRF_K + rank)` over the rankings
 * it appears in (rank from 1), best first, at most `limit`.
 */
export function fuseByRank(rankings: KnowledgePassage[][], limit: number): KnowledgePassage[] {
  const fused = new Map<string, KnowledgePassage>();
  for (const ranking of rankings) {
    ranking.forEach((passage, index) => {
      const score = 1 / (RRF_K + index + 1);
      const seen = fused.get(passage.chunkId);
      fused.set(passage.chunkId, seen ? { ...seen, score: seen.score + score } : { ...passage, score });
    });
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId)).slice(0, limit);
}
