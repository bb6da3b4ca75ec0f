import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { describe, expect, it } from 'vitest';
import { newMemory } from './memory-book.js';
import { rankMemories, stem } from './memory-ranking.js';

const facts = [
  "The player's sister is called Lena.",
  'The player carries the lantern of Saint Bell.',
  'The player owes the smuggler Varo 30 gold crowns.',
  'The player fears the deep sea.',
].map((text) => newMemory({ userId: 'u', scope: 'user', text, source: 'extracted' }));

describe('memory ranking', () => {
  it('finds the fact a question is about with BM25, across word forms, and leaves out the unrelated', async () => {
    expect(stem('carries')).toBe(stem('carry'));
    expect(stem('carried')).toBe(stem('carry'));
    const top = async (query: string) => (await rankMemories(facts, query)).map((r) => r.text);
    expect((await top('What was my sister called?'))[0]).toBe("The player's sister is called Lena.");
    expect((await top('Am I still carrying that lantern?'))[0]).toBe('The player carries the lantern of Saint Bell.');
    expect((await top('How much do I owe Varo?'))[0]).toBe('The player owes the smuggler Varo 30 gold crowns.');
    expect(await top('What is the weather like?')).toEqual([]);
  });

  it('with embeddings, also finds a fact phrased in other words', async () => {
    // a tiny bag-of-concepts embedding: "ocean" and "sea" share a dimension
    const concepts = [/sea|ocean|water/, /sister|sibling/, /lantern|light/, /owe|debt/];
    const embed = (text: string) => concepts.map((c) => (c.test(text.toLowerCase()) ? 1 : 0));
    const embeddings: EmbeddingsInterface = {
      embedDocuments: async (texts) => texts.map(embed),
      embedQuery: async (text) => embed(text),
    };
    const lexical = await rankMemories(facts, 'Am I afraid of the ocean?');
    expect(lexical).toEqual([]);
    const semantic = await rankMemories(facts, 'Am I afraid of the ocean?', { embeddings });
    expect(semantic[0]?.text).toBe('The player fears the deep sea.');
  });
});
