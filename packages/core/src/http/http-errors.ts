import { DreamdeckError, type ErrorCode, publicMessage } from '../errors.js';

/** HTTP status for each {@link ErrorCode}. `FEATURE_DISABLED` answers 403: the caller may not use it now. */
export const STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  FEATURE_DISABLED: 403,
  MODEL_UNAVAILABLE: 503,
  STORAGE_ERROR: 503,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
};

/**
 * An error with an HTTP status of its own, for the few answers that have no {@link ErrorCode}
 * status (413 body too large, 415 wrong content type, 405 method not allowed).
 */
export class HttpError extends DreamdeckError {
  /** The HTTP status to answer with. */
  readonly status: number;
  /** Extra response headers (for example `Allow` on 405). */
  readonly headers: Record<string, string>;

  /** Creates an error answered with `status` and the JSON body `{ error: { code, message } }`. */
  constructor(status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}

/** The status, headers and JSON body to answer an error with. Internals never leak. */
export function describeError(error: unknown): {
  /** The HTTP status to answer with. */
  status: number;
  /** The error's stable code, answered as `error.code`. */
  code: ErrorCode;
  /** A message safe to show (internal errors get a generic one), answered as `error.message`. */
  message: string;
  /** Extra response headers (`Allow` on 405, `Retry-After` on 429). */
  headers: Record<string, string>;
} {
  const failure = DreamdeckError.from(error);
  const status = failure instanceof HttpError ? failure.status : STATUS_BY_CODE[failure.code];
  const headers: Record<string, string> = failure instanceof HttpError ? { ...failure.headers } : {};
  if (failure.code === 'RATE_LIMITED') {
    headers['retry-after'] = String(Math.max(1, Math.ceil((failure.retryAfterMs ?? 1000) / 1000)));
  }
  const message = publicMessage(failure);
  return { status, code: failure.code, message, headers };
}

/** A JSON response. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** The JSON error response `{ error: { code, message } }` for any thrown value. */
export function errorResponse(error: unknown): Response {
  const { status, code, message, headers } = describeError(error);
  return jsonResponse({ error: { code, message } }, status, headers);
}
