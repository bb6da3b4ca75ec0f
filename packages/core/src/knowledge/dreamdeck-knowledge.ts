import { createHash } from 'node:crypto';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { eng, removeStopwords } from 'stopword';
import { DreamdeckError } from '../errors.js';
import type { KnowledgeChunkInput, KnowledgeVisibility } from '../storage/domains/knowledge-storage.js';
import { knowledgeLimit, knowledgeVisible } from '../storage/knowledge-rules.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { DreamdeckKnowledge, KnowledgeSearchOptions, KnowledgeSearchResult } from './knowledge-types.js';
import { fuseByRank } from './rank-fusion.js';
import { knowledgeMimeType, readDocument } from './read-document.js';
import { splitDocument } from './split-document.js';

/** What the knowledge base needs from the engine. */
export interface KnowledgeDeps {
  storage: StorageAdapter;
  /** When given, passages are embedded and search is hybrid. */
  embeddings?: EmbeddingsInterface | undefined;
}

/** Chunks embedded per `embedDocuments` call. */
const EMBED_BATCH = 64;
/** Candidates each ranking contributes to a hybrid search, per passage asked for. */
const CANDIDATES_PER_RESULT = 4;

const invalid = (message: string) => new DreamdeckError('INVALID_INPUT', message);

/** The id of a document: stable per scope and title, so adding it again replaces it. */
export function knowledgeDocumentId(scope: { userId?: string; threadId?: string }, title: string): string {
  const key = `${scope.userId ?? ''}\u0000${scope.threadId ?? ''}\u0000${title}`;
  return `kdoc_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

function requireKnowledge(
  storage: StorageAdapter,
): Required<Pick<StorageAdapter, 'putKnowledgeDocument'>> & StorageAdapter {
  if (!storage.capabilities.knowledge || !storage.putKnowledgeDocument)
    throw new DreamdeckError('FEATURE_DISABLED', `The storage "${storage.name}" has no knowledge base.`);
  return storage as Required<Pick<StorageAdapter, 'putKnowledgeDocument'>> & StorageAdapter;
}

function checkId(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 200 || /[\u0000-\u001f]/.test(value))
    throw invalid(`${what} must be a non-empty string of at most 200 characters.`);
  return value;
}

function checkTitle(value: unknown): string {
  if (typeof value !== 'string') throw invalid('A document needs a title.');
  const title = value.replace(/\s+/g, ' ').trim();
  if (!title) throw invalid('A document needs a title.');
  if (title.length > 200) throw invalid('A document title is at most 200 characters.');
  if (/[\u0000-\u001f\u007f]/.test(title)) throw invalid('A document title cannot hold control characters.');
  return title;
}

/**
 * The passages best matching `query` that `visibility` sees: full text, fused with vector
 * similarity by reciprocal rank when `embeddings` is given. The one search of the knowledge base:
 * `dd.knowledge.search`, the turn's `knowledge` section and `/lore` all use it.
 */
export async function searchKnowledgeBase(
  deps: KnowledgeDeps,
  query: string,
  visibility: KnowledgeVisibility,
): Promise<KnowledgeSearchResult[]> {
  const { storage, embeddings } = deps;
  if (!storage.searchKnowledgeText || typeof query !== 'string' || !query.trim()) return [];
  const limit = knowledgeLimit(visibility);
  // words such as "what", "the", "is" match every document: a query of only those finds nothing
  const words = removeStopwords(
    query
      .slice(0, 2000)
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean),
    eng,
  );
  if (words.length === 0) return [];
  const text = words.join(' ');
  if (!embeddings || !storage.searchKnowledgeVectors) {
    return storage.searchKnowledgeText(text, { ...visibility, limit });
  }
  const candidates = { ...visibility, limit: Math.min(100, limit * CANDIDATES_PER_RESULT) };
  const [lexical, vector] = await Promise.all([
    storage.searchKnowledgeText(text, candidates),
    embeddings
      .embedQuery(query.slice(0, 2000))
      .then((embedded) => storage.searchKnowledgeVectors!(embedded, candidates)),
  ]);
  return fuseByRank([lexical, vector], limit);
}

/** Creates `dd.knowledge` over the storage's knowledge domain. */
export function createDreamdeckKnowledge(deps: KnowledgeDeps): DreamdeckKnowledge {
  const { storage, embeddings } = deps;
  const visibilityOf = (options: { userId?: string; threadId?: string }): KnowledgeVisibility =>
    options.userId === undefined
      ? // nobody: only global documents (no stored document has this owner)
        { userId: '\u0000' }
      : { userId: checkId(options.userId, 'userId'), ...(options.threadId && { threadId: options.threadId }) };

  return {
    async add(input, options = {}) {
      const store = requireKnowledge(storage);
      if (!input || typeof input !== 'object') throw invalid('add() needs { title, data, mimeType }.');
      const title = checkTitle(input.title);
      const type = knowledgeMimeType(input.mimeType);
      if (input.threadId !== undefined && input.userId === undefined)
        throw invalid('A story’s document needs the userId of the story’s player.');
      const userId = input.userId === undefined ? undefined : checkId(input.userId, 'userId');
      const threadId = input.threadId === undefined ? undefined : checkId(input.threadId, 'threadId');
      if (threadId) {
        const thread = await storage.getThread(threadId);
        if (!thread || thread.userId !== userId) throw new DreamdeckError('NOT_FOUND', 'That story does not exist.');
      }
      const { onProgress, signal } = options;
      const text = await readDocument(input.data, type, { onProgress, signal });
      const bytes = typeof input.data === 'string' ? Buffer.byteLength(input.data) : input.data.byteLength;
      const pieces = await splitDocument(text, type);
      onProgress?.({ stage: 'splitting', done: pieces.length, total: pieces.length });
      const chunks: KnowledgeChunkInput[] = pieces.map((piece) => ({ text: piece }));
      if (embeddings) {
        for (let start = 0; start < pieces.length; start += EMBED_BATCH) {
          signal?.throwIfAborted();
          const vectors = await embeddings.embedDocuments(pieces.slice(start, start + EMBED_BATCH));
          vectors.forEach((vector, index) => {
            (chunks[start + index] as KnowledgeChunkInput).vector = vector;
          });
          onProgress?.({
            stage: 'embedding',
            done: Math.min(pieces.length, start + EMBED_BATCH),
            total: pieces.length,
          });
        }
      }
      signal?.throwIfAborted();
      onProgress?.({ stage: 'storing', done: 0, total: chunks.length });
      const document = await store.putKnowledgeDocument(
        {
          id: knowledgeDocumentId({ ...(userId && { userId }), ...(threadId && { threadId }) }, title),
          title,
          mimeType: type,
          bytes,
          ...(userId && { userId }),
          ...(threadId && { threadId }),
        },
        chunks,
      );
      onProgress?.({ stage: 'storing', done: chunks.length, total: chunks.length });
      return { documentId: document.id, chunks: document.chunks };
    },
    async list(options = {}) {
      if (!storage.listKnowledgeDocuments) return [];
      return storage.listKnowledgeDocuments(visibilityOf(options));
    },
    async get(documentId) {
      if (!storage.getKnowledgeDocument || typeof documentId !== 'string') return null;
      return storage.getKnowledgeDocument(documentId);
    },
    async remove(documentId) {
      if (!storage.deleteKnowledgeDocument || typeof documentId !== 'string') return false;
      return storage.deleteKnowledgeDocument(documentId);
    },
    async search(query, options: KnowledgeSearchOptions) {
      if (typeof query !== 'string') throw invalid('search() needs a query string.');
      const visibility = visibilityOf(options ?? {});
      return searchKnowledgeBase(deps, query, { ...visibility, ...(options?.limit && { limit: options.limit }) });
    },
    async passage(chunkId, options) {
      if (!storage.getKnowledgeChunk || typeof chunkId !== 'string') return null;
      const visibility = visibilityOf(options ?? {});
      const passage = await storage.getKnowledgeChunk(chunkId);
      if (!passage) return null;
      const document = await storage.getKnowledgeDocument?.(passage.documentId);
      return document && knowledgeVisible(document, visibility) ? passage : null;
    },
  };
}
