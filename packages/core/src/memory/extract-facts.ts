import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { z } from 'zod';
import type { PromptMessage } from './context-window.js';
import type { MemoryRecord } from './memory-types.js';
import { transcriptLine } from './summarize-story.js';

/** The kinds of facts worth keeping. `preference` facts follow the player into every story. */
export const FACT_KINDS = ['name', 'place', 'relationship', 'inventory', 'preference', 'other'] as const;

/** The structured output fact extraction is asked for. */
export const factsSchema = z.object({
  facts: z
    .array(
      z.object({
        subject: z
          .string()
          .describe(
            'What the fact is about, a few words ("name", "sister", "carries: lantern"); reuse a known subject to update it.',
          ),
        fact: z.string().describe('The fact as one short sentence about the player or the story.'),
        kind: z
          .enum(FACT_KINDS)
          .describe('name, place, relationship, inventory, preference (how the player wants the story told) or other.'),
        message: z.number().int().optional().describe('The number of the message the fact comes from.'),
      }),
    )
    .describe('New or changed facts only; an empty list when there are none.'),
});

/** The name fact extraction's structured output goes by (the demo model answers it by this name). */
export const FACTS_TOOL = 'extract_memories';

/** A fact the model found. */
export type ExtractedFact = z.infer<typeof factsSchema>['facts'][number];

/** Messages to read for facts, numbered from 1, each with the id of the stored message. */
export interface FactSource extends PromptMessage {
  messageId: string;
}

/**
 * Asks the model, with structured output, for the facts worth remembering in `messages`: names,
 * places, relationships, inventory, and the player's stated preferences; `known` memories are
 * listed so it reuses their subjects for changed facts instead of adding new ones. Rejects when
 * the model fails; answers that do not fit the schema are dropped.
 */
export async function extractFacts(
  model: BaseChatModel,
  request: { known: MemoryRecord[]; messages: FactSource[]; signal?: AbortSignal },
): Promise<ExtractedFact[]> {
  const extractor = model.withStructuredOutput(factsSchema, { name: FACTS_TOOL });
  const known = request.known
    .slice(0, 60)
    .map((record) => `- [${record.subject ?? 'fact'}] ${record.text}`)
    .join('\n');
  const answer = factsSchema.safeParse(
    await extractor.invoke(
      [
        {
          role: 'system',
          content:
            'You keep the memory of a story game master. From the new messages, list facts worth remembering for later turns: names (the player character, relatives, companions, foes), places, relationships, what the player carries or owes, what they fear, promises, and the player\'s stated preferences about the story (for example "no gore"). Write each as one short sentence in the third person ("The player\'s sister is called Lena."). Leave out passing scenery and facts already known unless they changed.',
        },
        {
          role: 'user',
          content: `Known facts:\n${known || '(none)'}\n\nNew messages:\n${request.messages
            .map((message, i) => `[${i + 1}] ${transcriptLine(message)}`)
            .join('\n')}`,
        },
      ],
      request.signal ? { signal: request.signal } : {},
    ),
  );
  return answer.success ? answer.data.facts.filter((fact) => fact.fact.trim() && fact.subject.trim()) : [];
}
