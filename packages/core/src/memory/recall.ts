import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { BaseStore } from '@langchain/langgraph-checkpoint';
import { readMemories } from './memory-book.js';
import { rankMemories } from './memory-ranking.js';
import type { MemoryRecord } from './memory-types.js';

/** What a turn recalls for. */
export interface RecallRequest {
  userId: string;
  threadId: string;
  /** What the player just wrote (and any tool lines). */
  query: string;
  /** Most records (config `memory.recallLimit`). */
  limit: number;
  /** Ranks by vectors too when given. */
  embeddings?: EmbeddingsInterface | undefined;
}

/** A subject that holds one of the player's stated preferences ("no gore"): recalled on every turn. */
export const isPreference = (record: MemoryRecord) => record.subject?.startsWith('preference') === true;

/**
 * The memories a turn's prompt holds, most important first: the player's stated preferences
 * (they apply to every reply), then the records most relevant to `query` (BM25 over the user's
 * records, fused with vectors when `embeddings` is given), then the most recently updated, up to
 * `limit`. Only the user's `user` memories and this thread's are candidates.
 */
export async function recallMemories(store: BaseStore, request: RecallRequest): Promise<MemoryRecord[]> {
  if (request.limit <= 0) return [];
  const records = await readMemories(store, request.userId, request.threadId);
  if (records.length === 0) return [];
  const chosen = new Map<string, MemoryRecord>();
  const add = (record: MemoryRecord) => {
    if (chosen.size < request.limit) chosen.set(record.id, record);
  };
  records.filter(isPreference).forEach(add);
  const ranked = await rankMemories(records, request.query, {
    cacheKey: `${request.userId}\u0000${request.threadId}`,
    ...(request.embeddings && { embeddings: request.embeddings }),
  });
  ranked.forEach(add);
  // newest first (readMemories' order)
  records.forEach(add);
  return [...chosen.values()];
}
