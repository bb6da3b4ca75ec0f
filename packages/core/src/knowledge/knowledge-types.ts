import type { KnowledgeDocument, KnowledgePassage } from '../storage/domains/knowledge-storage.js';

export type { KnowledgeDocument, KnowledgePassage } from '../storage/domains/knowledge-storage.js';

/** The file types the knowledge base reads. */
export type KnowledgeMimeType = 'text/plain' | 'text/markdown' | 'application/pdf';

/** A document to add to the knowledge base (`dd.knowledge.add`). */
export interface KnowledgeAddInput {
  /** The owner; omit for a global document every user sees (admin only over HTTP). */
  userId?: string;
  /** Only this story of `userId` sees the document. */
  threadId?: string;
  /** Shown with citations; re-adding the same title in the same scope replaces the document. */
  title: string;
  /** The file: text, or bytes (UTF-8 text or a PDF). */
  data: string | Uint8Array;
  /** `text/plain`, `text/markdown` or `application/pdf` (parameters such as `; charset=utf-8` are ignored). */
  mimeType: string;
}

/** What `dd.knowledge.add` resolves to. */
export interface KnowledgeAddResult {
  /** The stored document's id (stable per scope and title). */
  documentId: string;
  /** How many chunks it was split into. */
  chunks: number;
}

/** Progress of a document being added, for a progress bar. */
export interface KnowledgeProgress {
  /** What is being done: reading the file (PDF pages), splitting, embedding chunks, storing. */
  stage: 'reading' | 'splitting' | 'embedding' | 'storing';
  /** Units done in this stage (pages, chunks). */
  done: number;
  /** Units in this stage. */
  total: number;
}

/** Options of `dd.knowledge.add`. */
export interface KnowledgeAddOptions {
  /** Called as the document is read, split, embedded and stored. */
  onProgress?: (progress: KnowledgeProgress) => void;
  /** Stops the work (nothing is stored). */
  signal?: AbortSignal;
}

/** Who searches, and how many passages to return. */
export interface KnowledgeSearchOptions {
  /** The reader: global documents, theirs, and (with `threadId`) that story's. */
  userId: string;
  /** The story being played. */
  threadId?: string;
  /** At most this many passages (default 5, at most 100). */
  limit?: number;
}

/** A passage found by `dd.knowledge.search`. */
export type KnowledgeSearchResult = Pick<KnowledgePassage, 'documentId' | 'title' | 'chunkId' | 'text' | 'score'>;

/** The knowledge base (`dd.knowledge`): documents the GM draws on and cites. See docs/knowledge.md. */
export interface DreamdeckKnowledge {
  /**
   * Reads a `.txt`, `.md` or `.pdf` file, splits it into passages (markdown-aware), embeds them when
   * the engine has `embeddings`, and stores them in one transaction, replacing an earlier document
   * with the same title in the same scope. `INVALID_INPUT` names what is wrong with a bad file;
   * nothing is stored then.
   */
  add(input: KnowledgeAddInput, options?: KnowledgeAddOptions): Promise<KnowledgeAddResult>;
  /** The documents a reader sees (no `userId`: the global ones), newest first. */
  list(options?: { userId?: string; threadId?: string }): Promise<KnowledgeDocument[]>;
  /** One document, or `null`. */
  get(documentId: string): Promise<KnowledgeDocument | null>;
  /** Deletes a document and its passages; `false` when there was none. */
  remove(documentId: string): Promise<boolean>;
  /**
   * The passages best matching `query` among the documents the reader sees: full-text ranked
   * (bm25 / ts_rank), fused with vector similarity by reciprocal rank when the engine has `embeddings`.
   */
  search(query: string, options: KnowledgeSearchOptions): Promise<KnowledgeSearchResult[]>;
  /** One passage by chunk id, when the reader sees its document (else `null`). */
  passage(chunkId: string, options: Omit<KnowledgeSearchOptions, 'limit'>): Promise<KnowledgeSearchResult | null>;
}
