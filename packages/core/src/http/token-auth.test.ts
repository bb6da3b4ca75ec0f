import { describe, expect, it } from 'vitest';
import { createTokenAuth } from './token-auth.js';

const secret = 'a-long-enough-secret-for-hmac-sha256!!';

const bearer = (token: string) => new Request('http://x/threads', { headers: { authorization: `Bearer ${token}` } });

describe('createTokenAuth', () => {
  it('round-trips a user with roles', async () => {
    const auth = createTokenAuth({ secret });
    const token = await auth.issueToken({ id: 'u1', roles: ['admin'] });
    expect(token.split('.')).toHaveLength(3);
    expect(await auth.authenticate(bearer(token))).toEqual({ id: 'u1', roles: ['admin'] });
  });

  it('refuses tokens signed with another secret, tampered payloads and garbage', async () => {
    const auth = createTokenAuth({ secret });
    const other = createTokenAuth({ secret: `${secret}-other` });
    const token = await other.issueToken({ id: 'u1' });
    expect(await auth.authenticate(bearer(token))).toBeNull();
    const mine = await auth.issueToken({ id: 'u1' });
    const [version, , signature] = mine.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'u2', roles: ['admin'], iat: 0, exp: 9e9 })).toString('base64url');
    expect(await auth.authenticate(bearer(`${version}.${forged}.${signature}`))).toBeNull();
    for (const junk of ['', 'dd1', 'dd1..', 'x.y.z', `${mine}x`, 'dd1.%%%.%%%'])
      expect(auth.verifyToken(junk)).toBeNull();
    expect(
      await auth.authenticate(new Request('http://x/', { headers: { authorization: `Basic ${mine}` } })),
    ).toBeNull();
    expect(await auth.authenticate(new Request('http://x/'))).toBeNull();
  });

  // Regression (issue 18): Node's lenient base64url decoding accepted a valid token with `=`, `!`,
  // `*~` or `%` appended, so one token had many spellings.
  it('accepts only the canonical spelling of a token: nothing appended, no padding, no other alphabet', async () => {
    const auth = createTokenAuth({ secret });
    const token = await auth.issueToken({ id: 'u1', roles: ['admin'] });
    expect(auth.verifyToken(token)).toEqual({ id: 'u1', roles: ['admin'] });
    const [version, body = '', signature = ''] = token.split('.');
    const variants = [
      ...['=', '==', '!', '*~', '%', '%3D', ' ', '\t', '.', 'A'].map((tail) => `${token}${tail}`),
      `${version}.${body}=.${signature}`,
      `${version}.${body}!.${signature}`,
      `${version}.${body}.${signature.slice(0, -1)}`,
      // base64 rather than base64url (a token whose signature has neither `-` nor `_` gets one)
      `${version}.${body}.${/[-_]/.test(signature) ? signature.replaceAll('-', '+').replaceAll('_', '/') : `+${signature.slice(1)}`}`,
    ];
    // the last character of a 43-character signature carries 4 unused bits: a sibling character
    // decodes to the same bytes, and must be refused too
    const last = signature.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[(alphabet.indexOf(last) & ~3) + ((alphabet.indexOf(last) + 1) & 3)]!;
    expect(Buffer.from(`${signature.slice(0, -1)}${sibling}`, 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );
    variants.push(`${version}.${body}.${signature.slice(0, -1)}${sibling}`);
    for (const variant of variants) {
      expect(auth.verifyToken(variant), variant.slice(-12)).toBeNull();
      // (HTTP itself trims whitespace around a header value, so those two are checked above only)
      if (!/\s$/.test(variant)) expect(await auth.authenticate(bearer(variant)), variant.slice(-12)).toBeNull();
    }
  });

  it('refuses expired tokens', async () => {
    const auth = createTokenAuth({ secret });
    const expired = await auth.issueToken({ id: 'u1', ttlSeconds: -1 });
    expect(auth.verifyToken(expired)).toBeNull();
  });

  it('needs a long secret and a sane user id', async () => {
    expect(() => createTokenAuth({ secret: 'short' })).toThrow(/32 characters/);
    const auth = createTokenAuth({ secret });
    await expect(auth.issueToken({ id: '' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(auth.issueToken({ id: 'u1', roles: ['bad role!'] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});
