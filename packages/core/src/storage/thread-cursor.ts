import { DreamdeckError } from '../errors.js';

/** Where a page of `listThreads` ended: the last thread's `updatedAt` and its tie-breaking sequence number. */
export interface ThreadCursor {
  /** The last listed thread's `updatedAt` (ISO 8601 in UTC with milliseconds, as `toISOString()` writes it). */
  updatedAt: string;
  /** The last listed thread's sequence number (a non-negative safe integer), for ties of `updatedAt`. */
  seq: number;
}

/** Unpadded base64url of a short JSON pair: anything longer or in another alphabet was not made here. */
const CURSOR = /^[A-Za-z0-9_-]{1,200}$/;
/** `Date.prototype.toISOString()` output for years 0000–9999. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Encodes the keyset cursor of a thread page: base64url of `[updatedAt, seq]`. */
export function encodeThreadCursor(updatedAt: string, seq: number): string {
  return Buffer.from(JSON.stringify([updatedAt, seq])).toString('base64url');
}

function invalidCursor(): DreamdeckError {
  return new DreamdeckError(
    'INVALID_INPUT',
    'That page cursor is not valid: pass the `nextCursor` of a previous page, or none for the first page.',
  );
}

/**
 * Decodes a cursor made by {@link encodeThreadCursor}; `undefined` (or `''`) means the first page.
 * Anything else fails with `INVALID_INPUT` before it reaches a query: a cursor must be canonical
 * base64url of a JSON array of exactly an ISO 8601 timestamp (as `toISOString()` writes it) and a
 * non-negative safe integer. Every adapter decodes cursors here, so a crafted one (`1e30`, `0.5`,
 * a NUL, an object) is refused the same way on every backend instead of reaching a SQL cast.
 */
export function decodeThreadCursor(cursor: string | undefined): ThreadCursor | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (typeof cursor !== 'string' || !CURSOR.test(cursor)) throw invalidCursor();
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.toString('base64url') !== cursor) throw invalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!Array.isArray(value) || value.length !== 2) throw invalidCursor();
  const [updatedAt, seq] = value as [unknown, unknown];
  if (typeof updatedAt !== 'string' || !ISO_TIMESTAMP.test(updatedAt)) throw invalidCursor();
  const time = Date.parse(updatedAt);
  if (!Number.isFinite(time) || new Date(time).toISOString() !== updatedAt) throw invalidCursor();
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw invalidCursor();
  return { updatedAt, seq };
}
