import { task } from '@langchain/langgraph';
import type { TurnContext } from '../turn-context.js';

/** A knowledge-base lookup for a user. */
export interface KnowledgeInput {
  userId: string;
  query: string;
}

/**
 * The `lookup-knowledge` task: the top passages for `query` as `Lore:` lines for the narration;
 * none when `knowledge` is off for the user or the storage has no knowledge search.
 */
export function createKnowledgeTask(context: TurnContext) {
  return task('lookup-knowledge', async (input: KnowledgeInput): Promise<string[]> => {
    const { storage } = context;
    if (!storage.searchKnowledge || !(await context.flags.isEnabled('knowledge', { userId: input.userId }))) return [];
    const hits = await storage.searchKnowledge(input.query, { limit: 3 });
    return hits.map((hit) => `Lore: ${hit.snippet} (source: ${hit.source})`);
  });
}
