import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createDemoImages,
  createDemoModel,
  createDreamdeck,
  createMemoryStorage,
  type Dreamdeck,
  type DreamdeckConfigInput,
  type ImageAdapter,
  type Logger,
  type ModelAdapter,
  type SearchAdapter,
  type StorageAdapter,
} from '@dreamdeck/core';
import {
  createRequestHandler,
  createTokenAuth,
  gracefulShutdown,
  type RequestHandler,
  type TokenAuth,
  toNodeListener,
} from '@dreamdeck/core/http';
import { ADMIN_PAGE_SCRIPT, renderAdminPage, renderPage } from './page.js';
import { createStaticAssets } from './static-assets.js';

/** Options for {@link startServer}. Everything falls back to the environment, then to a demo default. */
export interface StartServerOptions {
  /** Port to listen on (default `PORT` or 8787; `0` picks a free one). */
  port?: number;
  /** Interface to bind (default `HOST` or `0.0.0.0`). */
  host?: string;
  /** Storage to use; else `DATABASE_URL` (Postgres) or SQLite at `databasePath`. */
  storage?: StorageAdapter;
  /** SQLite file (default `DREAMDECK_DB` or `./.dreamdeck/dreamdeck.db`, relative to where `pnpm example` was run). */
  databasePath?: string;
  /** PostgreSQL connection string (default `DATABASE_URL`). */
  databaseUrl?: string;
  /** PostgreSQL schema (default `DREAMDECK_PG_SCHEMA` or the adapter's default). */
  databaseSchema?: string;
  /** The model; else `modelFromEnv()` (`DREAMDECK_MODEL`, demo by default). */
  model?: ModelAdapter;
  /** The image backend; else `imagesFromEnv()` (`DREAMDECK_IMAGES`, demo by default). */
  images?: ImageAdapter;
  /** Web search; else `searchFromEnv()` (`DREAMDECK_SEARCH`, none by default; when set, `webSearch` defaults on). */
  search?: SearchAdapter;
  /** Engine config given in code (wins over `DREAMDECK_*` env). */
  config?: DreamdeckConfigInput;
  /** Token secret shared by every instance (default `DREAMDECK_SECRET`, else random per start; `pnpm example` keeps one in `./.dreamdeck/secret`). */
  secret?: string;
  /** Guest mode for the demo page (default on; `DREAMDECK_GUEST=off` turns it off). */
  guest?: boolean;
  /** Where the API lives (default `/api`). */
  basePath?: string;
  /** The widget bundle served at `/dreamdeck-chat.js` (default `packages/widget/dist/dreamdeck-chat.js`). */
  widgetPath?: string;
  /** The admin bundle served at `/dreamdeck-admin.js` (default `packages/widget/dist/dreamdeck-admin.js`). */
  adminWidgetPath?: string;
  /** How often global flags are re-read from storage (default 1,000 ms). */
  flagPollMs?: number;
  /** Engine logger (default: JSON lines at the configured level). */
  logger?: Logger;
  /** Environment to read (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Limits of the `node:http` server against slow or piled-up clients (see {@link ServerLimits}). */
  server?: ServerLimits;
}

/**
 * What the example server allows a connection, so slow clients cannot hold it (a slow-loris
 * trickling its headers or body gets a 408 and a closed socket). Each falls back to an env var,
 * then to a default. Event streams are not cut: `requestTimeoutMs` covers receiving the request,
 * not sending the answer.
 */
export interface ServerLimits {
  /** Most milliseconds to receive a whole request, headers and body (`DREAMDECK_REQUEST_TIMEOUT_MS`, default 30,000). */
  requestTimeoutMs?: number;
  /** Most milliseconds to receive the request headers (`DREAMDECK_HEADERS_TIMEOUT_MS`, default 10,000). */
  headersTimeoutMs?: number;
  /**
   * Milliseconds an idle keep-alive connection stays open (`DREAMDECK_KEEP_ALIVE_TIMEOUT_MS`,
   * default 65,000: longer than the 60 s idle timeout of common load balancers, which must close first).
   */
  keepAliveTimeoutMs?: number;
  /** Most connections open at once; more are refused (`DREAMDECK_MAX_CONNECTIONS`, default 1,000). */
  maxConnections?: number;
  /** How often the server checks requests against the two timeouts, in ms (default 1,000; Node's own is 30,000). */
  checkIntervalMs?: number;
}

function serverLimits(options: ServerLimits, env: Record<string, string | undefined>): Required<ServerLimits> {
  const read = (given: number | undefined, name: string, fallback: number) => {
    const value = given ?? (env[name] ? Number(env[name]) : fallback);
    if (!Number.isInteger(value) || value <= 0)
      throw new Error(`[dreamdeck] [example] ${name} must be a positive whole number, got ${env[name] ?? given}`);
    return value;
  };
  return {
    requestTimeoutMs: read(options.requestTimeoutMs, 'DREAMDECK_REQUEST_TIMEOUT_MS', 30_000),
    headersTimeoutMs: read(options.headersTimeoutMs, 'DREAMDECK_HEADERS_TIMEOUT_MS', 10_000),
    keepAliveTimeoutMs: read(options.keepAliveTimeoutMs, 'DREAMDECK_KEEP_ALIVE_TIMEOUT_MS', 65_000),
    maxConnections: read(options.maxConnections, 'DREAMDECK_MAX_CONNECTIONS', 1000),
    checkIntervalMs: read(options.checkIntervalMs, 'DREAMDECK_CONNECTIONS_CHECK_MS', 1000),
  };
}

/** A running example server. */
export interface RunningServer {
  /** Base URL, for example `http://localhost:8787`. */
  url: string;
  port: number;
  /** The API's base URL, for example `http://localhost:8787/api`. */
  apiUrl: string;
  dd: Dreamdeck;
  handler: RequestHandler;
  auth: TokenAuth;
  server: Server;
  /** What it runs on, for banners. */
  description: { model: string; images: string; database: string; search: string };
  /** Stops accepting, ends open streams, closes the engine and storage. Idempotent. */
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Bodies read before the handler runs: room for uploads (a character card PNG on `POST /lore/import`
 * takes up to 10 MB); every route still refuses more than its own limit (JSON bodies: 64 KB).
 */
const UPLOAD_BODY_BYTES = 11 * 1024 * 1024;
const DEFAULT_WIDGET = resolve(here, '../../../packages/widget/dist/dreamdeck-chat.js');
const DEFAULT_ADMIN_WIDGET = resolve(here, '../../../packages/widget/dist/dreamdeck-admin.js');
const FAVICON = resolve(here, '../assets/favicon.svg');
const USER_MANUAL = resolve(here, '../../../docs/user-manual.md');

/** Content-Security-Policy for the pages: scripts only from this origin, except the fallback page's inline one. */
function contentSecurityPolicy(inlineScript: boolean): string {
  return `default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; script-src 'self'${
    inlineScript ? " 'unsafe-inline'" : ''
  }; object-src 'none'; base-uri 'none'; frame-ancestors 'self'`;
}

const html = (body: string, inlineScript: boolean) =>
  new Response(body, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(inlineScript),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });

const script = (body: string) =>
  new Response(body, {
    headers: {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
  });

async function optionalImport<T>(load: () => Promise<T>): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

async function chooseStorage(options: StartServerOptions, env: Record<string, string | undefined>) {
  if (options.storage) return { storage: options.storage, database: `${options.storage.name} (given)` };
  const url = options.databaseUrl ?? env.DATABASE_URL;
  if (url) {
    const postgres = await optionalImport(() => import('@dreamdeck/adapters/postgres'));
    if (!postgres)
      throw new Error('[dreamdeck] DATABASE_URL is set but @dreamdeck/adapters/postgres is not available.');
    const schema = options.databaseSchema ?? env.DREAMDECK_PG_SCHEMA;
    const storage = postgres.createPostgresStorage({ connectionString: url, ...(schema && { schema }) });
    return {
      storage,
      database: `PostgreSQL ${url.replace(/\/\/[^@/]*@/, '//***@')}${schema ? ` (schema ${schema})` : ''}`,
    };
  }
  // `pnpm example` runs in examples/server; INIT_CWD is where the user typed it.
  const path = resolve(env.INIT_CWD ?? '.', options.databasePath ?? env.DREAMDECK_DB ?? './.dreamdeck/dreamdeck.db');
  const sqlite = await optionalImport(() => import('@dreamdeck/adapters/sqlite'));
  if (!sqlite) return { storage: createMemoryStorage(), database: 'in memory (SQLite adapter not available yet)' };
  mkdirSync(dirname(path), { recursive: true });
  return { storage: sqlite.createSqliteStorage({ path }), database: `SQLite ${path}` };
}

async function chooseModel(options: StartServerOptions, env: Record<string, string | undefined>) {
  const fromEnv =
    options.model && options.images ? undefined : await optionalImport(() => import('@dreamdeck/adapters/env'));
  const model = options.model
    ? { adapter: options.model, description: `${options.model.name} (given)` }
    : fromEnv
      ? await fromEnv.modelFromEnv(env)
      : { adapter: { name: 'demo', model: createDemoModel() } as ModelAdapter, description: 'demo model (offline)' };
  const images = options.images
    ? { adapter: options.images, description: `${options.images.name} (given)` }
    : fromEnv
      ? await fromEnv.imagesFromEnv(env)
      : { adapter: createDemoImages(), description: 'demo images' };
  return { model, images };
}

async function chooseSearch(options: StartServerOptions, env: Record<string, string | undefined>) {
  if (options.search) return { adapter: options.search, description: `${options.search.name} (given)` };
  const fromEnv = await optionalImport(() => import('@dreamdeck/adapters/search'));
  return fromEnv ? await fromEnv.searchFromEnv(env) : { adapter: undefined, description: 'no web search' };
}

/**
 * Starts the reference Dreamdeck server: the HTTP API under `/api` (guest mode on), a page hosting
 * `<dreamdeck-chat endpoint="/api">` at `/`, an admin page hosting `<dreamdeck-admin>` at `/admin`
 * (open it as `/admin#token=<admin token>`), and the bundles at `/dreamdeck-chat.js` and
 * `/dreamdeck-admin.js` (plus `/dreamdeck-locale-de.js`, which they load for German pages, and
 * `/dreamdeck-memory.js`, the Memory panel the chat loads when it is first opened).
 * Usable in-process from tests (`port: 0`) and from `pnpm example` (see `main.ts`).
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const { storage, database } = await chooseStorage(options, env);
  const { model, images } = await chooseModel(options, env);
  const search = await chooseSearch(options, env);
  const config: DreamdeckConfigInput = { ...options.config };
  if (search.adapter && !env.DREAMDECK_FEATURES__WEB_SEARCH && config.features?.webSearch === undefined) {
    // a search service was set up: let the demo page use it
    config.features = { ...config.features, webSearch: true };
  }
  if (!env.DREAMDECK_LIMITS__API_CALLS_PER_HOUR && config.limits?.apiCallsPerHour === undefined) {
    // the demo page makes a handful of calls per visit; 60 an hour is tight for trying it out
    config.limits = { ...config.limits, apiCallsPerHour: 2000 };
  }
  const dd = await createDreamdeck({
    storage,
    model: model.adapter,
    ...(images.adapter && { images: images.adapter }),
    ...(search.adapter && { search: search.adapter }),
    config,
    env,
    ...(options.logger && { logger: options.logger }),
  });
  const secret = options.secret ?? env.DREAMDECK_SECRET ?? randomBytes(32).toString('base64url');
  const auth = createTokenAuth({ secret });
  const guest = options.guest ?? !['off', 'false', '0'].includes((env.DREAMDECK_GUEST ?? '').toLowerCase());
  const basePath = options.basePath ?? '/api';
  const handler = createRequestHandler(dd, {
    basePath,
    authenticate: auth.authenticate,
    guest: guest ? auth : false,
    ...(options.flagPollMs !== undefined && { flagPollMs: options.flagPollMs }),
  });
  const widgetPath = options.widgetPath ?? DEFAULT_WIDGET;
  const adminWidgetPath = options.adminWidgetPath ?? DEFAULT_ADMIN_WIDGET;

  const assets = createStaticAssets();
  const app = async (request: Request): Promise<Response> => {
    const { pathname } = new URL(request.url);
    if (pathname === basePath || pathname.startsWith(`${basePath}/`)) return handler(request);
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Not found', { status: 404 });
    if (pathname === '/' || pathname === '/index.html') {
      const widget = existsSync(widgetPath);
      // only the fallback page (no widget bundle yet) has an inline script
      return html(
        renderPage({
          endpoint: basePath,
          widget,
          ...(widget && { widgetUrl: `/dreamdeck-chat.js?v=${assets.version(widgetPath)}` }),
          faviconUrl: `/favicon.svg?v=${assets.version(FAVICON)}`,
        }),
        !widget,
      );
    }
    if (pathname === '/admin' || pathname === '/admin/') {
      const widget = existsSync(adminWidgetPath);
      return html(
        renderAdminPage({
          endpoint: basePath,
          widget,
          ...(widget && { widgetUrl: `/dreamdeck-admin.js?v=${assets.version(adminWidgetPath)}` }),
          faviconUrl: `/favicon.svg?v=${assets.version(FAVICON)}`,
        }),
        false,
      );
    }
    if (pathname === '/favicon.svg') return assets.serve(request, FAVICON, 'image/svg+xml');
    // the player guide, linked from the chat's command hints (plain text: readable offline, no renderer)
    if (pathname === '/docs/user-manual.md' && existsSync(USER_MANUAL))
      return assets.serve(request, USER_MANUAL, 'text/plain; charset=utf-8');
    if (pathname === '/admin.js') return script(ADMIN_PAGE_SCRIPT);
    // the bundles, and the files they load on demand (German, the Memory panel, the story list and
    // settings, the turn stream's parser, …) from beside them: any dreamdeck-*.js the build wrote
    const bundle = /^\/(dreamdeck-[a-z]+(?:-[a-z]+){0,3}\.js)$/.exec(pathname)?.[1];
    const bundlePath =
      bundle && resolve(dirname(bundle === 'dreamdeck-admin.js' ? adminWidgetPath : widgetPath), bundle);
    const path =
      bundle === 'dreamdeck-chat.js' ? widgetPath : bundle === 'dreamdeck-admin.js' ? adminWidgetPath : bundlePath;
    if (path && existsSync(path)) return assets.serve(request, path, 'text/javascript; charset=utf-8');
    return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };

  const limits = serverLimits(options.server ?? {}, env);
  const server = createServer(
    {
      requestTimeout: limits.requestTimeoutMs,
      // Node requires headersTimeout <= requestTimeout
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    toNodeListener(
      async (request) => {
        // every answer, the pages' 404s included (the API's carry it already)
        const response = await app(request);
        if (!response.headers.has('x-content-type-options')) response.headers.set('x-content-type-options', 'nosniff');
        return response;
      },
      { maxBodyBytes: UPLOAD_BODY_BYTES },
    ),
  );
  server.maxConnections = limits.maxConnections;
  const port = options.port ?? Number(env.PORT ?? 8787);
  const host = options.host ?? env.HOST ?? '0.0.0.0';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://localhost:${actual}`;
  const close = gracefulShutdown({ server, handler, dreamdeck: dd, signals: [], timeoutMs: 10_000 });
  return {
    url,
    port: actual,
    apiUrl: `${url}${basePath}`,
    dd,
    handler,
    auth,
    server,
    description: { model: model.description, images: images.description, database, search: search.description },
    close,
  };
}
