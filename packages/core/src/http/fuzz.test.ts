import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

/**
 * Sends thousands of malformed requests — random methods, paths, headers and bodies, broken JSON,
 * huge and odd Unicode — and checks that none answers 5xx and that a normal turn still works.
 * Seeded, so a failure reproduces.
 */
let app: TestServer;
let thread: ThreadRecord;
let token: string;

beforeAll(async () => {
  app = await serveForTests({ config: { limits: { turnsPerMinute: 50, apiCallsPerHour: 1_000_000 } } });
  thread = (
    (await (await app.call('fuzzer', '/threads', { method: 'POST', json: {} })).json()) as { thread: ThreadRecord }
  ).thread;
  token = await app.token('fuzzer');
});
afterAll(() => app.close());

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
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

const ODD = [
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  '👩‍👩‍👧‍👦',
  'Z̸̡̛̛a̷̧͝l̵̢g̴o̵',
  'مرحبا',
  '漢字',
  '\u2028',
  '%00',
  '../',
  '<script>alert(1)</script>',
  "'; DROP TABLE threads; --",
  '{{7*7}}',
  '$' + '{process.env}',
  '__proto__',
  'constructor',
];

describe('fuzz', () => {
  it('answers 2,000+ malformed requests without a 5xx, then still serves a turn', async () => {
    const random = seeded(20240611);
    const methods = ['GET', 'POST', 'PATCH', 'DELETE', 'PUT', 'OPTIONS', 'HEAD', 'FOO', 'PROPFIND', 'post', 'get'];
    const word = () => {
      const kind = random.int(6);
      if (kind === 0) return thread.id;
      if (kind === 1) return random.pick(ODD);
      if (kind === 2) return 'x'.repeat(random.int(400));
      if (kind === 3) return `msg_${random.int(1e9).toString(16)}`;
      if (kind === 4) return encodeURIComponent(random.pick(ODD).replace(/[\ud800-\udfff]/g, '\ufffd'));
      return random.pick([
        'threads',
        'turns',
        'resume',
        'messages',
        'feedback',
        'regenerate',
        'export',
        'flags',
        'admin',
        'usage',
        '%',
        '%E0%A4%A',
        '..',
        '.',
      ]);
    };
    const path = () => {
      const templates = [
        () => `/threads/${word()}`,
        () => `/threads/${thread.id}/${word()}`,
        () => `/threads/${thread.id}/messages/${word()}/${random.pick(['feedback', 'regenerate', word()])}`,
        () => `/${word()}/${word()}`,
        () => `/threads?${word()}=${word()}&limit=${random.pick(['-1', '0', '1e9', 'NaN', '', '5'])}`,
        () => `/threads/${thread.id}/export?format=${word()}`,
        () => `/threads/${thread.id}/turns`,
        () => `/threads/${thread.id}/resume`,
        () =>
          random.pick([
            '/flags',
            '/preferences',
            '/admin/usage',
            '/admin/feedback?limit=x',
            '/admin/audit?type=nope',
            '/auth/guest',
            '/me',
            '/metrics',
          ]),
      ];
      return random.pick(templates)();
    };
    const json = (depth = 0): unknown => {
      const kind = random.int(depth > 2 ? 5 : 8);
      if (kind === 0) return null;
      if (kind === 1) return random.next() * 1e12 - 5e11;
      if (kind === 2) return random.pick(ODD).repeat(random.int(50));
      if (kind === 3) return random.int(2) === 0;
      if (kind === 4) return 'x'.repeat(random.int(5000));
      if (kind === 5) return Array.from({ length: random.int(5) }, () => json(depth + 1));
      const keys = [
        'text',
        'title',
        'value',
        'comment',
        'interruptId',
        'persona',
        'flags',
        'imageGeneration',
        random.pick(ODD),
      ];
      return Object.fromEntries(Array.from({ length: random.int(4) }, () => [random.pick(keys), json(depth + 1)]));
    };
    const body = (): string | Uint8Array<ArrayBuffer> | undefined => {
      const kind = random.int(9);
      if (kind === 0) return undefined;
      if (kind === 1) return JSON.stringify(json());
      if (kind === 2) return JSON.stringify(json()).slice(0, random.int(30));
      if (kind === 3) return '{"text": "' + random.pick(ODD).repeat(random.int(3000)) + '"}';
      if (kind === 4) return new Uint8Array(Array.from({ length: random.int(200) }, () => random.int(256)));
      if (kind === 5) return `{"text":"${'a'.repeat(70_000)}"}`;
      if (kind === 6) return JSON.stringify({ text: random.pick(ODD) + ' I look around.' });
      if (kind === 7) return '{"__proto__": {"admin": true}, "text": "hi"}';
      return random.pick(['', ' ', 'null', '[]', '{}', '"text"', '{"text":}', '{"value": 1e999}', '\u0000{}']);
    };
    const headers = (): Record<string, string> => {
      const result: Record<string, string> = {};
      const auth = random.int(5);
      if (auth <= 1) result.authorization = `Bearer ${token}`;
      else if (auth === 2) result.authorization = `Bearer ${token.slice(0, -3)}abc`;
      else if (auth === 3)
        result.authorization = random.pick([
          'Bearer',
          'Basic Zm9vOmJhcg==',
          `Bearer ${'a'.repeat(5000)}`,
          'Bearer dd1.e30.x',
        ]);
      const type = random.int(5);
      if (type <= 1) result['content-type'] = 'application/json';
      else if (type === 2)
        result['content-type'] = random.pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/merge-patch+json',
          '*/*',
        ]);
      if (random.int(4) === 0)
        result['x-request-id'] = random.pick(['abc', 'a'.repeat(200), 'with space', '\u00e9t\u00e9']);
      if (random.int(6) === 0) result['content-length-ish'] = String(random.int(1e9));
      if (random.int(8) === 0) result.origin = random.pick(['null', 'https://x.example', 'file://']);
      return result;
    };

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const total = 2200;
    let sent = 0;
    const worker = async () => {
      while (sent < total) {
        sent++;
        const method = random.pick(methods);
        const target = path();
        const init: RequestInit = { method, headers: headers() };
        const payload = body();
        if (payload !== undefined && method !== 'GET' && method !== 'HEAD' && method !== 'get') init.body = payload;
        let status: number;
        try {
          const response = await fetch(`${app.url}${target}`, init);
          status = response.status;
          await response.arrayBuffer().catch(() => undefined);
        } catch (error) {
          // fetch itself refused (for example a header value it cannot send): not the server's answer
          if (
            error instanceof TypeError &&
            !String((error as Error & { cause?: unknown }).cause ?? '').includes('ECONNRESET')
          )
            continue;
          throw error;
        }
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) failures.push(`${method} ${target} → ${status}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));

    // raw requests that fetch would refuse to send
    const raw = [
      `GET /threads/${'%'.repeat(10)} HTTP/1.1\r\nHost: x\r\n\r\n`,
      `POST /threads HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n\r\n{"a":`,
      `GET /health HTTP/1.1\r\nHost: \u00ff\u00fe\r\n\r\n`,
      `POST /threads HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nAuthorization: Bearer ${token}\r\n\r\n3\r\n{}\n\r\n0\r\n\r\n`,
    ];
    for (const text of raw) {
      const status = await rawRequest(app.url, text);
      if (status >= 500) failures.push(`raw ${JSON.stringify(text.slice(0, 40))} → ${status}`);
    }

    const answered = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    expect(answered).toBeGreaterThanOrEqual(2000);
    expect(failures).toEqual([]);
    // the fuzz reached the validation paths, not only the auth wall
    for (const status of [200, 400, 401, 404, 405, 413, 415])
      expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);

    const fresh = (
      (await (await app.call('after-fuzz', '/threads', { method: 'POST', json: {} })).json()) as {
        thread: ThreadRecord;
      }
    ).thread;
    const events = await readEvents(
      await app.call('after-fuzz', `/threads/${fresh.id}/turns`, { method: 'POST', json: { text: 'I look around.' } }),
    );
    expect(events.at(-1)).toMatchObject({
      event: 'turn-end',
      data: { status: expect.stringMatching(/complete|interrupted/) },
    });
  }, 120_000);
});

function rawRequest(base: string, text: string): Promise<number> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
    let data = '';
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)));
    socket.on('error', () => resolve(0));
  });
}
