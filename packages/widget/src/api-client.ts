import type { ThreadRecord, TurnEvent } from './protocol.js';

/** An HTTP or network failure, with the server's error `code` when it sent one. */
export class DreamdeckApiError extends Error {
  /** The server's error code (`RATE_LIMITED`, `NOT_FOUND`, …) or `NETWORK` when no answer came. */
  readonly code: string;
  /** HTTP status, `0` for network failures. */
  readonly status: number;
  /** Whether trying again may help. */
  readonly retryable: boolean;
  /** From `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, status: number, retryAfterMs?: number) {
    super(message);
    this.name = 'DreamdeckApiError';
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    // 409: another turn runs in the story; it ends, and then the same request goes through
    this.retryable = status === 0 || status === 409 || status === 429 || status >= 500;
  }
}

/** Options for {@link DreamdeckClient}. */
export interface DreamdeckClientOptions {
  /** Base URL of the API, for example `/api` or `https://example.com/api/dreamdeck`. */
  endpoint: string;
  /** A bearer token; without one, {@link DreamdeckClient.ensureToken} fetches a guest token. */
  token?: string | undefined;
  /** Where to keep a guest token between visits (default `localStorage`; `null` keeps none). */
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** A `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Called when a request is retried after a network failure (`attempt` from 1) and when it recovers (`0`). */
  onRetry?: (attempt: number) => void;
  /** Retries for network failures of ordinary requests (default 3). */
  retries?: number;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** True for an `AbortSignal` (from any realm: duck-typed). */
function isSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    'aborted' in value &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/** Backoff for attempt `n` (1-based): 400 ms, 800 ms, 1.6 s … capped at 8 s, with ±25 % jitter. */
export function backoffMs(attempt: number): number {
  const base = Math.min(8000, 400 * 2 ** (attempt - 1));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Options for {@link DreamdeckClient.stream}. */
export interface TurnStreamOptions {
  /** Aborting stops reading (the player's Stop). */
  signal?: AbortSignal | undefined;
  /**
   * The path that rejoins a running turn (`/threads/:id/turns/:turnId/events`). With it, a stream
   * that drops before `turn-end` is rejoined on its own, after the last event id seen, with backoff.
   */
  rejoinPath?: ((turnId: string) => string) | undefined;
  /** Rejoins in a row without a new event before giving up with `NETWORK` (default 6). */
  rejoins?: number;
  /** Times a turn refused with 409 `CONFLICT` (another turn still runs) is tried again, about 12 s in all (default 4). */
  conflictRetries?: number;
  /** The request method (default `POST`; `PATCH` for an edited message sent again). */
  method?: string;
}

/**
 * Reads a `text/event-stream` body and calls `onEvent` with each parsed `TurnEvent` and its `id:`
 * (the event's sequence number in its turn) when it has one. Resolves when the stream ends;
 * rejects on network failure or abort. The parser lives in its own module (`turn-events.ts`,
 * fetched once the story shows, or on the first turn), so the chat's first screen does not wait
 * for it.
 *
 * @param body - the response body
 * @param onEvent - receives each event in order, with its sequence number
 */
export async function readTurnEvents(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: TurnEvent, seq?: number) => void,
): Promise<void> {
  return (await import('./turn-events.js')).readTurnEvents(body, onEvent);
}

/**
 * A small client for the Dreamdeck HTTP API (see `docs/http.md`): bearer auth with a guest token
 * fallback, JSON errors as {@link DreamdeckApiError}, retries with backoff on network failures, and
 * turn streams read with a spec-compliant SSE parser.
 */
export class DreamdeckClient {
  /** The API's base URL, without a trailing slash. */
  readonly endpoint: string;
  /** The bearer token sent with each request; set by {@link DreamdeckClient.ensureToken} when none was given. */
  token: string | undefined;
  private readonly options: DreamdeckClientOptions;

  constructor(options: DreamdeckClientOptions) {
    this.options = options;
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.token = options.token || undefined;
  }

  private get fetcher(): typeof fetch {
    return this.options.fetch ?? ((input, init) => fetch(input, init));
  }

  private get storageKey(): string {
    return `dreamdeck:token:${this.endpoint}`;
  }

  private get storage() {
    if (this.options.storage !== undefined) return this.options.storage;
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  }

  /**
   * Whether {@link DreamdeckClient.ensureToken} fetched a new guest token: a new player, who has no
   * stories yet (the chat skips listing them).
   */
  newGuest = false;

  /**
   * Makes sure a token is set: the given one, a stored guest token that still works, or a new guest
   * token. With `check: false` a stored token is taken without asking `GET /me` first (the caller's
   * own first requests tell; {@link DreamdeckClient.renewGuestToken} replaces it when they are refused
   * with 401), which saves a round trip before anything else can start.
   *
   * @param options - `check`: ask `GET /me` whether a stored token still works (default true)
   */
  async ensureToken(options: { check?: boolean } = {}): Promise<string> {
    if (this.token) return this.token;
    const stored = this.storage?.getItem(this.storageKey);
    if (stored) {
      this.token = stored;
      if (options.check === false) return stored;
      try {
        await this.json('GET', '/me');
        return stored;
      } catch (error) {
        // only a refused token is dropped; a server without `/me` (404) keeps it
        if (!(error instanceof DreamdeckApiError) || error.status === 0) throw error;
        if (error.status !== 401) return stored;
      }
    }
    return this.renewGuestToken();
  }

  /** Forgets the stored guest token (the server refused it) and fetches a new one. */
  async renewGuestToken(): Promise<string> {
    this.token = undefined;
    this.storage?.removeItem(this.storageKey);
    const answer = await this.json<{ token: string }>('POST', '/auth/guest', undefined, { auth: false });
    this.token = answer.token;
    this.newGuest = true;
    this.storage?.setItem(this.storageKey, answer.token);
    return answer.token;
  }

  /** Sends a request; network failures are retried with backoff, HTTP errors become {@link DreamdeckApiError}. */
  async request(
    method: string,
    path: string,
    body?: unknown,
    init: { auth?: boolean; signal?: AbortSignal; retry?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json, text/event-stream', ...init.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (init.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`;
    const retries = init.retry === false ? 0 : (this.options.retries ?? 3);
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetcher(`${this.endpoint}${path}`, {
          method,
          headers,
          ...(body !== undefined && { body: JSON.stringify(body) }),
          ...(init.signal && { signal: init.signal }),
        });
      } catch (error) {
        if (init.signal?.aborted) throw error;
        if (attempt >= retries) {
          // a caller that does not retry (a turn stream, a rejoin) reports failures itself
          if (init.retry !== false) this.options.onRetry?.(-1);
          throw new DreamdeckApiError('NETWORK', error instanceof Error ? error.message : String(error), 0);
        }
        this.options.onRetry?.(attempt + 1);
        await sleep(backoffMs(attempt + 1), init.signal);
        continue;
      }
      if (attempt > 0) this.options.onRetry?.(0);
      if (!response.ok) throw await DreamdeckClient.toError(response);
      return response;
    }
  }

  /** A JSON request; resolves to the parsed body (`undefined` for 204). */
  async json<T>(
    method: string,
    path: string,
    body?: unknown,
    init: { auth?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    const response = await this.request(method, path, body, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /**
   * Starts a turn route (`/turns`, `/resume`, `/regenerate`) and feeds its events to `onEvent`,
   * each event once, in order. A turn refused with 409 `CONFLICT` (another turn still runs in the
   * story) is tried again a few times with backoff; other refusals (429, 404 …) reject before any
   * event. With `rejoinPath`, a stream that drops before `turn-end` is rejoined on its own after
   * the last event id seen (events seen already are skipped); when the turn can no longer be
   * rejoined it rejects with code `TURN_GONE` (reload the story), after too many failed tries with
   * `NETWORK`. Without it, a dropped stream rejects with `NETWORK`.
   *
   * @param path - the turn route
   * @param body - its JSON body
   * @param onEvent - receives each event and its sequence number
   * @param options - an `AbortSignal`, or {@link TurnStreamOptions}
   */
  async stream(
    path: string,
    body: unknown,
    onEvent: (event: TurnEvent, seq?: number) => void,
    options: AbortSignal | TurnStreamOptions = {},
  ): Promise<void> {
    const {
      signal,
      rejoinPath,
      rejoins = 6,
      conflictRetries = 4,
      method = 'POST',
    } = isSignal(options) ? ({ signal: options } as TurnStreamOptions) : options;
    let last = 0;
    let turnId: string | undefined;
    let ended = false;
    const take = (event: TurnEvent, seq?: number) => {
      if (seq !== undefined) {
        // a rejoin replays from the id it was given: what was seen already is skipped
        if (seq <= last) return;
        last = seq;
      }
      if (event.type === 'turn-start') turnId ??= event.turnId;
      if (event.type === 'turn-end') ended = true;
      onEvent(event, seq);
    };
    /** Reads a response to its end; resolves the failure that cut it short, if any. */
    const read = async (response: Response): Promise<unknown> => {
      if (!response.body) return new Error('The server sent no event stream.');
      try {
        await readTurnEvents(response.body, take);
        return undefined;
      } catch (error) {
        if (signal?.aborted) throw error;
        return error;
      }
    };
    const failure = await read(await this.startTurn(method, path, body, signal, conflictRetries));
    if (ended) return;
    if (!rejoinPath || !turnId) {
      if (failure === undefined) return;
      throw new DreamdeckApiError('NETWORK', failure instanceof Error ? failure.message : String(failure), 0);
    }
    for (let attempt = 1; ; attempt++) {
      if (attempt > rejoins) {
        this.options.onRetry?.(-1);
        throw new DreamdeckApiError('NETWORK', 'The connection to the story broke off.', 0);
      }
      this.options.onRetry?.(attempt);
      await sleep(backoffMs(attempt), signal);
      let response: Response;
      try {
        response = await this.request('GET', rejoinPath(turnId), undefined, {
          retry: false,
          ...(signal && { signal }),
          headers: { 'last-event-id': String(last) },
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof DreamdeckApiError && error.status === 404) {
          this.options.onRetry?.(0);
          throw new DreamdeckApiError('TURN_GONE', error.message, 404);
        }
        continue;
      }
      const before = last;
      await read(response);
      if (ended) {
        this.options.onRetry?.(0);
        return;
      }
      // it broke off again: tries count from here when it got further
      if (last > before) attempt = 0;
    }
  }

  /** Starts a turn route (POST, or PATCH), trying again after 409 `CONFLICT` up to `retries` times. */
  private async startTurn(
    method: string,
    path: string,
    body: unknown,
    signal: AbortSignal | undefined,
    retries: number,
  ) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.request(method, path, body, { retry: false, ...(signal && { signal }) });
      } catch (error) {
        if (!(error instanceof DreamdeckApiError) || error.status !== 409 || attempt > retries) throw error;
        await sleep(2 * backoffMs(attempt), signal);
      }
    }
  }

  /** Lists the caller's threads, newest first. */
  async listThreads(): Promise<ThreadRecord[]> {
    return (await this.json<{ threads: ThreadRecord[] }>('GET', '/threads?limit=50')).threads;
  }

  private static async toError(response: Response): Promise<DreamdeckApiError> {
    let code = `HTTP_${response.status}`;
    let message = response.statusText || 'Request failed';
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    return new DreamdeckApiError(
      code,
      message,
      response.status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
}
