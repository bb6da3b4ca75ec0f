import type { EmbeddingsInterface } from '@langchain/core/embeddings';

/** Options of {@link createHashEmbeddings}. */
export interface HashEmbeddingsOptions {
  /** Vector length (default 256). */
  dimensions?: number;
  /**
   * Groups of words that mean the same (`[['sea', 'ocean'], ['king', 'ruler']]`): each group
   * shares one feature, so a query finds a passage phrased in other words, as a real model would.
   */
  synonyms?: string[][];
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * Deterministic embeddings for tests and benchmarks, offline and instant: a hashed bag of word
 * stems (and of `synonyms` groups), L2-normalised. They exercise the vector machinery (storage,
 * cosine, rank fusion) but know no meaning beyond the synonyms given: use a real model
 * (`OpenAIEmbeddings`, `OllamaEmbeddings`) for real retrieval quality.
 */
export function createHashEmbeddings(options: HashEmbeddingsOptions = {}): EmbeddingsInterface {
  const dimensions = options.dimensions ?? 256;
  const groups = new Map<string, string>();
  for (const group of options.synonyms ?? []) for (const word of group) groups.set(word.toLowerCase(), group[0]!);
  const embed = (text: string): number[] => {
    const vector = new Array<number>(dimensions).fill(0);
    for (const raw of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (raw.length < 3) continue;
      const word = raw.length > 4 ? raw.replace(/(ing|ed|es|s)$/, '') : raw;
      const feature = groups.get(raw) ?? groups.get(word) ?? word;
      const slot = hash(feature);
      vector[slot % dimensions]! += slot & 0x80000000 ? -1 : 1;
    }
    const norm = Math.hypot(...vector);
    return norm === 0 ? vector : vector.map((value) => value / norm);
  };
  return {
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
  };
}
