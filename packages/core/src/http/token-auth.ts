import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { DreamdeckError } from '../errors.js';

/** Who is calling: what `authenticate` resolves for a valid request. */
export interface AuthUser {
  /** The user id threads and limits belong to. */
  id: string;
  /** Roles; `admin` may change global flags and read admin routes. */
  roles?: string[];
}

/** Reads the caller from a request; resolves `null` (or throws) when there is none. */
export type Authenticate = (request: Request) => AuthUser | null | Promise<AuthUser | null>;

/** Options for {@link createTokenAuth}. */
export interface TokenAuthOptions {
  /** The HMAC-SHA256 key: at least 32 characters. Keep it secret; rotate it to revoke every token. */
  secret: string;
  /** How long issued tokens live (default 86,400 s = one day). */
  ttlSeconds?: number;
}

/** What {@link createTokenAuth} returns. */
export interface TokenAuth {
  /** Reads `Authorization: Bearer <token>` and verifies signature and expiry. */
  authenticate: (request: Request) => Promise<AuthUser | null>;
  /** Signs a token for a user. `ttlSeconds` overrides the default lifetime for this token. */
  issueToken: (user: { id: string; roles?: string[]; ttlSeconds?: number }) => Promise<string>;
  /** Verifies a token string; `null` when it is malformed, forged or expired. */
  verifyToken: (token: string) => AuthUser | null;
}

interface TokenPayload {
  sub: string;
  roles: string[];
  iat: number;
  exp: number;
  jti: string;
}

const VERSION = 'dd1';
/** Unpadded base64url, the only alphabet a token's payload and signature may use. */
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A SHA-256 HMAC (32 bytes) as unpadded base64url: exactly 43 characters. */
const SIGNATURE_LENGTH = 43;
const USER_ID = /^[\w.@:-]{1,128}$/;
const ROLE = /^[\w-]{1,40}$/;

/**
 * HMAC-SHA256 signed bearer tokens: `dd1.<payload>.<signature>` (base64url), carrying the user
 * id, roles and an expiry; verification is constant-time (`timingSafeEqual`) and accepts only the
 * canonical encoding (unpadded base64url, nothing appended), so one token has one spelling. Stateless, so every
 * server instance sharing the secret accepts them.
 *
 * ```ts
 * const auth = createTokenAuth({ secret: process.env.DREAMDECK_SECRET! });
 * const token = await auth.issueToken({ id: 'u1', roles: ['admin'] });
 * const handler = createRequestHandler(dd, { authenticate: auth.authenticate });
 * ```
 */
export function createTokenAuth(options: TokenAuthOptions): TokenAuth {
  const secret = options?.secret;
  if (typeof secret !== 'string' || secret.length < 32) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      '[dreamdeck] [http] createTokenAuth needs a `secret` of at least 32 characters.',
    );
  }
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      '[dreamdeck] [http] createTokenAuth `ttlSeconds` must be a positive number.',
    );
  }
  const sign = (data: string) => createHmac('sha256', secret).update(data).digest();

  const verifyToken = (token: string): AuthUser | null => {
    if (typeof token !== 'string' || token.length > 4096) return null;
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== VERSION) return null;
    const [, body = '', signature = ''] = parts;
    // Node decodes base64url leniently (it skips `=`, `!`, `%` and more, and ignores the unused
    // low bits of the last character), so only the canonical form is let through: the right
    // alphabet and length, and a signature that encodes back to exactly what was sent.
    if (!BASE64URL.test(body) || !BASE64URL.test(signature) || signature.length !== SIGNATURE_LENGTH) return null;
    const expected = sign(`${VERSION}.${body}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || given.toString('base64url') !== signature) return null;
    if (!timingSafeEqual(given, expected)) return null;
    let payload: TokenPayload;
    try {
      const bytes = Buffer.from(body, 'base64url');
      if (bytes.toString('base64url') !== body) return null;
      payload = JSON.parse(bytes.toString('utf8')) as TokenPayload;
    } catch {
      return null;
    }
    if (typeof payload?.sub !== 'string' || !USER_ID.test(payload.sub)) return null;
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= Date.now()) return null;
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((role) => typeof role === 'string') : [];
    return { id: payload.sub, roles };
  };

  return {
    verifyToken,
    async authenticate(request) {
      const header = request.headers.get('authorization');
      const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      return match?.[1] ? verifyToken(match[1]) : null;
    },
    async issueToken(user) {
      if (typeof user?.id !== 'string' || !USER_ID.test(user.id)) {
        throw new DreamdeckError('INVALID_INPUT', 'A token needs a user id of 1–128 letters, digits or . _ @ : -');
      }
      const roles = user.roles ?? [];
      if (!roles.every((role) => typeof role === 'string' && ROLE.test(role))) {
        throw new DreamdeckError('INVALID_INPUT', 'Roles are short words (letters, digits, _ and -).');
      }
      const now = Math.floor(Date.now() / 1000);
      const payload: TokenPayload = {
        sub: user.id,
        roles,
        iat: now,
        exp: now + (user.ttlSeconds ?? ttlSeconds),
        jti: randomUUID(),
      };
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${VERSION}.${body}.${sign(`${VERSION}.${body}`).toString('base64url')}`;
    },
  };
}
