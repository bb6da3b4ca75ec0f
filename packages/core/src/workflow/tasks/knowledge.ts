import { task } from '@langchain/langgraph';
import { searchKnowledgeBase } from '../../knowledge/dreamdeck-knowledge.js';
import { KNOWLEDGE_PASSAGES } from '../../knowledge/knowledge-slots.js';
import type { TurnContext } from '../turn-context.js';

/** A knowledge-base lookup for a player in a story (`/lore`). */
export interface KnowledgeInput {
  userId: string;
  threadId: string;
  query: string;
}

/** What a lookup found: whether the knowledge base is on for the player, and how many passages match. */
export interface KnowledgeLookup {
  enabled: boolean;
  passages: number;
}

/**
 * The `lookup-knowledge` task: whether the documents the player sees in this story hold passages
 * for `query` (only documents of the player, of this story, or global ones). The narration that
 * follows brings the passages in through its `knowledge` prompt section and cites them.
 */
export function createKnowledgeTask(context: TurnContext) {
  return task('lookup-knowledge', async (input: KnowledgeInput): Promise<KnowledgeLookup> => {
    const { storage } = context;
    const enabled =
      storage.capabilities.knowledge &&
      typeof storage.searchKnowledgeText === 'function' &&
      (await context.flags.isEnabled('knowledge', { userId: input.userId }));
    if (!enabled) return { enabled: false, passages: 0 };
    const passages = await searchKnowledgeBase(context, input.query, {
      userId: input.userId,
      threadId: input.threadId,
      limit: KNOWLEDGE_PASSAGES,
    });
    return { enabled: true, passages: passages.length };
  });
}
