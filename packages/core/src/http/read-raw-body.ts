import { HttpError } from './http-errors.js';

/**
 * Reads a request body as bytes (an upload), refusing more than `maxBytes` with 413: checked
 * against `Content-Length` first and while reading, so an oversized body is never held whole.
 * Resolves an empty array for an empty body. The content's type is for the caller to check, by
 * its bytes rather than by the `Content-Type` header alone. `noun` names the body in the errors.
 */
export async function readRawBody(request: Request, maxBytes: number, noun = 'upload'): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared && Number(declared) > maxBytes) throw tooLarge(noun, maxBytes);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(noun, maxBytes);
    }
    chunks.push(value);
  }
  // a body cut short before the handler (`toNodeListener`'s own `maxBodyBytes`, 1 MiB by default)
  // is refused as too large rather than read as a damaged file
  if (declared && Number(declared) > total)
    throw new HttpError(
      413,
      'INVALID_INPUT',
      `The ${noun} was cut short at ${total} bytes: the server takes smaller bodies (raise toNodeListener's maxBodyBytes).`,
    );
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function tooLarge(noun: string, maxBytes: number): HttpError {
  return new HttpError(413, 'INVALID_INPUT', `The ${noun} is larger than ${maxBytes} bytes.`);
}
