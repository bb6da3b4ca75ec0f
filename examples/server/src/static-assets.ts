import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** One file as served: its bytes, compressed forms and validator, built once per version on disk. */
interface Asset {
  mtimeMs: number;
  size: number;
  body: Buffer;
  br: Buffer;
  gzip: Buffer;
  /** A content hash: the strong `ETag` and the `?v=` that makes a URL versioned. */
  hash: string;
}

/** Serves static files with precompressed bodies, `ETag`s and cache headers; see {@link createStaticAssets}. */
export interface StaticAssets {
  /** The content hash of `path` (changes whenever the file does), for a versioned URL `?v=<hash>`. */
  version(path: string): string;
  /**
   * Answers `request` with `path`: brotli or gzip when the client accepts it (compressed once per
   * version of the file, not per request), `304` when its `If-None-Match` still matches, and
   * `cache-control: public, max-age=31536000, immutable` when the URL names the current version
   * (`?v=<hash>`); otherwise `no-cache`, so the browser revalidates with the `ETag`.
   */
  serve(request: Request, path: string, contentType: string): Response;
}

/** Creates the static-file server of the example: the widget bundles, their lazy chunks, the favicon. */
export function createStaticAssets(): StaticAssets {
  const assets = new Map<string, Asset>();

  const load = (path: string): Asset => {
    const stat = statSync(path);
    const known = assets.get(path);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known;
    const body = readFileSync(path);
    const asset: Asset = {
      mtimeMs: stat.mtimeMs,
      size: stat.size,
      body,
      br: brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gzip: gzipSync(body, { level: 9 }),
      hash: createHash('sha256').update(body).digest('base64url').slice(0, 16),
    };
    assets.set(path, asset);
    return asset;
  };

  return {
    version: (path) => load(path).hash,
    serve(request, path, contentType) {
      const asset = load(path);
      const url = new URL(request.url);
      const etag = `"${asset.hash}"`;
      const headers: Record<string, string> = {
        'content-type': contentType,
        'x-content-type-options': 'nosniff',
        etag,
        vary: 'accept-encoding',
        'cache-control': url.searchParams.get('v') === asset.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      const matches = request.headers
        .get('if-none-match')
        ?.split(',')
        .some((tag) => tag.trim().replace(/^W\//, '') === etag);
      if (matches) return new Response(null, { status: 304, headers });
      const accepted = acceptedEncodings(request.headers.get('accept-encoding'));
      let body = asset.body;
      if (accepted.has('br')) {
        body = asset.br;
        headers['content-encoding'] = 'br';
      } else if (accepted.has('gzip')) {
        body = asset.gzip;
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = String(body.length);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { headers });
    },
  };
}

/** The encodings an `Accept-Encoding` header allows (those with `q=0` are refused). */
function acceptedEncodings(header: string | null): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    accepted.add(name);
  }
  return accepted;
}
