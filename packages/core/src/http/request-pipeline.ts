import { randomUUID } from 'node:crypto';
import { DreamdeckError } from '../errors.js';
import type { AuditEvent } from '../storage/storage-adapter.js';
import { corsHeaders, preflightResponse } from './cors.js';
import type { HttpContext } from './http-context.js';
import { describeError, errorResponse } from './http-errors.js';
import { allowedMethods, type Router, routeParams } from './router.js';
import type { AuthUser } from './token-auth.js';

/** Answers requests for one handler; see {@link createRequestPipeline}. */
export interface RequestPipeline {
  /** Answers one request, never rejecting; `direct` lets event streams answer with a pump. */
  answer(request: Request, direct: boolean): Promise<Response>;
  /** From now on, every request answers 503 (the server is shutting down). */
  refuseNew(): void;
}

/**
 * Refusals of a signed-in caller worth an audit event, by status. A 401 (no valid credentials) is
 * never written: anyone can send those, so they are counted in metrics only; 429s are written by
 * the rate limiter itself.
 */
const STATUS_AUDIT: Record<number, AuditEvent['type'] | undefined> = {
  400: 'input-rejected',
  413: 'input-rejected',
  415: 'input-rejected',
  403: 'forbidden',
};

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);

/**
 * Creates the path every request takes: request id, CORS and `x-content-type-options: nosniff`
 * headers, routing (404, 405, `OPTIONS`), path parameters, authentication (401, counted in
 * metrics, never written to the audit log), the `apiCallsPerHour` limit, the route, then errors
 * mapped to `{ error: { code, message } }` (a signed-in caller's 400/403 refusals audited within
 * config `audit.refusalsPerUserPerHour`, 5xx logged with the request id), the request counted by
 * route template and logged.
 */
export function createRequestPipeline(context: HttpContext, router: Router): RequestPipeline {
  const { dd, options, logger, metrics } = context;
  let closing = false;

  const dispatch = async (
    request: Request,
    url: URL,
    requestId: string,
    headers: Record<string, string>,
    stats: { route: string; userId?: string },
    direct: boolean,
  ) => {
    if (closing) throw new DreamdeckError('MODEL_UNAVAILABLE', 'The server is shutting down. Try again in a moment.');
    const segments = router.segments(url.pathname);
    const candidates = router.candidates(segments);
    if (request.method === 'OPTIONS') return preflightResponse(options.cors, allowedMethods(candidates));
    const route = router.select(candidates, request.method);
    stats.route = route.name;
    const params = routeParams(route, segments);
    let user: AuthUser | null = null;
    if (!route.open || request.headers.has('authorization')) {
      try {
        user = await options.authenticate(request);
      } catch (error) {
        logger.warn({ err: error, requestId }, 'authenticate threw');
        user = null;
      }
      if (user && (typeof user.id !== 'string' || !user.id || user.id.length > 128)) user = null;
      if (!user && !route.open) {
        metrics.authFailures.inc({ reason: request.headers.has('authorization') ? 'invalid' : 'missing' });
        throw new DreamdeckError('UNAUTHORIZED', 'Sign in first: send `Authorization: Bearer <token>`.');
      }
    }
    if (user) stats.userId = user.id;
    if (user && !route.stream && !route.open) await dd.limits.consume(user.id, 'apiCallsPerHour');
    return route.handle({ request, url, requestId, params, user: user ?? { id: '', roles: [] }, headers, direct });
  };

  return {
    refuseNew() {
      closing = true;
    },
    async answer(request, direct) {
      const started = performance.now();
      const given = request.headers.get('x-request-id');
      const requestId = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
      const stats: { route: string; userId?: string } = { route: 'unmatched' };
      const headers: Record<string, string> = { 'x-request-id': requestId, 'x-content-type-options': 'nosniff' };
      let response: Response;
      try {
        Object.assign(headers, corsHeaders(options.cors, request));
        const url = new URL(request.url);
        response = await dispatch(request, url, requestId, headers, stats, direct);
      } catch (error) {
        const { status, code } = describeError(error);
        if (status >= 500)
          logger.error({ err: error, requestId, method: request.method, route: stats.route }, 'request failed');
        else logger.debug({ requestId, code, status, route: stats.route }, 'request refused');
        const auditType = STATUS_AUDIT[status];
        if (auditType && stats.userId) {
          void context.audit({
            type: auditType,
            userId: stats.userId,
            detail: { requestId, route: stats.route, method: request.method, code },
          });
        }
        response = errorResponse(error);
      }
      for (const [name, value] of Object.entries(headers))
        if (!response.headers.has(name)) response.headers.set(name, value);
      metrics.requests.inc({ method: safeMethod(request.method), route: stats.route, status: String(response.status) });
      logger.debug(
        {
          requestId,
          method: request.method,
          route: stats.route,
          status: response.status,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
      return response;
    },
  };
}

function safeMethod(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}
