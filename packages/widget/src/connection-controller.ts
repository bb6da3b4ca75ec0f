import { DreamdeckApiError, DreamdeckClient } from './api-client.js';
import { ChatController, type ChatHost } from './chat-controller.js';
import { emit, listenToWindow } from './events.js';
import { type DreamdeckStrings, format } from './strings.js';

/** Connection state shown in the header. */
export type ConnectionState = 'online' | 'reconnecting' | 'offline';

/** Detail of `dreamdeck-error`. */
export interface DreamdeckErrorDetail {
  /** The server's error code (`RATE_LIMITED`, `NOT_FOUND`, …), `NETWORK`, or `INTERNAL`. */
  code: string;
  /** A message safe to show the player. */
  message: string;
  /** Whether trying again may help. */
  retryable: boolean;
}

/** The error banner: what `dreamdeck-error` said, and whether the banner offers Retry. */
export type ChatError = DreamdeckErrorDetail & { retry: boolean };

/** What {@link ConnectionController} reads from its element. */
export type ConnectionHost = ChatHost & {
  /** The API base URL. */
  endpoint: string;
  /** A bearer token, or `''` for a guest. */
  token: string;
};

/** The longest turn text a server takes when `GET /me` does not say (config `input.maxLength`'s default). */
export const DEFAULT_INPUT_MAX_LENGTH = 4000;

/**
 * The chat's line to the server: the {@link DreamdeckClient} (with the given token or a guest
 * one), the state the header shows (`online`, `reconnecting` while requests are retried,
 * `offline`; the window's `online`/`offline` events too), the input limit from `GET /me`, and
 * failures: the error banner's state and the `dreamdeck-error` event. A new `endpoint`, or a new
 * `token`, on the element starts the chat over.
 */
export class ConnectionController extends ChatController<ConnectionController> {
  /** The client of the current `endpoint`; `undefined` before {@link ConnectionController.connect}. */
  client: DreamdeckClient | undefined;
  /** What the header's badge shows. */
  state: ConnectionState = 'online';
  /** The error the banner shows, if any. */
  error: ChatError | undefined;
  /** The input's `maxlength`: `limits.inputMaxLength` of `GET /me`, else {@link DEFAULT_INPUT_MAX_LENGTH}. */
  inputMaxLength = DEFAULT_INPUT_MAX_LENGTH;
  declare readonly host: ConnectionHost;
  readonly #strings: () => DreamdeckStrings;
  readonly #restart: () => void;

  /**
   * @param host - the chat, whose `endpoint` and `token` it connects with
   * @param strings - the strings error messages are written in
   * @param restart - starts the chat over: for a new endpoint or token
   * @param reconnected - called when the browser is back online after the chat saw it offline or reconnecting
   */
  constructor(host: ConnectionHost, strings: () => DreamdeckStrings, restart: () => void, reconnected: () => void) {
    super(host);
    this.#strings = strings;
    this.#restart = restart;
    listenToWindow(host, {
      online: () => {
        if (this.state === 'online') return;
        this.set({ state: 'online' });
        reconnected();
      },
      offline: () => this.set({ state: 'offline' }),
    });
  }

  /** Starts over when the element's endpoint or token is not the client's any more. */
  hostUpdate(): void {
    const { client, host } = this;
    if (
      client &&
      (client.endpoint !== host.endpoint.replace(/\/+$/, '') || (host.token && client.token !== host.token))
    )
      this.#restart();
  }

  /**
   * Makes a client for the element's `endpoint` and gives it a token: `token`, else a stored
   * guest token that still works, else a new guest token. Rejects when the server cannot be
   * reached or refuses.
   *
   * @param options - `check: false`: take a stored guest token without asking `GET /me` first
   * (the chat's start-up does, then calls {@link ConnectionController.renew} on a 401)
   */
  async connect(options: { check?: boolean } = {}): Promise<DreamdeckClient> {
    const client = new DreamdeckClient({
      endpoint: this.host.endpoint,
      token: this.host.token || undefined,
      onRetry: (attempt) => this.set({ state: attempt === 0 ? 'online' : attempt < 0 ? 'offline' : 'reconnecting' }),
    });
    this.client = client;
    await client.ensureToken(options);
    this.set({ state: 'online' });
    return client;
  }

  /**
   * After a start-up request failed: when the server refused (401) a stored guest token that
   * {@link ConnectionController.connect} took unchecked, fetches a new guest token and resolves
   * `true` (start again); otherwise `false`. A token the page gave is never replaced.
   *
   * @param error - what the request threw
   */
  async renew(error: unknown): Promise<boolean> {
    const client = this.client;
    if (!client || this.host.token || client.newGuest) return false;
    if (!(error instanceof DreamdeckApiError) || error.status !== 401) return false;
    await client.renewGuestToken();
    return true;
  }

  /** Reads the input limit from `GET /me` (`limits.inputMaxLength`); a server that does not say gets the default. */
  async loadLimits(): Promise<void> {
    let length: unknown;
    try {
      length = (await this.client!.json<{ limits?: { inputMaxLength?: unknown } }>('GET', '/me')).limits
        ?.inputMaxLength;
    } catch {
      // an older server (no `/me`, or no limits in it): the default holds
    }
    this.set({ inputMaxLength: typeof length === 'number' && length > 0 ? length : DEFAULT_INPUT_MAX_LENGTH });
  }

  /**
   * Shows an error in the banner and fires `dreamdeck-error`. A network failure also marks the
   * connection offline; a rate limit names the seconds to wait.
   *
   * @param error - what was thrown ({@link DreamdeckApiError} or anything else)
   * @param retry - whether the banner offers Retry (only when the error is retryable)
   */
  fail(error: unknown, retry: boolean): void {
    const text = this.#strings();
    const api = error instanceof DreamdeckApiError ? error : undefined;
    const detail: DreamdeckErrorDetail = api
      ? {
          code: api.code,
          message:
            api.code === 'RATE_LIMITED' && api.retryAfterMs
              ? format(text.errorRateLimited, { seconds: Math.ceil(api.retryAfterMs / 1000) })
              : api.code === 'NETWORK'
                ? text.offline
                : api.message || text.errorGeneric,
          retryable: api.retryable,
        }
      : { code: 'INTERNAL', message: text.errorGeneric, retryable: true };
    this.set({
      error: { ...detail, retry: retry && detail.retryable !== false },
      ...(api?.status === 0 && { state: 'offline' }),
    });
    emit(this.host, 'dreamdeck-error', detail);
  }
}
