import type { FeatureFlags } from '../flags/feature-flags.js';
import type { PromptSlots, SlotEntry, SlotRequest } from '../memory/prompt-assembly.js';
import { type KnowledgeDeps, searchKnowledgeBase } from './dreamdeck-knowledge.js';

/** Passages the `knowledge` section asks for (the section's token budget keeps those that fit). */
export const KNOWLEDGE_PASSAGES = 4;
/** Characters of each recent message added to the query. */
const RECENT_CHARS = 400;

/** The query a turn retrieves passages for: the player's words, then the last two messages of the window. */
export function knowledgeQuery(request: Pick<SlotRequest, 'text' | 'recent'>): string {
  const recent = request.recent.slice(-2).map((message) => message.content.slice(0, RECENT_CHARS));
  return [request.text, ...recent].join('\n');
}

/** A passage as one prompt line: its number, its title and its text on one line. */
export function passageLine(index: number, title: string, text: string): string {
  return `[${index + 1}] ${title}: ${text.replace(/\s+/g, ' ').trim()}`;
}

/**
 * The filler of the prompt's `knowledge` section: when `knowledge` is on for the player and they
 * see any document, the passages best matching the input and recent context among the documents the player sees in
 * this story, numbered, each with the `citation` the narration will carry.
 */
export function createKnowledgeSlots(deps: KnowledgeDeps & { flags: FeatureFlags }): PromptSlots {
  return {
    knowledge: async (request): Promise<SlotEntry[]> => {
      const { storage } = deps;
      if (!storage.capabilities.knowledge || !storage.searchKnowledgeText) return [];
      if (!(await deps.flags.isEnabled('knowledge', { userId: request.userId }))) return [];
      const visibility = { userId: request.userId, threadId: request.threadId, limit: KNOWLEDGE_PASSAGES };
      // a player who sees no document costs one cheap query, not a search
      if (storage.hasKnowledgeDocuments && !(await storage.hasKnowledgeDocuments(visibility))) return [];
      const passages = await searchKnowledgeBase(deps, knowledgeQuery(request), visibility);
      return passages.map((passage, index) => ({
        text: passageLine(index, passage.title, passage.text),
        citation: { type: 'citation', documentId: passage.documentId, title: passage.title, chunkId: passage.chunkId },
      }));
    },
  };
}
