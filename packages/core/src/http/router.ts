import { DreamdeckError } from '../errors.js';
import { HttpError } from './http-errors.js';
import { idSchema } from './http-schemas.js';
import type { AuthUser } from './token-auth.js';
import { parse } from './validation.js';

/** What a route's handler gets for one request. */
export interface RequestContext {
  request: Request;
  url: URL;
  /** The `x-request-id` of this request (the caller's when it was a short safe token). */
  requestId: string;
  /** Path parameters (`:id` → `params.id`), each checked to be a valid id. */
  params: Record<string, string>;
  /** The caller; `{ id: '', roles: [] }` on an open route called without credentials. */
  user: AuthUser;
  /** Headers every answer to this request carries (request id, CORS). */
  headers: Record<string, string>;
  /** Event streams may answer with a pump instead of a body (the caller is `toNodeListener`). */
  direct: boolean;
}

/** One route: a method and a path pattern, and the handler that answers it. */
export interface Route {
  method: string;
  /** Path segments below the base path; `:name` segments are parameters. */
  pattern: string[];
  /** The route template, as metrics and logs name it (`/threads/:id`). */
  name: string;
  /** No credentials needed. */
  open?: boolean;
  /** Streams a turn: counted by the turn limit, not `apiCallsPerHour`. */
  stream?: boolean;
  handle: (context: RequestContext) => Promise<Response>;
}

/** Finds the routes for a request path. */
export interface Router {
  /**
   * The decoded path segments below the base path. Throws `NOT_FOUND` for a path outside the base
   * path or with broken percent-encoding.
   */
  segments(pathname: string): string[];
  /** Every route whose pattern fits `segments`, whatever its method. Throws `NOT_FOUND` when none does. */
  candidates(segments: string[]): Route[];
  /** The candidate for `method`; throws 405 with `Allow` when there is none. */
  select(candidates: Route[], method: string): Route;
}

const nowhere = () => new DreamdeckError('NOT_FOUND', 'There is nothing here.');

/**
 * Creates the router over `routes`, mounted at `basePath` (`''` or a prefix such as `/api`; a
 * trailing slash is ignored). Patterns match whole segments; a path that fits no pattern answers
 * 404 and a known path with the wrong method 405 with `Allow`.
 */
export function createRouter(basePath: string, routes: readonly Route[]): Router {
  const base = basePath.replace(/\/+$/, '');
  return {
    segments(pathname) {
      let path = pathname;
      if (base) {
        if (path !== base && !path.startsWith(`${base}/`)) throw nowhere();
        path = path.slice(base.length);
      }
      try {
        return path
          .split('/')
          .filter(Boolean)
          .map((segment) => decodeURIComponent(segment));
      } catch {
        throw nowhere();
      }
    },
    candidates(segments) {
      const found = routes.filter((route) => matches(route.pattern, segments));
      if (found.length === 0) throw nowhere();
      return found;
    },
    select(candidates, method) {
      const route = candidates.find((candidate) => candidate.method === method);
      if (route) return route;
      const allow = allowedMethods(candidates);
      throw new HttpError(405, 'INVALID_INPUT', `Use ${allow} here.`, { allow });
    },
  };
}

/** The `Allow` header for a path: the methods of its routes, comma-separated. */
export function allowedMethods(candidates: readonly Route[]): string {
  return candidates.map((route) => route.method).join(', ');
}

/** The path parameters of `route` in `segments`; an invalid id answers 400 naming the parameter. */
export function routeParams(route: Route, segments: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  route.pattern.forEach((part, index) => {
    if (part.startsWith(':')) params[part.slice(1)] = parse(idSchema, segments[index], `${part.slice(1)}`);
  });
  return params;
}

function matches(pattern: string[], segments: string[]): boolean {
  if (pattern.length !== segments.length) return false;
  return pattern.every((part, index) => part.startsWith(':') || part === segments[index]);
}
