import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck, type Dreamdeck, type StorageAdapter } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth, type RequestHandler, toNodeListener } from '@dreamdeck/core/http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../support/postgres.js';

/**
 * The fuzz corpus (issue 18, "Chaos and fuzz"): the hostile inputs in `corpus.json` — bad JSON,
 * wrong types, Unicode, traversal, header abuse, tampered tokens, crafted cursors — sent to a real
 * `node:http` server over SQLite and over PostgreSQL. Fixed cases must get their expected answer
 * (crafted cursors 400, tampered tokens 401); then `randomRequests` requests drawn from the corpus
 * with a seeded generator (a failure reproduces) must get no 5xx, the process must not crash, and
 * a normal turn must work afterwards.
 */
interface Corpus {
  seed: number;
  randomRequests: number;
  strings: string[];
  badJson: string[];
  contentTypes: string[];
  crafted: { cursorJson: unknown[]; cursorRaw: string[] };
  tokenTampering: { append: string[]; other: string[] };
  headers: { authorization: string[]; requestIds: string[]; origins: string[]; raw: string[] };
  paths: string[];
  queries: string[];
}

const corpus = JSON.parse(readFileSync(new URL('./corpus.json', import.meta.url), 'utf8')) as Corpus;
const SECRET = 'fuzz-secret-fuzz-secret-fuzz-secret-0123';
const postgres = await requirePostgres();

/** mulberry32: small, seeded, good enough to pick cases. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick };
}

/** A fuzz run's tally, printed at the end of each backend's run. */
interface Tally {
  requests: number;
  statuses: Map<number, number>;
  failures: string[];
}

function count(tally: Tally, status: number, what: string) {
  tally.requests++;
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
  if (status >= 500) tally.failures.push(`${what} → ${status}`);
}

/** The ways to spell `token` differently that `corpus.tokenTampering` names. */
function tamperedTokens(token: string): string[] {
  const [version = '', body = '', signature = ''] = token.split('.');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature.at(-1) ?? 'A');
  const sibling = alphabet[(last & ~3) + ((last + 1) & 3)];
  const other: Record<string, string> = {
    'base64-alphabet': `${version}.${body}.${/[-_]/.test(signature) ? signature.replaceAll('-', '+').replaceAll('_', '/') : `+${signature.slice(1)}`}`,
    'sibling-last-char': `${version}.${body}.${signature.slice(0, -1)}${sibling}`,
    'drop-last-char': `${version}.${body}.${signature.slice(0, -1)}`,
    'padded-payload': `${version}.${body}=.${signature}`,
    'swapped-payload': `${version}.${Buffer.from(JSON.stringify({ sub: 'admin', roles: ['admin'], exp: 9e9 })).toString('base64url')}.${signature}`,
    'uppercase-version': `${version.toUpperCase()}.${body}.${signature}`,
    'no-version': `${body}.${signature}`,
    'double-dot': `${version}..${body}.${signature}`,
  };
  return [
    ...corpus.tokenTampering.append.map((tail) => `${token}${tail}`),
    ...corpus.tokenTampering.other.map((name) => other[name] ?? `${token}?`),
  ];
}

/** The crafted cursors of the corpus, encoded as `GET /threads` takes them. */
function craftedCursors(): string[] {
  const now = new Date().toISOString();
  const fill = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace('NOW', now)
      : Array.isArray(value)
        ? value.map(fill)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fill(item)]))
          : value;
  return [
    ...corpus.crafted.cursorJson.map((value) => Buffer.from(JSON.stringify(fill(value))).toString('base64url')),
    ...corpus.crafted.cursorRaw,
  ];
}

/**
 * Sends `text` as it is over a socket and resolves the status of the answer (0 for none). The
 * socket stays open for writing a while, as a real client's does (a half-closed one may be dropped
 * before a slower backend answers); it is ended after 1 s for requests that promise more body.
 */
function rawRequest(port: number, text: string): Promise<number> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    const finish = setTimeout(() => socket.end(), 1000);
    socket.setTimeout(10_000, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      if (data.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(finish);
      resolve(Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)?.[1] ?? 0));
    });
    socket.on('error', () => {});
  });
}

/** Runs the whole corpus against a real server on `storage`. */
function describeFuzz(
  name: string,
  makeStorage: () => Promise<{ storage: StorageAdapter; cleanup: () => Promise<void> }>,
) {
  describe(`fuzz corpus over HTTP on ${name}`, () => {
    let dd: Dreamdeck;
    let handler: RequestHandler;
    let server: Server;
    let cleanup: () => Promise<void>;
    let base: string;
    let port: number;
    const auth = createTokenAuth({ secret: SECRET });
    const tokens: Record<string, string> = {};
    const ids = { thread: '', other: '', message: '' };
    const tally: Tally = { requests: 0, statuses: new Map(), failures: [] };

    const call = async (user: keyof typeof tokens | null, path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      if (user) headers.set('authorization', `Bearer ${tokens[user]}`);
      return fetch(`${base}${path}`, { ...init, headers });
    };

    beforeAll(async () => {
      const made = await makeStorage();
      cleanup = made.cleanup;
      dd = await createDreamdeck({
        storage: made.storage,
        model: createDemoModel({ latencyMs: 0 }),
        env: false,
        config: {
          logging: { level: 'silent' },
          limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000, guestsPerHourPerClient: 100_000 },
        },
      });
      handler = createRequestHandler(dd, { authenticate: auth.authenticate, guest: auth, flagPollMs: 0 });
      server = createServer(toNodeListener(handler));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      base = `http://127.0.0.1:${port}`;
      tokens.fuzzer = await auth.issueToken({ id: 'fuzzer' });
      tokens.other = await auth.issueToken({ id: 'other' });
      tokens.admin = await auth.issueToken({ id: 'fuzz-admin', roles: ['admin'] });
      const created = async (user: string) =>
        (
          (await (
            await call(user, '/threads', {
              method: 'POST',
              body: '{}',
              headers: { 'content-type': 'application/json' },
            })
          ).json()) as { thread: { id: string } }
        ).thread.id;
      ids.thread = await created('fuzzer');
      ids.other = await created('other');
      for (let i = 0; i < 3; i++) await created('fuzzer');
      const turn = await (
        await call('fuzzer', `/threads/${ids.thread}/turns`, {
          method: 'POST',
          body: JSON.stringify({ text: 'I look around the harbour.' }),
          headers: { 'content-type': 'application/json' },
        })
      ).text();
      ids.message = /"messageId":"(msg_[0-9a-f]+)"/.exec(turn)?.[1] ?? 'msg_none';
    });

    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await handler?.close();
      await dd?.close();
      await cleanup?.();
      const statuses = [...tally.statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      console.info(`[fuzz] ${name}: ${tally.requests} requests, ${tally.failures.length} 5xx (${statuses.join(' ')})`);
    });

    it('refuses every crafted cursor with 400 INVALID_INPUT (and pages with a real one)', async () => {
      for (const cursor of craftedCursors()) {
        const response = await call('fuzzer', `/threads?cursor=${encodeURIComponent(cursor)}`);
        count(tally, response.status, `cursor ${cursor}`);
        expect(response.status, cursor).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
      }
      const first = (await (await call('fuzzer', '/threads?limit=2')).json()) as { nextCursor: string };
      const next = await call('fuzzer', `/threads?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
      count(tally, next.status, 'real cursor');
      expect(next.status).toBe(200);
      for (const path of ['/admin/usage?userId=%00', '/admin/usage?userId=%00x', '/admin/audit?limit=%00']) {
        const response = await call('admin', path);
        count(tally, response.status, path);
        expect(response.status, path).toBe(400);
      }
    });

    it('refuses every tampered spelling of a valid token with 401', async () => {
      expect((await call('fuzzer', '/threads')).status).toBe(200);
      for (const token of tamperedTokens(tokens.fuzzer!)) {
        const response = await fetch(`${base}/threads`, { headers: { authorization: `Bearer ${token}` } });
        count(tally, response.status, `token …${token.slice(-6)}`);
        expect(response.status, token.slice(-8)).toBe(401);
      }
    });

    it('answers raw requests fetch would refuse to send, each with a status and none a 5xx', async () => {
      const unanswered: string[] = [];
      for (const template of corpus.headers.raw) {
        const text = template.replaceAll('TOKEN', tokens.fuzzer!).replaceAll('THREAD', ids.thread);
        const status = await rawRequest(port, text);
        if (process.env.FUZZ_VERBOSE) console.info(status, JSON.stringify(text.slice(0, 60)));
        count(tally, status, `raw ${JSON.stringify(text.slice(0, 50))}`);
        if (status === 0) unanswered.push(text.slice(0, 50));
      }
      expect(tally.failures).toEqual([]);
      expect(unanswered).toEqual([]);
    });

    it(`answers ${corpus.randomRequests} seeded requests from the corpus without a 5xx, then plays a normal turn`, async () => {
      const random = seeded(corpus.seed);
      const long = 'x'.repeat(5000);
      const word = () =>
        random.int(3) === 0
          ? encodeURIComponent(random.pick(corpus.strings).replace(/[\ud800-\udfff]/g, '\ufffd'))
          : random.pick(corpus.strings);
      const fill = (template: string) =>
        template
          .replaceAll('OTHER_THREAD', ids.other)
          .replaceAll('THREAD', ids.thread)
          .replaceAll('MESSAGE', ids.message)
          .replace(/WORD/g, () => word());
      const body = (): string | undefined => {
        switch (random.int(6)) {
          case 0:
            return undefined;
          case 1:
            return random.pick(corpus.badJson);
          case 2:
            return JSON.stringify({ text: `${random.pick(corpus.strings)} I look around.` });
          case 3:
            return JSON.stringify({
              [random.pick(['text', 'title', 'value', 'comment', 'persona', 'interruptId'])]: random.pick(
                corpus.strings,
              ),
            });
          case 4:
            return JSON.stringify({ text: random.pick(corpus.strings).repeat(random.int(2000)) });
          default:
            return `{"text":"${'a'.repeat(70_000)}"}`;
        }
      };
      const headers = (): Record<string, string> => {
        const result: Record<string, string> = {};
        const auth = random.int(6);
        if (auth <= 2) result.authorization = `Bearer ${tokens[random.pick(['fuzzer', 'fuzzer', 'other', 'admin'])]}`;
        else if (auth === 3) result.authorization = `Bearer ${random.pick(tamperedTokens(tokens.fuzzer!))}`;
        else if (auth === 4)
          result.authorization = random
            .pick(corpus.headers.authorization)
            .replaceAll('TOKEN', tokens.fuzzer!)
            .replace('LONG', long);
        const type = random.pick(corpus.contentTypes);
        if (type) result['content-type'] = type;
        if (random.int(4) === 0) result['x-request-id'] = random.pick(corpus.headers.requestIds).replace('LONG', long);
        if (random.int(6) === 0) result.origin = random.pick(corpus.headers.origins);
        if (random.int(8) === 0) result['x-forwarded-for'] = random.pick(corpus.strings);
        return result;
      };
      const methods = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PROPFIND'];
      let sent = 0;
      const worker = async () => {
        while (sent < corpus.randomRequests) {
          sent++;
          const [given = 'GET', template = '/'] = random.pick(corpus.paths).split(' ');
          const method = random.int(5) === 0 ? random.pick(methods) : given;
          const path = `${fill(template)}${fill(random.pick(corpus.queries))}`;
          const init: RequestInit = { method };
          try {
            init.headers = headers();
          } catch {
            continue;
          }
          const payload = body();
          if (payload !== undefined && method !== 'GET' && method !== 'HEAD') init.body = payload;
          let status: number;
          try {
            const response = await fetch(`${base}${path}`, init);
            status = response.status;
            await response.arrayBuffer().catch(() => undefined);
          } catch (error) {
            // fetch itself refused to send it (a header value or URL it cannot encode): not an answer
            if (
              error instanceof TypeError &&
              !String((error as { cause?: unknown }).cause ?? '').includes('ECONNRESET')
            )
              continue;
            throw error;
          }
          count(tally, status, `${method} ${path}`);
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      expect(tally.failures).toEqual([]);
      expect(tally.requests).toBeGreaterThanOrEqual(corpus.randomRequests * 0.9);
      for (const status of [200, 400, 401, 404])
        expect(tally.statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);

      // still serving: a fresh player plays a normal turn
      tokens.after = await auth.issueToken({ id: 'after-fuzz' });
      const thread = (
        (await (
          await call('after', '/threads', {
            method: 'POST',
            body: '{}',
            headers: { 'content-type': 'application/json' },
          })
        ).json()) as { thread: { id: string } }
      ).thread.id;
      const events = await (
        await call('after', `/threads/${thread}/turns`, {
          method: 'POST',
          body: JSON.stringify({ text: 'I walk into the tavern.' }),
          headers: { 'content-type': 'application/json' },
        })
      ).text();
      expect(events).toMatch(/event: turn-end\ndata: \{[^\n]*"status":"(complete|interrupted)"/);
      expect((await fetch(`${base}/health`)).status).toBe(200);
    }, 300_000);
  });
}

describeFuzz('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-fuzz-'));
  return {
    storage: createSqliteStorage({ path: join(dir, 'fuzz.db') }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe.skipIf(!postgres)('postgres', () => {
  describeFuzz('PostgreSQL', async () => {
    const schema = uniqueSchema('dd_fuzz');
    return {
      storage: createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
      cleanup: async () => {
        const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  });
});
