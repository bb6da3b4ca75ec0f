import type { Dreamdeck } from '../dreamdeck.js';
import { DreamdeckError } from '../errors.js';
import { startFlagPoll } from './flag-poll.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { createHttpContext } from './http-context.js';
import type { HttpMetrics } from './http-metrics.js';
import { createRequestPipeline } from './request-pipeline.js';
import { createRouter } from './router.js';
import { adminRoutes } from './routes/admin.js';
import { authRoutes } from './routes/auth.js';
import { experimentRoutes } from './routes/experiments.js';
import { flagRoutes } from './routes/flags.js';
import { knowledgeRoutes } from './routes/knowledge.js';
import { loreRoutes } from './routes/lore.js';
import { memoryRoutes } from './routes/memory.js';
import { personaRoutes } from './routes/personas.js';
import { preferenceRoutes } from './routes/preferences.js';
import { serviceRoutes } from './routes/service.js';
import { storyControlRoutes } from './routes/story-controls.js';
import { threadRoutes } from './routes/threads.js';
import { todoRoutes } from './routes/todos.js';
import { turnEventRoutes } from './routes/turn-events.js';
import { turnRoutes } from './routes/turns.js';
import { DIRECT_HANDLER } from './sse-stream.js';

/** A fetch-style handler with lifecycle extras. */
export interface RequestHandler {
  /** Answers one request. Never rejects: failures become JSON error responses. */
  (request: Request): Promise<Response>;
  /** The handler's Prometheus metrics. */
  readonly metrics: HttpMetrics;
  /** Event streams open right now. */
  readonly openStreams: number;
  /**
   * Stops the flag poll loop, refuses new requests (503), aborts running turns so every open
   * stream ends with its `turn-end`, and resolves when they have all closed.
   */
  close(): Promise<void>;
}

/**
 * Creates the Dreamdeck HTTP API as a fetch-style `(Request) => Promise<Response>`: threads,
 * SSE turns, resume, regenerate, feedback, export, flags, preferences, admin analytics, health,
 * Prometheus metrics and guest tokens. Every body, param and query is validated with zod;
 * another user's threads answer 404; errors are `{ error: { code, message } }` with an
 * `x-request-id` that also appears in the logs. See `docs/http.md`.
 *
 * ```ts
 * const auth = createTokenAuth({ secret });
 * const handler = createRequestHandler(dd, { basePath: '/api', authenticate: auth.authenticate, guest: auth });
 * createServer(toNodeListener(handler)).listen(8787);
 * ```
 */
export function createRequestHandler(dd: Dreamdeck, options: RequestHandlerOptions): RequestHandler {
  if (typeof options?.authenticate !== 'function') {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      '[dreamdeck] [http] createRequestHandler needs an `authenticate(request)` function.',
    );
  }
  const context = createHttpContext(dd, options);
  // the order of routes on one path is the order of its `Allow` header
  const router = createRouter(options.basePath ?? '', [
    ...serviceRoutes(context),
    ...authRoutes(context),
    ...personaRoutes(context),
    ...threadRoutes(context),
    ...storyControlRoutes(context),
    ...turnRoutes(context),
    ...turnEventRoutes(context),
    ...flagRoutes(context),
    ...preferenceRoutes(context),
    ...memoryRoutes(context),
    ...loreRoutes(context),
    ...knowledgeRoutes(context),
    ...todoRoutes(context),
    ...adminRoutes(context),
    ...experimentRoutes(context),
  ]);
  const pipeline = createRequestPipeline(context, router);
  const stopFlagPoll = startFlagPoll(dd.flags, options.flagPollMs ?? 1000, context.logger);

  const handler = (request: Request) => pipeline.answer(request, false);
  Object.assign(handler, {
    [DIRECT_HANDLER]: (request: Request) => pipeline.answer(request, true),
    metrics: context.metrics,
    async close() {
      pipeline.refuseNew();
      stopFlagPoll();
      await context.streams.closeAll();
      context.metrics.detach();
    },
  });
  // a getter (Object.assign would copy its value once: 0 for ever)
  Object.defineProperty(handler, 'openStreams', { get: () => context.streams.size, enumerable: true });
  return handler as unknown as RequestHandler;
}
