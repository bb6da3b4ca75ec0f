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

/**
 * A stored knowledge document. No `userId`: global (every user sees it); `userId` alone: that
 * user's; `userId` and `threadId`: that user's, in that story only.
 */
export interface KnowledgeDocument {
  /** Stable per scope and title: re-adding the same title in the same scope replaces the document. */
  id: string;
  /** The title the document was added under. */
  title: string;
  /** `text/plain`, `text/markdown` or `application/pdf`. */
  mimeType: string;
  /** The owner; absent for a global document. */
  userId?: string;
  /** The story it belongs to; absent for a global or user-wide document. */
  threadId?: string;
  /** How many chunks it was split into. */
  chunks: number;
  /** Size of the added file in bytes. */
  bytes: number;
  /** ISO time it was first added. */
  createdAt: string;
  /** ISO time it was last replaced. */
  updatedAt: string;
}

/** One chunk of a document to store: its text and, with embeddings, its vector. */
export interface KnowledgeChunkInput {
  /** The passage. */
  text: string;
  /** Its embedding (any dimension; every chunk of one engine uses the same). */
  vector?: number[];
}

/**
 * Which documents a reader sees: global ones, the user's own user-wide ones, and, with
 * `threadId`, the user's documents of that story. Another user's or another story's never.
 */
export interface KnowledgeVisibility {
  /** The reader. */
  userId: string;
  /** The story being read from; without it, no story's documents are visible. */
  threadId?: string;
  /** At most this many results (default 5). */
  limit?: number;
}

/** A passage found in the knowledge base. */
export interface KnowledgePassage {
  /** The document it comes from. */
  documentId: string;
  /** That document's title. */
  title: string;
  /** The chunk (`<documentId>#<index>`). */
  chunkId: string;
  /** The whole chunk. */
  text: string;
  /** Higher is better (bm25 / ts_rank for text, cosine for vectors, fused for hybrid). */
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
  /**
   * Stores a document and its chunks in one transaction, replacing the chunks of an earlier
   * document with the same id (its `createdAt` is kept). Returns the stored document.
   */
  putKnowledgeDocument(
    document: Omit<KnowledgeDocument, 'chunks' | 'createdAt' | 'updatedAt'>,
    chunks: KnowledgeChunkInput[],
  ): Promise<KnowledgeDocument>;
  /** One document, or `null`. */
  getKnowledgeDocument(id: string): Promise<KnowledgeDocument | null>;
  /** The documents `visibility` sees (its `limit` ignored), newest first. */
  listKnowledgeDocuments(visibility: KnowledgeVisibility): Promise<KnowledgeDocument[]>;
  /**
   * Whether `visibility` sees any document: one cheap query a turn asks before it searches, so a
   * player with no documents costs no search.
   */
  hasKnowledgeDocuments(visibility: KnowledgeVisibility): Promise<boolean>;
  /** Deletes a document and all its chunks; `false` when there was none. */
  deleteKnowledgeDocument(id: string): Promise<boolean>;
  /** One chunk of a document (score 0), or `null`. */
  getKnowledgeChunk(chunkId: string): Promise<KnowledgePassage | null>;
  /** Full-text search over the chunks of the documents `visibility` sees, best first. */
  searchKnowledgeText(query: string, visibility: KnowledgeVisibility): Promise<KnowledgePassage[]>;
  /** Exact cosine similarity of stored chunk vectors to `vector`, over the documents `visibility` sees, best first. */
  searchKnowledgeVectors(vector: number[], visibility: KnowledgeVisibility): Promise<KnowledgePassage[]>;
}

/** The methods of {@link KnowledgeStorage}. */
export const KNOWLEDGE_STORAGE_METHODS = [
  'addKnowledge',
  'searchKnowledge',
  'deleteKnowledge',
  'putKnowledgeDocument',
  'getKnowledgeDocument',
  'listKnowledgeDocuments',
  'hasKnowledgeDocuments',
  'deleteKnowledgeDocument',
  'getKnowledgeChunk',
  'searchKnowledgeText',
  'searchKnowledgeVectors',
] as const satisfies ReadonlyArray<keyof KnowledgeStorage>;
