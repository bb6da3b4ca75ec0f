const brand = Symbol.for('dreamdeck.error');

/**
 * Stable error codes. Clients switch on these; they never change meaning. `CONFLICT`: another turn
 * is already running on the thread (from another session or server instance); it is retryable once
 * that turn ends.
 */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RATE_LIMITED'
  | 'FEATURE_DISABLED'
  | 'MODEL_UNAVAILABLE'
  | 'STORAGE_ERROR'
  | 'CONFIG_INVALID'
  | 'INTERNAL'
  | 'CONFLICT';

/** Every error code, in a stable order (codes added later come last). */
export const ERROR_CODES: readonly ErrorCode[] = [
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'FEATURE_DISABLED',
  'MODEL_UNAVAILABLE',
  'STORAGE_ERROR',
  'CONFIG_INVALID',
  'INTERNAL',
  'CONFLICT',
];

const defaultRetryable: Record<ErrorCode, boolean> = {
  INVALID_INPUT: false,
  UNAUTHORIZED: false,
  FORBIDDEN: false,
  NOT_FOUND: false,
  RATE_LIMITED: true,
  FEATURE_DISABLED: false,
  MODEL_UNAVAILABLE: true,
  STORAGE_ERROR: true,
  CONFIG_INVALID: false,
  INTERNAL: false,
  // another turn runs on the thread: the same call succeeds once that turn ends
  CONFLICT: true,
};

/** Options for {@link DreamdeckError}. */
export interface DreamdeckErrorOptions {
  /** Whether trying the same thing again may succeed. Defaults per code. */
  retryable?: boolean;
  /** The underlying error. */
  cause?: unknown;
  /** For `RATE_LIMITED`: how long to wait before trying again. */
  retryAfterMs?: number;
  /** Extra structured detail (for example every invalid config path). Never shown to players. */
  details?: Record<string, unknown>;
}

/**
 * The one error type Dreamdeck throws. Switch on {@link DreamdeckError.code}; use
 * {@link DreamdeckError.isInstance} rather than `instanceof`, which fails across package copies.
 */
export class DreamdeckError extends Error {
  /** @internal The brand {@link DreamdeckError.isInstance} looks for. */
  readonly [brand] = true;
  /** Stable machine-readable code. */
  readonly code: ErrorCode;
  /** Whether the same call may succeed if tried again. */
  readonly retryable: boolean;
  /** For `RATE_LIMITED`: milliseconds until the limit resets. */
  readonly retryAfterMs: number | undefined;
  /** Structured detail for logs. */
  readonly details: Record<string, unknown> | undefined;

  /** Creates an error with a stable code and a message that says what to do. */
  constructor(code: ErrorCode, message: string, options: DreamdeckErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DreamdeckError';
    this.code = code;
    this.retryable = options.retryable ?? defaultRetryable[code];
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** True when `value` is a DreamdeckError from any copy of this package. */
  static isInstance(value: unknown): value is DreamdeckError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** Wraps any thrown value: DreamdeckErrors pass through, others become `code`. */
  static from(value: unknown, code: ErrorCode = 'INTERNAL', message?: string): DreamdeckError {
    if (DreamdeckError.isInstance(value)) return value;
    const text = message ?? (value instanceof Error ? value.message : String(value));
    return new DreamdeckError(code, text, { cause: value });
  }
}

const GENERIC_MESSAGE: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Something went wrong on our side. Try again in a moment.',
  CONFIG_INVALID: 'Something went wrong on our side. Try again in a moment.',
  STORAGE_ERROR: 'The story archive is not answering right now. Try again in a moment.',
  MODEL_UNAVAILABLE: 'The storyteller is not answering right now. Try again in a moment.',
};

/**
 * The message to show a player for `error`: internal, configuration and storage failures get a
 * generic sentence, as does a model failure that wraps a provider's error (whose text may name a
 * host, a port or a URL); every other error's own message was written for players. Logs keep the
 * full error.
 */
export function publicMessage(error: DreamdeckError): string {
  const generic = GENERIC_MESSAGE[error.code];
  if (!generic) return error.message;
  if (error.code === 'MODEL_UNAVAILABLE' && error.cause === undefined) return error.message;
  return generic;
}

/** True when `error` is an abort (an `AbortSignal` fired). */
export function isAbortError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || (error instanceof Error && error.message === 'Aborted');
}
