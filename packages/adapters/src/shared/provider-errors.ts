import { DreamdeckError } from '@dreamdeck/core';
import { isAbortError } from '@dreamdeck/core/adapter-kit';

/** Which backend an error came from, for messages that say what to do. */
export interface ProviderInfo {
  /** Short id used in messages: `openai`, `ollama`, `a1111`. */
  id: string;
  /** Human name: `OpenAI`, `Ollama`, `Automatic1111`. */
  label: string;
  /** Base URL the adapter talks to. */
  baseUrl: string;
  /** Hint appended when the server cannot be reached. */
  unreachableHint?: string;
  /** Hint appended on 401/403. */
  authHint?: string;
}

const prefix = (provider: ProviderInfo) => `[dreamdeck] [${provider.id}]`;

/** Error for an HTTP status the provider answered with. */
export function statusError(
  provider: ProviderInfo,
  status: number,
  detail: string,
  retryAfterMs?: number,
): DreamdeckError {
  const said = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) {
    return new DreamdeckError(
      'MODEL_UNAVAILABLE',
      `${prefix(provider)} ${provider.label} refused the credentials (${status})${said} — ${provider.authHint ?? 'check your API key'}.`,
      { retryable: false, details: { status } },
    );
  }
  if (status === 429) {
    return new DreamdeckError(
      'MODEL_UNAVAILABLE',
      `${prefix(provider)} ${provider.label} is rate limiting requests (429)${said}; try again shortly.`,
      { retryable: true, retryAfterMs, details: { status } },
    );
  }
  const transient = status === 408 || status === 409 || status >= 500;
  return new DreamdeckError(
    'MODEL_UNAVAILABLE',
    `${prefix(provider)} ${provider.label} answered ${status}${said}${transient ? '; try again shortly' : ''}.`,
    { retryable: transient, retryAfterMs, details: { status } },
  );
}

/** True for statuses worth retrying: timeouts, conflicts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Error for a request that got no answer within `timeoutMs`. */
export function timeoutError(provider: ProviderInfo, timeoutMs: number, midStream = false): DreamdeckError {
  return new DreamdeckError(
    'MODEL_UNAVAILABLE',
    `${prefix(provider)} ${provider.label} at ${provider.baseUrl} sent nothing for ${timeoutMs} ms${midStream ? ' in the middle of a reply' : ''}; the request timed out.`,
    { retryable: true },
  );
}

/** Error for a connection that failed (refused, reset, DNS). */
export function connectionError(provider: ProviderInfo, cause: unknown, midStream = false): DreamdeckError {
  const code = errorCode(cause);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new DreamdeckError(
      'MODEL_UNAVAILABLE',
      `${provider.label} is not reachable at ${provider.baseUrl}${provider.unreachableHint ? ` — ${provider.unreachableHint}` : ''}`,
      { retryable: true, cause, details: { code } },
    );
  }
  return new DreamdeckError(
    'MODEL_UNAVAILABLE',
    `${prefix(provider)} the connection to ${provider.label} at ${provider.baseUrl} was lost${midStream ? ' mid-reply' : ''} (${code ?? describe(cause)}); try again.`,
    { retryable: true, cause, details: { code } },
  );
}

/** Error for a response that is not what the protocol promises (bad JSON, cut-off stream). */
export function malformedError(provider: ProviderInfo, what: string, cause?: unknown): DreamdeckError {
  return new DreamdeckError(
    'MODEL_UNAVAILABLE',
    `${prefix(provider)} ${provider.label} sent a broken response: ${what}; try again.`,
    { retryable: true, cause },
  );
}

/** The first `code` (ECONNREFUSED, UND_ERR_SOCKET, …) along an error's cause chain. */
export function errorCode(error: unknown): string | undefined {
  for (const item of causeChain(error)) {
    const code = (item as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const errors = (item as { errors?: unknown }).errors;
    if (Array.isArray(errors)) {
      const inner = errors.map(errorCode).find(Boolean);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** The error and its causes, outermost first (at most 8 deep). */
export function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8 && !chain.includes(current)) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Maps any failure from a provider call onto a DreamdeckError: a DreamdeckError anywhere on the
 * cause chain wins (the resilient fetch raises those), then HTTP statuses (`error.status`), then
 * JSON and parser failures, then connection errors. Everything is `MODEL_UNAVAILABLE`.
 */
export function toProviderError(provider: ProviderInfo, error: unknown): DreamdeckError {
  const chain = causeChain(error);
  const known = chain.find((item) => DreamdeckError.isInstance(item));
  if (known) return known as DreamdeckError;
  if (isAbortError(error)) {
    return new DreamdeckError('MODEL_UNAVAILABLE', `${prefix(provider)} the request was cancelled.`, {
      retryable: false,
      cause: error,
    });
  }
  for (const item of chain) {
    const status = (item as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400) {
      const headers = (item as { headers?: unknown }).headers;
      const retryAfter = headers instanceof Headers ? Number(headers.get('retry-after')) * 1000 : undefined;
      const error = statusError(provider, status, describe(item), Number.isFinite(retryAfter) ? retryAfter : undefined);
      return new DreamdeckError(error.code, error.message, { retryable: error.retryable, cause: item });
    }
  }
  const parseFailure = chain.find(
    (item) => item instanceof SyntaxError || (item as { name?: string }).name === 'OutputParserException',
  );
  if (parseFailure) return malformedError(provider, describe(parseFailure), error);
  if (errorCode(error)) return connectionError(provider, error);
  return new DreamdeckError('MODEL_UNAVAILABLE', `${prefix(provider)} ${provider.label} failed: ${describe(error)}`, {
    retryable: false,
    cause: error,
  });
}
