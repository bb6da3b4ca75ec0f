import { DreamdeckError } from '../errors.js';
import type { KnowledgeMimeType, KnowledgeProgress } from './knowledge-types.js';

/** The largest file the knowledge base reads (bytes). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
/** The most text one document may hold once read (characters); a PDF that inflates past it is refused. */
export const MAX_DOCUMENT_CHARS = 5_000_000;
/** The most pages of a PDF read. */
export const MAX_PDF_PAGES = 2_000;

const invalid = (message: string) => new DreamdeckError('INVALID_INPUT', message);

/** `text/plain`, `text/markdown` or `application/pdf` from a content type (parameters dropped), else `INVALID_INPUT`. */
export function knowledgeMimeType(mimeType: string): KnowledgeMimeType {
  const type = String(mimeType ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type === 'text/plain' || type === 'application/pdf') return type;
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'text/markdown';
  throw invalid(
    `The knowledge base reads text/plain, text/markdown and application/pdf files, not ${type ? `"${type.slice(0, 80)}"` : 'a file without a type'}.`,
  );
}

/** What a file's first bytes say it is, when it is a known binary format. */
function sniff(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'a PDF';
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06)) return 'a ZIP archive';
  if (starts(0x1f, 0x8b)) return 'a gzip archive';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'a GIF image';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'an executable';
  return undefined;
}

/** Options of {@link readDocument}. */
export interface ReadDocumentOptions {
  onProgress?: ((progress: KnowledgeProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The text of a document, its type checked by its content (a PDF must start `%PDF-`; text must be
 * valid UTF-8 without NUL bytes), within {@link MAX_DOCUMENT_BYTES} and {@link MAX_DOCUMENT_CHARS}.
 * PDF text is extracted page by page with `unpdf` (PDF.js), reporting `reading` progress.
 * Throws `INVALID_INPUT` saying what is wrong.
 */
export async function readDocument(
  data: string | Uint8Array,
  type: KnowledgeMimeType,
  options: ReadDocumentOptions = {},
): Promise<string> {
  if (typeof data === 'string') {
    if (type === 'application/pdf') throw invalid('A PDF must be given as bytes, not as a string.');
    return checkText(data);
  }
  if (!(data instanceof Uint8Array)) throw invalid('data must be a string or a Uint8Array.');
  if (data.byteLength === 0) throw invalid('The file is empty.');
  if (data.byteLength > MAX_DOCUMENT_BYTES)
    throw invalid(
      `The file is ${data.byteLength} bytes; the knowledge base reads files up to ${MAX_DOCUMENT_BYTES} bytes.`,
    );
  const found = sniff(data);
  if (type === 'application/pdf') {
    if (found !== 'a PDF')
      throw invalid(`The file is not a PDF${found ? ` (it is ${found})` : ' (it does not start with %PDF-)'}.`);
    return readPdf(data, options);
  }
  if (found) throw invalid(`The file is ${found}, not ${type} text.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw invalid(`The file is not valid UTF-8 text (declared ${type}).`);
  }
  return checkText(text);
}

function checkText(text: string): string {
  if (text.includes('\u0000')) throw invalid('The file holds NUL bytes: it is binary, not text.');
  const clean = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (clean.length > MAX_DOCUMENT_CHARS)
    throw invalid(`The text is ${clean.length} characters; the knowledge base reads up to ${MAX_DOCUMENT_CHARS}.`);
  if (!clean.trim()) throw invalid('The file holds no text.');
  return clean;
}

/** A PDF's text, page by page; a broken, encrypted or text-less PDF is `INVALID_INPUT`. */
async function readPdf(data: Uint8Array, options: ReadDocumentOptions): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  // PDF.js takes ownership of (and detaches) the buffer it is given: hand it a copy
  const copy = new Uint8Array(data);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(copy, { verbosity: 0, stopAtErrors: true });
  } catch (error) {
    const name = (error as { name?: string } | null)?.name ?? '';
    if (name === 'PasswordException') throw invalid('The PDF is password-protected; remove the password first.');
    throw invalid(`The PDF cannot be read: it is truncated or damaged (${(error as Error).message ?? name}).`);
  }
  try {
    if (pdf.numPages > MAX_PDF_PAGES)
      throw invalid(`The PDF has ${pdf.numPages} pages; the knowledge base reads up to ${MAX_PDF_PAGES}.`);
    const pages: string[] = [];
    let length = 0;
    for (let number = 1; number <= pdf.numPages; number++) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
      let text: string;
      try {
        const page = await pdf.getPage(number);
        const content = await page.getTextContent();
        text = content.items
          .map((item) => ('str' in item ? `${item.str}${item.hasEOL ? '\n' : ''}` : ''))
          .join('')
          .trim();
        page.cleanup();
      } catch (error) {
        throw invalid(`The PDF cannot be read: page ${number} is damaged (${(error as Error).message}).`);
      }
      length += text.length;
      if (length > MAX_DOCUMENT_CHARS)
        throw invalid(
          `The PDF's text passes ${MAX_DOCUMENT_CHARS} characters by page ${number}; split it into smaller files.`,
        );
      pages.push(text);
      if (number % 10 === 0 || number === pdf.numPages)
        options.onProgress?.({ stage: 'reading', done: number, total: pdf.numPages });
    }
    const text = pages.filter(Boolean).join('\n\n');
    if (!text.trim()) throw invalid('The PDF holds no text (a scanned PDF needs OCR first).');
    return text;
  } finally {
    await pdf.loadingTask.destroy().catch(() => undefined);
  }
}
