import type { KnowledgeDocument, KnowledgeVisibility } from './domains/knowledge-storage.js';

/**
 * Whether a reader sees a document: global documents always; a user's documents only that user,
 * and a story's documents only in that story. Every adapter filters by the same rule.
 */
export function knowledgeVisible(
  document: Pick<KnowledgeDocument, 'userId' | 'threadId'>,
  visibility: KnowledgeVisibility,
): boolean {
  if (document.userId === undefined) return true;
  if (document.userId !== visibility.userId) return false;
  return document.threadId === undefined || document.threadId === visibility.threadId;
}

/** Cosine similarity of two vectors of the same length (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** A search's result count: `limit` clamped to 1–100 (default 5). */
export function knowledgeLimit(visibility: KnowledgeVisibility): number {
  return Math.min(100, Math.max(1, Math.trunc(visibility.limit ?? 5)));
}
