import type { KnowledgeHit, KnowledgeStorage } from '../domains/knowledge-storage.js';
import type { MemoryStorageRaw } from './memory-raw.js';

/** Splits text into lowercase search terms. */
export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 1);
}

/** Cuts a snippet of about `width` characters around the first term found in `text`. */
export function snippetAround(text: string, terms: string[], width = 200): string {
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), text.length));
  const start = Math.max(0, at - Math.floor(width / 3));
  const piece = text.slice(start, start + width).trim();
  return `${start > 0 ? '…' : ''}${piece}${start + width < text.length ? '…' : ''}`;
}

/** Knowledge chunks in memory, searched by term counts (a small stand-in for BM25). */
export function createMemoryKnowledge(raw: MemoryStorageRaw): KnowledgeStorage {
  return {
    async addKnowledge(source, chunks) {
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== source);
      chunks.forEach((text, index) => {
        raw.knowledge.push({ id: `${source}#${index}`, source, text });
      });
      return chunks.length;
    },
    async searchKnowledge(query, options = {}) {
      const terms = searchTerms(query);
      if (terms.length === 0) return [];
      const hits: KnowledgeHit[] = [];
      for (const chunk of raw.knowledge) {
        const words = searchTerms(chunk.text);
        let score = 0;
        for (const term of terms) score += words.filter((w) => w === term).length;
        if (score > 0) {
          hits.push({
            id: chunk.id,
            source: chunk.source,
            snippet: snippetAround(chunk.text, terms),
            score: score / Math.sqrt(words.length),
          });
        }
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
    },
    async deleteKnowledge(source) {
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== source);
    },
  };
}
