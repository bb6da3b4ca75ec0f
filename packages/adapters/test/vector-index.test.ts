import { cosineSimilarity } from '@dreamdeck/core/adapter-kit';
import { describe, expect, it } from 'vitest';
import { applyLoaded, staleDocuments, VectorIndex } from '../src/storage-shared/vector-index.js';

function vectorOf(seed: number, dimensions: number): number[] {
  let state = seed * 2654435761;
  return Array.from({ length: dimensions }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  });
}

describe('VectorIndex', () => {
  it('finds the top chunks of the given documents with cosineSimilarity’s scores, ties by chunk id', () => {
    const index = new VectorIndex();
    const rows = (document: string, count: number, seed: number) =>
      Array.from({ length: count }, (_, n) => ({
        chunkId: `${document}#${n}`,
        vector: Float32Array.from(vectorOf(seed + n, 13)),
      }));
    index.set('a', 1, rows('a', 50, 0));
    index.set('b', 1, [...rows('b', 50, 100), { chunkId: 'b#twin', vector: Float32Array.from(vectorOf(3, 13)) }]);
    index.set('c', 1, rows('c', 50, 200));
    const query = vectorOf(7, 13);
    const all = [...rows('a', 50, 0), ...rows('b', 50, 100), { chunkId: 'b#twin', vector: vectorOf(3, 13) }]
      .map(({ chunkId, vector }) => ({
        chunkId,
        documentId: chunkId.split('#')[0]!,
        score: cosineSimilarity(Float32Array.from(vector), Float32Array.from(query)),
      }))
      .sort((x, y) => y.score - x.score || (x.chunkId < y.chunkId ? -1 : 1));
    expect(index.search(query, ['a', 'b', 'missing'], 12)).toEqual(all.slice(0, 12));
    expect(index.search(query, ['a', 'b'], 500)).toEqual(all);
    // a#3 and b#twin hold the same vector: a#3 first
    const twins = index.search(vectorOf(3, 13), ['b', 'a'], 2);
    expect(twins.map((match) => match.chunkId)).toEqual(['a#3', 'b#twin']);
    expect(twins[0]!.score).toBe(twins[1]!.score);
  });

  it('compares a vector of another dimension over the shorter length, and a zero vector scores 0', () => {
    const index = new VectorIndex();
    index.set('a', 1, [
      { chunkId: 'a#0', vector: [1, 0, 0, 5] },
      { chunkId: 'a#1', vector: [0, 0, 0] },
      { chunkId: 'a#2', vector: [0, 1, 0] },
    ]);
    expect(index.search([1, 0, 0], ['a'], 3)).toEqual([
      { chunkId: 'a#0', documentId: 'a', score: 1 },
      { chunkId: 'a#1', documentId: 'a', score: 0 },
      { chunkId: 'a#2', documentId: 'a', score: 0 },
    ]);
    expect(index.search([0, 0, 0], ['a'], 1)).toEqual([{ chunkId: 'a#0', documentId: 'a', score: 0 }]);
  });

  it('reloads only documents whose revision moved and forgets removed ones', () => {
    const index = new VectorIndex();
    const listed = [
      { id: 'a', revision: 1 },
      { id: 'b', revision: 2 },
    ];
    expect(staleDocuments(index, listed)).toEqual(['a', 'b']);
    applyLoaded(index, 2, listed, ['a', 'b'], [{ documentId: 'a', revision: 1, chunkId: 'a#0', vector: [1, 0] }]);
    expect([index.revision, index.revisionOf('a'), index.revisionOf('b'), index.size]).toEqual([2, 1, 2, 1]);
    // b replaced (revision 4), c added (3), a removed
    const next = [
      { id: 'b', revision: 4 },
      { id: 'c', revision: 3 },
    ];
    expect(staleDocuments(index, next)).toEqual(['b', 'c']);
    expect(index.revisionOf('a')).toBeUndefined();
    applyLoaded(index, 4, next, ['b', 'c'], [{ documentId: 'b', revision: 4, chunkId: 'b#0', vector: [0, 1] }]);
    expect(index.search([0, 1], ['a', 'b', 'c'], 5).map((match) => match.chunkId)).toEqual(['b#0']);
    expect(staleDocuments(index, next)).toEqual([]);
  });
});
