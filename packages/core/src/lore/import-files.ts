import { decode as decodeTextChunk } from 'png-chunk-text';
import extractChunks from 'png-chunks-extract';
import { DreamdeckError } from '../errors.js';

// Reading an uploaded file into JSON: a PNG's character card chunk, or JSON text. The type is
// decided by the bytes, never by a name or a header; sizes are capped before anything is parsed.

/** Largest PNG read (character cards are images; most are under 2 MB). */
export const MAX_PNG_BYTES = 10 * 1024 * 1024;
/** Largest JSON read (a card or a world-info file). */
export const MAX_JSON_BYTES = 4 * 1024 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** True when `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && PNG_SIGNATURE.every((byte, index) => bytes[index] === byte);
}

/** What a file's first bytes say it is, for error messages. */
function describeBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'a JPEG image';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'a ZIP archive';
  if (bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46) return 'a PDF';
  if (bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46) return 'a GIF image';
  if (bytes[0] === 0x52 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x46) return 'a RIFF (WebP) file';
  return 'neither PNG nor JSON';
}

/**
 * Walks a PNG's chunk headers without reading them: every chunk must fit in the file, so a
 * truncated file or a forged length is refused before the chunk reader allocates anything.
 */
function checkPngFraming(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > bytes.length)
      throw new DreamdeckError('INVALID_INPUT', `The PNG is truncated (its ${JSON.stringify(type)} chunk is cut off).`);
    if (type === 'IEND') return;
    offset = end;
  }
  throw new DreamdeckError('INVALID_INPUT', 'The PNG is truncated (it has no IEND chunk).');
}

/**
 * The character card JSON a PNG carries, base64 in its `ccv3` tEXt chunk (V3; preferred) or its
 * `chara` one (V2), parsed. `INVALID_INPUT` for a broken PNG or one without a card.
 */
export function readPngCard(bytes: Uint8Array): unknown {
  if (bytes.length > MAX_PNG_BYTES)
    throw new DreamdeckError('INVALID_INPUT', `The PNG is larger than ${MAX_PNG_BYTES / 1024 / 1024} MB.`);
  checkPngFraming(bytes);
  let chunks: Array<{ name: string; data: Uint8Array }>;
  try {
    chunks = extractChunks(bytes);
  } catch (error) {
    throw new DreamdeckError('INVALID_INPUT', `The PNG is damaged (${(error as Error).message}).`);
  }
  const texts = new Map<string, string>();
  for (const chunk of chunks) {
    if (chunk.name !== 'tEXt') continue;
    try {
      const { keyword, text } = decodeTextChunk(chunk.data);
      const key = keyword.toLowerCase();
      if ((key === 'ccv3' || key === 'chara') && !texts.has(key)) texts.set(key, text);
    } catch {
      // a malformed text chunk that is not the card's does not matter
    }
  }
  const [chunkName, encoded] = texts.has('ccv3') ? ['ccv3', texts.get('ccv3')] : ['chara', texts.get('chara')];
  if (encoded === undefined)
    throw new DreamdeckError('INVALID_INPUT', 'The PNG holds no character card (no "chara" or "ccv3" text chunk).');
  const base64 = encoded.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 === 1)
    throw new DreamdeckError('INVALID_INPUT', `The PNG's "${chunkName}" chunk is not base64.`);
  return parseJson(Buffer.from(base64, 'base64'), `The PNG's "${chunkName}" chunk`);
}

/** Parses JSON bytes or text (a UTF-8 byte order mark is allowed), with the size cap. */
export function parseJson(data: Uint8Array | string, what = 'The file'): unknown {
  const size = typeof data === 'string' ? data.length : data.byteLength;
  if (size > MAX_JSON_BYTES)
    throw new DreamdeckError('INVALID_INPUT', `${what} is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB of JSON.`);
  let text: string;
  if (typeof data === 'string') text = data;
  else {
    try {
      text = utf8.decode(data);
    } catch {
      throw new DreamdeckError('INVALID_INPUT', `${what} is not valid UTF-8 text.`);
    }
  }
  text = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new DreamdeckError('INVALID_INPUT', `${what} is not valid JSON.`);
  }
}

/**
 * Reads an upload by its content: a PNG's card, or JSON. `INVALID_INPUT` naming what it is
 * otherwise (a JPEG, a ZIP, a PDF…).
 */
export function readUpload(data: Uint8Array | string): unknown {
  if (typeof data === 'string') return parseJson(data);
  if (!(data instanceof Uint8Array)) throw new DreamdeckError('INVALID_INPUT', 'Give the file as bytes or text.');
  if (isPng(data)) return readPngCard(data);
  const first = data.subarray(0, 16).findIndex((byte) => ![0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].includes(byte));
  if (first === -1 || (data[first] !== 0x7b && data[first] !== 0x5b))
    throw new DreamdeckError('INVALID_INPUT', `The file is ${describeBytes(data)}: send a PNG character card or JSON.`);
  return parseJson(data);
}
