import { cosineSimilarity } from '@dreamdeck/core/adapter-kit';

/** One stored passage vector, as a storage reads it. */
export interface StoredVector {
  /** The chunk's id (`<documentId>#<index>`). */
  chunkId: string;
  /** The vector (float32, any length). */
  vector: ArrayLike<number>;
}

/** A scored chunk of {@link VectorIndex.search}. */
export interface VectorMatch {
  chunkId: string;
  documentId: string;
  /** Cosine similarity, computed as `cosineSimilarity` computes it (float64 over the float32 values). */
  score: number;
}

/**
 * The dot product of `q` with the row of `data` starting at `start`, summed in index order in
 * float64 (as `cosineSimilarity` sums it, so the scores are the same to the last bit), four
 * products per loop turn.
 */
function dot(data: Float32Array, start: number, q: Float32Array): number {
  const length = q.length;
  const end = length - (length % 4);
  let sum = 0;
  let at = start;
  let index = 0;
  for (; index < end; index += 4, at += 4) {
    sum += (data[at] as number) * (q[index] as number);
    sum += (data[at + 1] as number) * (q[index + 1] as number);
    sum += (data[at + 2] as number) * (q[index + 2] as number);
    sum += (data[at + 3] as number) * (q[index + 3] as number);
  }
  for (; index < length; index++, at++) sum += (data[at] as number) * (q[index] as number);
  return sum;
}

/** One document's vectors: one Float32Array, a row per chunk. */
interface DocumentVectors {
  revision: number;
  chunkIds: string[];
  data: Float32Array;
  /** Where each row starts in `data` (one more entry than rows). */
  offsets: Uint32Array;
  /** The squared norm of each row (float64, summed in order, as `cosineSimilarity` sums it). */
  squaredNorms: Float64Array;
}

/**
 * The stored passage vectors of a knowledge base, in memory, so that exact cosine search reads
 * Float32 rows instead of deserialising every stored vector per query. Kept per document, each with
 * the storage's revision of that document: a storage reloads a document whose revision moved and
 * drops one that is gone (see `syncVectorIndex`). Holds no SQL and no visibility rule: the storage
 * passes the ids of the documents the reader sees, found in SQL.
 */
export class VectorIndex {
  /** The storage-wide knowledge revision the index was last brought up to (-1: never). */
  revision = -1;
  readonly #documents = new Map<string, DocumentVectors>();

  /** The revision of a document as held (`undefined`: not held). */
  revisionOf(documentId: string): number | undefined {
    return this.#documents.get(documentId)?.revision;
  }

  /** The ids of the documents held. */
  documentIds(): string[] {
    return [...this.#documents.keys()];
  }

  /** Holds a document's vectors (replacing what was held for it). */
  set(documentId: string, revision: number, vectors: StoredVector[]): void {
    const offsets = new Uint32Array(vectors.length + 1);
    vectors.forEach((row, index) => {
      offsets[index + 1] = (offsets[index] as number) + row.vector.length;
    });
    const data = new Float32Array(offsets[vectors.length] as number);
    const squaredNorms = new Float64Array(vectors.length);
    vectors.forEach((row, index) => {
      const start = offsets[index] as number;
      data.set(row.vector, start);
      let sum = 0;
      for (let at = start; at < start + row.vector.length; at++) sum += (data[at] as number) * (data[at] as number);
      squaredNorms[index] = sum;
    });
    this.#documents.set(documentId, {
      revision,
      chunkIds: vectors.map((row) => row.chunkId),
      data,
      offsets,
      squaredNorms,
    });
  }

  /** Forgets a document. */
  delete(documentId: string): void {
    this.#documents.delete(documentId);
  }

  /** Forgets everything. */
  clear(): void {
    this.#documents.clear();
    this.revision = -1;
  }

  /** Vectors held, for a size estimate. */
  get size(): number {
    let rows = 0;
    for (const document of this.#documents.values()) rows += document.chunkIds.length;
    return rows;
  }

  /**
   * The `limit` chunks of `documentIds` most similar to `query` by exact cosine, best first (ties by
   * chunk id), with the scores `cosineSimilarity(stored, query)` gives.
   */
  search(query: ArrayLike<number>, documentIds: Iterable<string>, limit: number): VectorMatch[] {
    const q = Float32Array.from(query);
    let queryNorm = 0;
    for (let index = 0; index < q.length; index++) queryNorm += (q[index] as number) * (q[index] as number);
    // the best `limit` so far, worst first
    const top: VectorMatch[] = [];
    const worse = (a: VectorMatch, b: VectorMatch) =>
      a.score < b.score || (a.score === b.score && a.chunkId > b.chunkId);
    const offer = (match: VectorMatch) => {
      if (top.length === limit && !worse(top[0] as VectorMatch, match)) return;
      if (top.length === limit) top.shift();
      let at = 0;
      while (at < top.length && worse(top[at] as VectorMatch, match)) at++;
      top.splice(at, 0, match);
    };
    for (const documentId of documentIds) {
      const document = this.#documents.get(documentId);
      if (!document) continue;
      const { data, offsets, squaredNorms, chunkIds } = document;
      for (let row = 0; row < chunkIds.length; row++) {
        const start = offsets[row] as number;
        const length = (offsets[row + 1] as number) - start;
        let score: number;
        if (length === q.length) {
          const normA = squaredNorms[row] as number;
          score = normA === 0 || queryNorm === 0 ? 0 : dot(data, start, q) / Math.sqrt(normA * queryNorm);
        } else {
          // another dimension (the embedding model changed): compared over the shorter, as cosineSimilarity does
          score = cosineSimilarity(data.subarray(start, start + length), q);
        }
        if (top.length < limit || score >= (top[0] as VectorMatch).score)
          offer({ chunkId: chunkIds[row] as string, documentId, score });
      }
    }
    return top.reverse();
  }
}

/** A document as a storage lists it for {@link staleDocuments}: its id and revision. */
export interface ListedDocument {
  id: string;
  revision: number;
}

/** A stored vector with its document and that document's revision, read in one statement. */
export interface LoadedVector extends StoredVector {
  documentId: string;
  revision: number;
}

/**
 * The first step of bringing `index` up to a storage's state: forgets the documents no longer
 * listed and returns the ids of those whose revision moved (or that are new), to load.
 */
export function staleDocuments(index: VectorIndex, listed: ListedDocument[]): string[] {
  const present = new Set(listed.map((document) => document.id));
  for (const id of index.documentIds()) if (!present.has(id)) index.delete(id);
  return listed.filter((document) => index.revisionOf(document.id) !== document.revision).map(({ id }) => id);
}

/**
 * The second step: holds the vectors loaded for the stale documents (a document without vectors
 * is held empty, at its listed revision), and records the storage-wide `revision` read before the
 * listing (so a write after it is found by the next check).
 */
export function applyLoaded(
  index: VectorIndex,
  revision: number,
  listed: ListedDocument[],
  stale: string[],
  loaded: LoadedVector[],
): void {
  const rows = new Map<string, LoadedVector[]>(stale.map((id) => [id, []]));
  for (const row of loaded) rows.get(row.documentId)?.push(row);
  const listedRevision = new Map(listed.map((document) => [document.id, document.revision]));
  for (const [id, vectors] of rows) index.set(id, vectors[0]?.revision ?? (listedRevision.get(id) as number), vectors);
  index.revision = revision;
}
