import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { FlagName } from '../config/config-schema.js';
import type { Dreamdeck } from '../dreamdeck.js';
import { DreamdeckError } from '../errors.js';
import { USER_TOGGLEABLE_FLAGS } from '../flags/feature-flags.js';
import type { Logger } from '../logging/logger.js';
import type { StorySession } from '../session.js';
import type { AuditEvent } from '../storage/storage-adapter.js';
import type { InterruptKind, StoryMessage, Turn } from '../types.js';
import { describeError, errorResponse, HttpError, jsonResponse } from './http-errors.js';
import { createHttpMetrics, type HttpMetrics } from './http-metrics.js';
import {
  auditQuery,
  createThreadBody,
  emptyQuery,
  exportQuery,
  feedbackBody,
  feedbackQuery,
  flagsBody,
  idSchema,
  listThreadsQuery,
  messagesQuery,
  preferencesBody,
  regenerateBody,
  resumeBody,
  turnBody,
  updateThreadBody,
  usageQuery,
} from './http-schemas.js';
import { readJsonBody } from './read-body.js';
import { DIRECT_HANDLER, streamTurn } from './sse-stream.js';
import type { Authenticate, AuthUser, TokenAuth } from './token-auth.js';

/** Cross-origin settings. */
export interface CorsOptions {
  /** Allowed origins: `'*'`, a list, or a predicate. */
  origin: '*' | string | string[] | ((origin: string) => boolean);
  /** Send `Access-Control-Allow-Credentials: true` (not with `'*'`). */
  credentials?: boolean;
  /** Preflight cache lifetime in seconds (default 600). */
  maxAgeSeconds?: number;
}

/** Options for {@link createRequestHandler}. */
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
  guest?: false | Pick<TokenAuth, 'issueToken'> | { issueToken: TokenAuth['issueToken']; ttlSeconds?: number };
  /** Who may read `GET /metrics`: `'public'` (default), `'admin'`, or `false` to turn it off. */
  metrics?: 'public' | 'admin' | false;
  /** Milliseconds between SSE heartbeat comments (default 15,000). */
  heartbeatMs?: number;
  /** How often global flag overrides are re-read so `flag-change` fires (default 1,000; 0 turns polling off). */
  flagPollMs?: number;
  /** Logger for request lines (default `dd.logger`). */
  logger?: Logger;
}

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

interface Context {
  request: Request;
  url: URL;
  requestId: string;
  params: Record<string, string>;
  user: AuthUser;
  headers: Record<string, string>;
  /** Event streams may answer with a pump instead of a body (the caller is `toNodeListener`). */
  direct: boolean;
}

type Handler = (context: Context) => Promise<Response>;

interface Route {
  method: string;
  pattern: string[];
  name: string;
  /** No credentials needed. */
  open?: boolean;
  /** Streams a turn: counted by the turn limit, not `apiCallsPerHour`. */
  stream?: boolean;
  handle: Handler;
}

const STATUS_AUDIT: Record<number, AuditEvent['type'] | undefined> = {
  400: 'input-rejected',
  401: 'auth-failure',
  403: 'forbidden',
};

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
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const logger = options.logger ?? dd.logger;
  const metrics = createHttpMetrics(dd.events);
  const streams = new Map<AbortController, Promise<void>>();
  const busyThreads = new Set<string>();
  let closing = false;
  const flagPollMs = options.flagPollMs ?? 1000;
  const poll =
    flagPollMs > 0
      ? setInterval(() => {
          dd.flags.refresh(true).catch((error: unknown) => logger.warn({ err: error }, 'flag refresh failed'));
        }, flagPollMs)
      : undefined;
  poll?.unref?.();

  const isAdmin = (user: AuthUser) => user.roles?.includes('admin') === true;
  const requireAdmin = (user: AuthUser) => {
    if (!isAdmin(user)) throw new DreamdeckError('FORBIDDEN', 'Only an admin can do that.');
  };
  const audit = (event: Omit<AuditEvent, 'createdAt'>) =>
    dd.storage.recordAudit?.(event).catch((error: unknown) => logger.warn({ err: error }, 'audit write failed'));
  const open = (user: AuthUser, threadId: string): Promise<StorySession> =>
    dd.openSession({ userId: user.id, threadId });

  const stream = async (
    context: Context,
    threadId: string,
    start: (session: StorySession, signal: AbortSignal) => Turn,
  ) => {
    const session = await open(context.user, threadId);
    if (busyThreads.has(threadId)) {
      throw new HttpError(
        409,
        'INVALID_INPUT',
        'A turn is already running in this story. Wait for it or stop it first.',
      );
    }
    // The turn stops when the client goes away (the request's signal) or the server shuts down
    // (`abort`); one listener links them, lighter per open stream than AbortSignal.any. It holds the
    // signal, not the request, so an open stream does not keep the request alive.
    const abort = new AbortController();
    const { signal } = context.request;
    const clientGone = () => abort.abort(signal.reason);
    if (signal.aborted) clientGone();
    else signal.addEventListener('abort', clientGone, { once: true });
    const turn = start(session, abort.signal);
    busyThreads.add(threadId);
    let done!: () => void;
    streams.set(abort, new Promise<void>((resolve) => (done = resolve)));
    const release = () => {
      signal.removeEventListener('abort', clientGone);
      busyThreads.delete(threadId);
      streams.delete(abort);
      done();
    };
    try {
      return await streamTurn(turn, {
        abort,
        heartbeatMs: options.heartbeatMs ?? 15_000,
        headers: context.headers,
        direct: context.direct,
        onOpen: () => metrics.openStreams.inc(),
        onClose: () => {
          metrics.openStreams.dec();
          release();
        },
      });
    } catch (error) {
      release();
      throw error;
    }
  };

  const preferencesOf = async (user: AuthUser) => {
    const [stored, own, flags] = await Promise.all([
      dd.storage.getPreferences(user.id),
      dd.storage.getFlagOverrides({ userId: user.id }),
      dd.flags.effective({ userId: user.id }),
    ]);
    const mine: Partial<Record<FlagName, boolean>> = {};
    for (const name of USER_TOGGLEABLE_FLAGS) if (typeof own[name] === 'boolean') mine[name] = own[name];
    return {
      preferences: { persona: typeof stored.persona === 'string' ? stored.persona : null, flags: mine },
      flags,
      toggleable: [...USER_TOGGLEABLE_FLAGS],
    };
  };
  /**
   * Adds the caller's own `feedback: { value, comment? }` to each assistant message they rated.
   * Only assistant messages can be rated in the widget, so only those are looked up (in parallel).
   */
  const withOwnFeedback = async (user: AuthUser, messages: StoryMessage[]): Promise<MessageWithFeedback[]> => {
    const rated = await Promise.all(
      messages.map((message) => (message.role === 'assistant' ? dd.storage.getFeedback(message.id, user.id) : null)),
    );
    return messages.map((message, index) => {
      const record = rated[index];
      if (!record || record.userId !== user.id) return message;
      return { ...message, feedback: { value: record.value, ...(record.comment && { comment: record.comment }) } };
    });
  };
  const checkPersona = (persona: string) => {
    if (!dd.personas().some((p) => p.id === persona))
      throw new DreamdeckError('INVALID_INPUT', `There is no persona "${persona}".`);
  };

  const routes: Route[] = [
    {
      method: 'GET',
      pattern: ['health'],
      name: '/health',
      open: true,
      handle: async () => jsonResponse({ status: 'ok' }),
    },
    {
      method: 'GET',
      pattern: ['metrics'],
      name: '/metrics',
      open: options.metrics !== 'admin',
      handle: async ({ user }) => {
        if (options.metrics === false) throw new DreamdeckError('NOT_FOUND', 'There is nothing here.');
        if (options.metrics === 'admin') requireAdmin(user);
        return new Response(await metrics.registry.metrics(), {
          headers: { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' },
        });
      },
    },
    {
      method: 'POST',
      pattern: ['auth', 'guest'],
      name: '/auth/guest',
      open: true,
      handle: async ({ request }) => {
        if (!options.guest) throw new DreamdeckError('NOT_FOUND', 'Guest mode is off on this server.');
        parse(emptyBody, (await readJsonBody(request, maxBodyBytes)) ?? {});
        const user = { id: `guest_${randomUUID().replaceAll('-', '')}`, roles: ['guest'] };
        const ttlSeconds = 'ttlSeconds' in options.guest ? options.guest.ttlSeconds : undefined;
        const token = await options.guest.issueToken({ ...user, ...(ttlSeconds && { ttlSeconds }) });
        await dd.storage.upsertUser({ id: user.id, roles: user.roles });
        return jsonResponse({ token, user }, 201);
      },
    },
    {
      method: 'GET',
      pattern: ['me'],
      name: '/me',
      handle: async ({ user }) => jsonResponse({ user: { id: user.id, roles: user.roles ?? [] } }),
    },
    {
      method: 'GET',
      pattern: ['personas'],
      name: '/personas',
      handle: async () =>
        jsonResponse({
          personas: dd.personas().map(({ id, name, description, icon }) => ({ id, name, description, icon })),
          defaultPersona: dd.config.defaultPersona,
        }),
    },
    {
      method: 'POST',
      pattern: ['threads'],
      name: '/threads',
      handle: async ({ request, user }) => {
        const body = parse(createThreadBody, (await readJsonBody(request, maxBodyBytes)) ?? {});
        let persona = body.persona;
        if (persona) checkPersona(persona);
        else {
          const stored = (await dd.storage.getPreferences(user.id)).persona;
          if (typeof stored === 'string' && dd.personas().some((p) => p.id === stored)) persona = stored;
        }
        const session = await dd.openSession({
          userId: user.id,
          ...(persona && { persona }),
          ...(body.title && { title: body.title }),
        });
        return jsonResponse({ thread: session.thread }, 201);
      },
    },
    {
      method: 'GET',
      pattern: ['threads'],
      name: '/threads',
      handle: async ({ url, user }) => {
        const query = parseQuery(listThreadsQuery, url);
        const page = await dd.storage.listThreads(user.id, query);
        return jsonResponse({ threads: page.items, ...(page.nextCursor && { nextCursor: page.nextCursor }) });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(messagesQuery, url);
        const session = await open(user, params.id!);
        const limit = query.limit ?? 200;
        const messages = await session.history({ limit: limit + 1, ...(query.before && { before: query.before }) });
        const hasMore = messages.length > limit;
        const [thread, page, interrupt] = await Promise.all([
          dd.storage.getThread(session.threadId),
          withOwnFeedback(user, hasMore ? messages.slice(1) : messages),
          // a running turn delivers its own interrupt to the client that streams it
          busyThreads.has(session.threadId) ? undefined : pendingInterruptOf(session),
        ]);
        return jsonResponse({
          thread: thread ?? session.thread,
          messages: page,
          hasMore,
          ...(interrupt && { interrupt }),
        });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'messages'],
      name: '/threads/:id/messages',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(messagesQuery, url);
        const session = await open(user, params.id!);
        const limit = query.limit ?? 50;
        const messages = await session.history({ limit: limit + 1, ...(query.before && { before: query.before }) });
        const hasMore = messages.length > limit;
        return jsonResponse({ messages: await withOwnFeedback(user, hasMore ? messages.slice(1) : messages), hasMore });
      },
    },
    {
      method: 'PATCH',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ request, user, params }) => {
        const body = parse(updateThreadBody, await readJsonBody(request, maxBodyBytes));
        const session = await open(user, params.id!);
        if (body.persona) checkPersona(body.persona);
        const thread = await dd.storage.updateThread(session.threadId, {
          ...(body.title && { title: body.title }),
          ...(body.persona && { persona: body.persona }),
        });
        return jsonResponse({ thread });
      },
    },
    {
      method: 'DELETE',
      pattern: ['threads', ':id'],
      name: '/threads/:id',
      handle: async ({ user, params }) => {
        const session = await open(user, params.id!);
        if (busyThreads.has(session.threadId)) {
          throw new HttpError(
            409,
            'INVALID_INPUT',
            'A turn is running in this story. Stop it before deleting the story.',
          );
        }
        await dd.storage.deleteThread(session.threadId);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'turns'],
      name: '/threads/:id/turns',
      stream: true,
      handle: async (context) => {
        const body = parse(turnBody(dd.config.input.maxLength), await readJsonBody(context.request, maxBodyBytes));
        return stream(context, context.params.id!, (session, signal) => session.send(body.text, { signal }));
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'resume'],
      name: '/threads/:id/resume',
      stream: true,
      handle: async (context) => {
        const body = parse(resumeBody, await readJsonBody(context.request, maxBodyBytes));
        return stream(context, context.params.id!, (session, signal) =>
          session.resume(body.interruptId, body.value, { signal }),
        );
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'messages', ':mid', 'regenerate'],
      name: '/threads/:id/messages/:mid/regenerate',
      stream: true,
      handle: async (context) => {
        parse(regenerateBody, (await readJsonBody(context.request, maxBodyBytes)) ?? {});
        return stream(context, context.params.id!, (session, signal) =>
          session.regenerate(context.params.mid, { signal }),
        );
      },
    },
    {
      method: 'POST',
      pattern: ['threads', ':id', 'messages', ':mid', 'feedback'],
      name: '/threads/:id/messages/:mid/feedback',
      handle: async ({ request, user, params }) => {
        const body = parse(feedbackBody, await readJsonBody(request, maxBodyBytes));
        const session = await open(user, params.id!);
        await session.feedback(params.mid!, body.value, body.comment || undefined);
        return new Response(null, { status: 204 });
      },
    },
    {
      method: 'GET',
      pattern: ['threads', ':id', 'export'],
      name: '/threads/:id/export',
      handle: async ({ url, user, params }) => {
        const query = parseQuery(exportQuery, url);
        const session = await open(user, params.id!);
        const story = await session.export(query.format);
        const json = query.format === 'json';
        return new Response(story, {
          headers: {
            'content-type': json ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
            'content-disposition': `inline; filename="${session.threadId}.${json ? 'json' : 'md'}"`,
            'cache-control': 'no-store',
          },
        });
      },
    },
    {
      method: 'GET',
      pattern: ['flags'],
      name: '/flags',
      handle: async ({ url, user }) => {
        parseQuery(emptyQuery, url);
        const flags = await dd.flags.effective({ userId: user.id });
        const overrides = isAdmin(user) ? { overrides: await dd.storage.getFlagOverrides() } : {};
        return jsonResponse({ flags, toggleable: [...USER_TOGGLEABLE_FLAGS], ...overrides });
      },
    },
    {
      method: 'PATCH',
      pattern: ['flags'],
      name: '/flags',
      handle: async ({ request, user, requestId }) => {
        requireAdmin(user);
        const body = parse(flagsBody, await readJsonBody(request, maxBodyBytes));
        for (const [name, value] of Object.entries(body)) {
          if (value === undefined) continue;
          await dd.flags.set(name, value);
          await audit({ type: 'flag-changed', userId: user.id, detail: { flag: name, value, requestId } });
        }
        return jsonResponse({
          flags: await dd.flags.effective(),
          overrides: await dd.storage.getFlagOverrides(),
          toggleable: [...USER_TOGGLEABLE_FLAGS],
        });
      },
    },
    {
      method: 'GET',
      pattern: ['preferences'],
      name: '/preferences',
      handle: async ({ url, user }) => {
        parseQuery(emptyQuery, url);
        return jsonResponse(await preferencesOf(user));
      },
    },
    {
      method: 'PATCH',
      pattern: ['preferences'],
      name: '/preferences',
      handle: async ({ request, user }) => {
        const body = parse(preferencesBody, await readJsonBody(request, maxBodyBytes));
        for (const [name, value] of Object.entries(body.flags ?? {})) {
          if (value !== undefined && !USER_TOGGLEABLE_FLAGS.includes(name as FlagName)) {
            throw new DreamdeckError('FORBIDDEN', `The flag "${name}" can only be changed by an admin.`);
          }
        }
        if (body.persona) checkPersona(body.persona);
        if (body.persona !== undefined) await dd.storage.setPreferences(user.id, { persona: body.persona });
        for (const [name, value] of Object.entries(body.flags ?? {})) {
          if (value !== undefined) await dd.flags.set(name, value, { userId: user.id });
        }
        return jsonResponse(await preferencesOf(user));
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'usage'],
      name: '/admin/usage',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(usageQuery, url);
        if (!dd.storage.listUsage)
          throw new DreamdeckError('FEATURE_DISABLED', 'This storage adapter keeps no usage counters.');
        const usage = await dd.storage.listUsage(query);
        const totals: Record<string, number> = {};
        for (const row of usage) totals[row.metric] = (totals[row.metric] ?? 0) + row.count;
        return jsonResponse({ usage, totals });
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'feedback'],
      name: '/admin/feedback',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(feedbackQuery, url);
        const [summary, recent] = await Promise.all([
          dd.storage.feedbackSummary(query.sinceDay ? { sinceDay: query.sinceDay } : {}),
          dd.storage.recentFeedback({ limit: query.limit ?? 50 }),
        ]);
        return jsonResponse({ summary, recent });
      },
    },
    {
      method: 'GET',
      pattern: ['admin', 'audit'],
      name: '/admin/audit',
      handle: async ({ url, user }) => {
        requireAdmin(user);
        const query = parseQuery(auditQuery, url);
        if (!dd.storage.listAudit)
          throw new DreamdeckError('FEATURE_DISABLED', 'This storage adapter keeps no audit log.');
        return jsonResponse({
          events: await dd.storage.listAudit({ limit: query.limit ?? 100, ...(query.type && { type: query.type }) }),
        });
      },
    },
  ];

  const corsHeaders = (request: Request): Record<string, string> => {
    const cors = options.cors;
    const origin = request.headers.get('origin');
    if (!cors || !origin) return {};
    const allowed =
      cors.origin === '*'
        ? true
        : typeof cors.origin === 'function'
          ? cors.origin(origin)
          : Array.isArray(cors.origin)
            ? cors.origin.includes(origin)
            : cors.origin === origin;
    if (!allowed) return {};
    const headers: Record<string, string> = {
      'access-control-allow-origin': cors.origin === '*' && !cors.credentials ? '*' : origin,
      'access-control-expose-headers': 'x-request-id, retry-after, content-disposition',
      vary: 'Origin',
    };
    if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
    return headers;
  };

  const dispatch = async (
    request: Request,
    url: URL,
    requestId: string,
    headers: Record<string, string>,
    stats: { route: string },
    direct: boolean,
  ) => {
    if (closing) throw new DreamdeckError('MODEL_UNAVAILABLE', 'The server is shutting down. Try again in a moment.');
    let path = url.pathname;
    if (basePath) {
      if (path !== basePath && !path.startsWith(`${basePath}/`))
        throw new DreamdeckError('NOT_FOUND', 'There is nothing here.');
      path = path.slice(basePath.length);
    }
    let segments: string[];
    try {
      segments = path
        .split('/')
        .filter(Boolean)
        .map((segment) => decodeURIComponent(segment));
    } catch {
      throw new DreamdeckError('NOT_FOUND', 'There is nothing here.');
    }
    const candidates = routes.filter((route) => matches(route.pattern, segments));
    if (candidates.length === 0) throw new DreamdeckError('NOT_FOUND', 'There is nothing here.');
    if (request.method === 'OPTIONS') {
      const allow = candidates.map((route) => route.method).join(', ');
      return new Response(null, {
        status: 204,
        headers: {
          allow,
          ...(options.cors && {
            'access-control-allow-methods': allow,
            'access-control-allow-headers': 'authorization, content-type, x-request-id',
            'access-control-max-age': String(options.cors.maxAgeSeconds ?? 600),
          }),
        },
      });
    }
    const route = candidates.find((candidate) => candidate.method === request.method);
    if (!route) {
      const allow = candidates.map((candidate) => candidate.method).join(', ');
      throw new HttpError(405, 'INVALID_INPUT', `Use ${allow} here.`, { allow });
    }
    stats.route = route.name;
    const params: Record<string, string> = {};
    route.pattern.forEach((part, index) => {
      if (part.startsWith(':')) params[part.slice(1)] = parse(idSchema, segments[index], `${part.slice(1)}`);
    });
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
    if (user && !route.stream && !route.open) await dd.limits.consume(user.id, 'apiCallsPerHour');
    return route.handle({ request, url, requestId, params, user: user ?? { id: '', roles: [] }, headers, direct });
  };

  const answer = async (request: Request, direct: boolean): Promise<Response> => {
    const started = performance.now();
    const given = request.headers.get('x-request-id');
    const requestId = given && /^[\w.:-]{1,64}$/.test(given) ? given : randomUUID();
    const stats = { route: 'unmatched' };
    const headers: Record<string, string> = { 'x-request-id': requestId };
    let response: Response;
    try {
      Object.assign(headers, corsHeaders(request));
      const url = new URL(request.url);
      response = await dispatch(request, url, requestId, headers, stats, direct);
    } catch (error) {
      const { status, code } = describeError(error);
      if (status >= 500)
        logger.error({ err: error, requestId, method: request.method, route: stats.route }, 'request failed');
      else logger.debug({ requestId, code, status, route: stats.route }, 'request refused');
      const auditType = STATUS_AUDIT[status];
      if (auditType && stats.route !== 'unmatched') {
        void audit({ type: auditType, detail: { requestId, route: stats.route, method: request.method, code } });
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
  };

  const handler = (request: Request) => answer(request, false);
  return Object.assign(handler, {
    [DIRECT_HANDLER]: (request: Request) => answer(request, true),
    metrics,
    get openStreams() {
      return streams.size;
    },
    async close() {
      closing = true;
      if (poll) clearInterval(poll);
      const pending = [...streams.values()];
      for (const controller of streams.keys())
        controller.abort(new DOMException('The server is shutting down.', 'AbortError'));
      await Promise.all(pending);
      metrics.detach();
    },
  }) as RequestHandler;
}

/** A message as the thread routes answer it: with the caller's own rating when they gave one. */
export type MessageWithFeedback = StoryMessage & { feedback?: { value: 1 | -1; comment?: string } };

/** The question a thread waits on, as `GET /threads/:id` answers it under `interrupt`. */
export interface PendingInterrupt {
  interruptId: string;
  kind: InterruptKind;
  prompt: string;
  options?: string[];
}

/** The session's pending interrupt, reduced to the public fields. */
async function pendingInterruptOf(session: StorySession): Promise<PendingInterrupt | undefined> {
  const pending = await session.pendingInterrupt();
  if (!pending) return undefined;
  return {
    interruptId: pending.interruptId,
    kind: pending.kind,
    prompt: pending.prompt,
    ...(pending.options && { options: [...pending.options] }),
  };
}

const emptyBody = regenerateBody;
const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD']);

function safeMethod(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}

function matches(pattern: string[], segments: string[]): boolean {
  if (pattern.length !== segments.length) return false;
  return pattern.every((part, index) => part.startsWith(':') || part === segments[index]);
}

/** Validates `value` with `schema`; failures answer 400 naming each bad field. */
function parse<T extends z.ZodType>(schema: T, value: unknown, where = 'body'): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      const name = path || where;
      return issue.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : `${name}: ${issue.message}`;
    })
    .join('; ');
  throw new DreamdeckError('INVALID_INPUT', `Invalid ${where}: ${problems}.`.slice(0, 500));
}

function parseQuery<T extends z.ZodType>(schema: T, url: URL): z.output<T> {
  const query: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key in query) throw new DreamdeckError('INVALID_INPUT', `Give the query parameter "${key.slice(0, 40)}" once.`);
    query[key] = value;
  }
  return parse(schema, query, 'query');
}
