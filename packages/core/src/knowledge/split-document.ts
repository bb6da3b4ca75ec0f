import { DreamdeckError } from '../errors.js';
import type { KnowledgeMimeType } from './knowledge-types.js';

/** Characters per passage (about 250 tokens: a few fit in the prompt's knowledge budget). */
export const CHUNK_SIZE = 1000;
/** Characters shared by neighbouring passages, so a fact cut at a border is whole in one of them. */
export const CHUNK_OVERLAP = 120;
/** The most passages one document may be split into. */
export const MAX_CHUNKS = 20_000;

/**
 * Splits a document's text into passages with `@langchain/textsplitters`: markdown by its headings,
 * code blocks and paragraphs (`MarkdownTextSplitter`), other text by paragraphs, lines and
 * sentences (`RecursiveCharacterTextSplitter`).
 */
export async function splitDocument(text: string, type: KnowledgeMimeType): Promise<string[]> {
  const { MarkdownTextSplitter, RecursiveCharacterTextSplitter } = await import('@langchain/textsplitters');
  const options = { chunkSize: CHUNK_SIZE, chunkOverlap: CHUNK_OVERLAP };
  const splitter =
    type === 'text/markdown'
      ? new MarkdownTextSplitter(options)
      : new RecursiveCharacterTextSplitter({ ...options, separators: ['\n\n', '\n', '. ', ' ', ''] });
  const chunks = (await splitter.splitText(text)).map((chunk) => chunk.trim()).filter(Boolean);
  if (chunks.length > MAX_CHUNKS)
    throw new DreamdeckError(
      'INVALID_INPUT',
      `The document splits into ${chunks.length} passages; the knowledge base keeps up to ${MAX_CHUNKS} per document.`,
    );
  return chunks;
}
