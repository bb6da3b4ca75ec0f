import type { KnowledgeHit, KnowledgePassage, KnowledgeStorage } from '../domains/knowledge-storage.js';
import { cosineSimilarity, knowledgeLimit, knowledgeVisible } from '../knowledge-rules.js';
import { clone, type MemoryStorageRaw } from './memory-raw.js';

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
  /** The visible chunks that `score` scores (undefined: not a hit), best first. */
  const rank = (
    visibility: Parameters<KnowledgeStorage['searchKnowledgeText']>[1],
    score: (text: string, vector: number[] | undefined) => number | undefined,
  ): KnowledgePassage[] => {
    const passages: KnowledgePassage[] = [];
    for (const chunk of raw.knowledge) {
      const document = raw.knowledgeDocuments.get(chunk.source);
      if (!document || !knowledgeVisible(document, visibility)) continue;
      const value = score(chunk.text, chunk.vector);
      if (value === undefined) continue;
      passages.push({
        documentId: document.id,
        title: document.title,
        chunkId: chunk.id,
        text: chunk.text,
        score: value,
      });
    }
    return passages
      .sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId))
      .slice(0, knowledgeLimit(visibility));
  };
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
    async putKnowledgeDocument(document, chunks) {
      const now = new Date().toISOString();
      const stored = {
        ...clone(document),
        chunks: chunks.length,
        createdAt: raw.knowledgeDocuments.get(document.id)?.createdAt ?? now,
        updatedAt: now,
      };
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== document.id);
      chunks.forEach((chunk, index) => {
        raw.knowledge.push({
          id: `${document.id}#${index}`,
          source: document.id,
          text: chunk.text,
          ...(chunk.vector && { vector: [...chunk.vector] }),
        });
      });
      raw.knowledgeDocuments.set(document.id, stored);
      return clone(stored);
    },
    async getKnowledgeDocument(id) {
      const document = raw.knowledgeDocuments.get(id);
      return document ? clone(document) : null;
    },
    async listKnowledgeDocuments(visibility) {
      return [...raw.knowledgeDocuments.values()]
        .filter((document) => knowledgeVisible(document, visibility))
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id))
        .map(clone);
    },
    async hasKnowledgeDocuments(visibility) {
      for (const document of raw.knowledgeDocuments.values()) if (knowledgeVisible(document, visibility)) return true;
      return false;
    },
    async deleteKnowledgeDocument(id) {
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== id);
      return raw.knowledgeDocuments.delete(id);
    },
    async getKnowledgeChunk(chunkId) {
      const chunk = raw.knowledge.find((candidate) => candidate.id === chunkId);
      const document = chunk && raw.knowledgeDocuments.get(chunk.source);
      if (!chunk || !document) return null;
      return { documentId: document.id, title: document.title, chunkId, text: chunk.text, score: 0 };
    },
    async searchKnowledgeText(query, visibility) {
      const terms = searchTerms(query);
      if (terms.length === 0) return [];
      return rank(visibility, (text) => {
        const words = searchTerms(text);
        let score = 0;
        for (const term of terms) score += words.filter((w) => w === term).length;
        return score > 0 ? score / Math.sqrt(words.length) : undefined;
      });
    },
    async searchKnowledgeVectors(vector, visibility) {
      return rank(visibility, (_text, stored) => (stored ? cosineSimilarity(vector, stored) : undefined));
    },
  };
}
