import { HttpError } from './http-errors.js';
import { readRawBody } from './read-raw-body.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a request body as text, refusing more than `maxBytes` (413, checked against
 * `Content-Length` first and while reading), bodies that are not JSON (415) and invalid UTF-8
 * (400). Resolves `undefined` for an empty body.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readRawBody(request, maxBytes, 'body');
  if (bytes.byteLength === 0) return undefined;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json' && !type?.endsWith('+json')) {
    throw new HttpError(415, 'INVALID_INPUT', 'Send the body as JSON with `Content-Type: application/json`.');
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
