/** Cross-origin settings. */
export interface CorsOptions {
  /** Allowed origins: `'*'`, a list, or a predicate. */
  origin: '*' | string | string[] | ((origin: string) => boolean);
  /** Send `Access-Control-Allow-Credentials: true` (not with `'*'`). */
  credentials?: boolean;
  /** Preflight cache lifetime in seconds (default 600). */
  maxAgeSeconds?: number;
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * The CORS headers every answer to `request` carries: none without `cors`, without an `Origin`
 * header, or for an origin `cors` does not allow. The result is only read (callers copy it).
 */
export function corsHeaders(cors: CorsOptions | undefined, request: Request): Readonly<Record<string, string>> {
  const origin = request.headers.get('origin');
  if (!cors || !origin) return NO_HEADERS;
  const allowed =
    cors.origin === '*'
      ? true
      : typeof cors.origin === 'function'
        ? cors.origin(origin)
        : Array.isArray(cors.origin)
          ? cors.origin.includes(origin)
          : cors.origin === origin;
  if (!allowed) return NO_HEADERS;
  const headers: Record<string, string> = {
    'access-control-allow-origin': cors.origin === '*' && !cors.credentials ? '*' : origin,
    'access-control-expose-headers': 'x-request-id, retry-after, content-disposition',
    vary: 'Origin',
  };
  if (cors.credentials) headers['access-control-allow-credentials'] = 'true';
  return headers;
}

/**
 * The answer to `OPTIONS` on a known path: 204 with `Allow` (the path's methods, comma-separated),
 * plus the preflight headers when `cors` is set.
 */
export function preflightResponse(cors: CorsOptions | undefined, allow: string): Response {
  return new Response(null, {
    status: 204,
    headers: {
      allow,
      ...(cors && {
        'access-control-allow-methods': allow,
        'access-control-allow-headers': 'authorization, content-type, x-request-id',
        'access-control-max-age': String(cors.maxAgeSeconds ?? 600),
      }),
    },
  });
}
