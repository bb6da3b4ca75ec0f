import { HttpError } from './http-errors.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body as text, refusing more than `maxBytes` (413, checked against
 * `Content-Length` first and while reading), bodies that are not JSON (415) and invalid UTF-8
 * (400). Resolves `undefined` for an empty body.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const declared = request.headers.get('content-length');
  if (declared && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (total === 0) return undefined;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) {
    throw new HttpError(415, 'INVALID_INPUT', 'Send the body as JSON with `Content-Type: application/json`.');
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'The body is not valid UTF-8.');
  }
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'The body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'INVALID_INPUT', `The body is larger than ${maxBytes} bytes.`);
}
