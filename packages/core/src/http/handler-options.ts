import type { Logger } from '../logging/logger.js';
import type { CorsOptions } from './cors.js';
import type { Authenticate, TokenAuth } from './token-auth.js';

/** Options for `createRequestHandler`. */
export interface RequestHandlerOptions {
  /** Path prefix the routes live under, for example `/api` (default: none). */
  basePath?: string;
  /**
   * Reads the caller from a request; `null` answers 401. Use `createTokenAuth(...).authenticate`,
   * or your own sessions/JWTs. Roles: `admin` may use `PATCH /flags` and `/admin/*`.
   */
  authenticate: Authenticate;
  /** Cross-origin access; off when absent. */
  cors?: CorsOptions;
  /** Largest request body accepted, in bytes (default 64 KiB); larger answers 413. */
  maxBodyBytes?: number;
  /**
   * Guest mode: `POST /auth/guest` issues a signed token for a new `guest_…` user. Pass the
   * {@link TokenAuth} whose `authenticate` you use; `false` or absent turns guest mode off (404).
   */
  guest?:
    | false
    | Pick<TokenAuth, 'issueToken'>
    | {
        /** Signs a token for the new guest user. */
        issueToken: TokenAuth['issueToken'];
        /** Lifetime of guest tokens in seconds (default: the issuer's). */
        ttlSeconds?: number;
      };
  /** Who may read `GET /metrics`: `'public'` (default), `'admin'`, or `false` to turn it off. */
  metrics?: 'public' | 'admin' | false;
  /** Milliseconds between SSE heartbeat comments (default 15,000). */
  heartbeatMs?: number;
  /** How often global flag overrides are re-read so `flag-change` fires (default 1,000; 0 turns polling off). */
  flagPollMs?: number;
  /**
   * When a turn's client goes away, how long (milliseconds) the turn keeps running for the client
   * to rejoin it (`GET /threads/:id/turns/:turnId/events`) before it is stopped as `aborted`
   * (default 30,000; 0 stops it at once, as before rejoining existed). A client that rejoins, here
   * or on another instance, keeps it running to its end; `POST …/turns/:turnId/stop` stops it at once.
   */
  rejoinGraceMs?: number;
  /**
   * Reads the client's address from a request, for the guest sign-up limit per client (config
   * `limits.guestsPerHourPerClient`). Default: the socket's peer address that `toNodeListener`
   * records (`clientAddressOf`). Behind a proxy or load balancer, read the header it sets, for
   * example `(request) => request.headers.get('x-forwarded-for')?.split(',')[0]?.trim()`; without
   * an address only the global limit (`limits.guestsPerHour`) applies.
   */
  clientAddress?: (request: Request) => string | undefined;
  /** Logger for request lines (default `dd.logger`). */
  logger?: Logger;
}
