import type { BaseStore } from '@langchain/langgraph-checkpoint';
import type { ExtractedFact, FactSource } from './extract-facts.js';
import { deleteMemory, newMemory, normalizeFact, readMemories, writeMemory } from './memory-book.js';
import type { MemoryRecord } from './memory-types.js';

/** Longest fact kept, in characters. */
export const MAX_FACT_LENGTH = 500;

/** What a merge changed. */
export interface MergeResult {
  /** New records. */
  created: MemoryRecord[];
  /** Records whose text changed (same subject, new fact). */
  updated: MemoryRecord[];
}

/** A subject as compared: `Sister`, `the sister` and `sister` are one subject. */
export function normalizeSubject(subject: string): string {
  return normalizeFact(subject)
    .replace(/^(the|a|an|player s|players|player) /, '')
    .trim();
}

/**
 * Merges extracted facts into a user's memories: a fact already known (same words, case and
 * punctuation aside) is skipped; a fact whose subject is known in the same story updates that
 * record's text instead of adding one; anything else is a new record. Preferences are `user`
 * memories (they follow the player), other facts belong to the thread. Past `maxRecords`, the
 * oldest extracted records are deleted.
 */
export async function mergeFacts(
  store: BaseStore,
  target: { userId: string; threadId: string; maxRecords: number },
  facts: ExtractedFact[],
  sources: FactSource[],
): Promise<MergeResult> {
  const result: MergeResult = { created: [], updated: [] };
  if (facts.length === 0) return result;
  const all = await readMemories(store, target.userId);
  const applies = (record: MemoryRecord) => record.scope === 'user' || record.threadId === target.threadId;
  const known = all.filter(applies);
  for (const fact of facts) {
    const text = fact.fact.trim().replace(/\s+/g, ' ').slice(0, MAX_FACT_LENGTH);
    const preference = fact.kind === 'preference';
    const subject = normalizeSubject(fact.subject);
    const key = preference && !subject.startsWith('preference') ? `preference ${subject}` : subject;
    const messageId = fact.message ? sources[fact.message - 1]?.messageId : undefined;
    if (known.some((record) => normalizeFact(record.text) === normalizeFact(text))) continue;
    const same = known.find((record) => record.subject !== undefined && normalizeSubject(record.subject) === key);
    if (same) {
      const changed: MemoryRecord = {
        ...same,
        text,
        updatedAt: new Date().toISOString(),
        ...(messageId && { messageId }),
      };
      await writeMemory(store, changed);
      known[known.indexOf(same)] = changed;
      result.updated.push(changed);
      continue;
    }
    const record = newMemory({
      userId: target.userId,
      scope: preference ? 'user' : 'thread',
      threadId: target.threadId,
      text,
      source: 'extracted',
      subject: key,
      ...(messageId && { messageId }),
    });
    await writeMemory(store, record);
    known.push(record);
    all.push(record);
    result.created.push(record);
  }
  await trimMemories(store, target.userId, all, target.maxRecords);
  return result;
}

/** Deletes the oldest extracted records while the user has more than `max`. */
async function trimMemories(store: BaseStore, userId: string, all: MemoryRecord[], max: number): Promise<void> {
  if (all.length <= max) return;
  const oldest = all
    .filter((record) => record.source === 'extracted')
    .sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0))
    .slice(0, all.length - max);
  for (const record of oldest) await deleteMemory(store, userId, record.id);
}
