/** A knowledge chunk found by full-text search. */
export interface KnowledgeHit {
  /** The chunk's id (`<source>#<index>`). */
  id: string;
  /** The source document it belongs to. */
  source: string;
  /** The matching passage, trimmed around the match. */
  snippet: string;
  /** Higher is better. */
  score: number;
}

/** Knowledge documents with full-text search (capability `knowledge`). */
export interface KnowledgeStorage {
  /** Stores chunks of a source document, replacing any earlier chunks of the same source. */
  addKnowledge(source: string, chunks: string[]): Promise<number>;
  /** Full-text search over knowledge chunks, best first. */
  searchKnowledge(query: string, options?: { limit?: number }): Promise<KnowledgeHit[]>;
  /** Removes every chunk of a source. */
  deleteKnowledge(source: string): Promise<void>;
}

/** The methods of {@link KnowledgeStorage}. */
export const KNOWLEDGE_STORAGE_METHODS = [
  'addKnowledge',
  'searchKnowledge',
  'deleteKnowledge',
] as const satisfies ReadonlyArray<keyof KnowledgeStorage>;
