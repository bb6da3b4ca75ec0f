/**
 * `@dreamdeck/core/http`: Dreamdeck's HTTP API as a fetch-style handler, with auth, SSE turns,
 * metrics and graceful shutdown. See `docs/http.md`.
 * @packageDocumentation
 */

export { clientAddressOf } from './client-address.js';
export type { CorsOptions } from './cors.js';
export type { GracefulShutdownOptions } from './graceful-shutdown.js';
export { gracefulShutdown } from './graceful-shutdown.js';
export type { RequestHandlerOptions } from './handler-options.js';
export { describeError, errorResponse, HttpError, jsonResponse, STATUS_BY_CODE } from './http-errors.js';
export type { HttpMetrics } from './http-metrics.js';
export { createHttpMetrics } from './http-metrics.js';
export type { FetchHandler, NodeListenerOptions } from './node-listener.js';
export { toNodeListener } from './node-listener.js';
export type { RequestHandler } from './request-handler.js';
export { createRequestHandler } from './request-handler.js';
export type { MessageWithFeedback, PendingInterrupt } from './routes/thread-views.js';
export type { StreamReplayOptions, StreamTurnOptions } from './sse-stream.js';
export { formatEvent, streamReplay, streamTurn } from './sse-stream.js';
export type { Authenticate, AuthUser, TokenAuth, TokenAuthOptions } from './token-auth.js';
export { createTokenAuth } from './token-auth.js';
