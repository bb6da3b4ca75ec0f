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
