import { afterEach, describe, expect, it } from 'vitest';
import type { DreamdeckConfigInput } from '../config/config-schema.js';
import type { ThreadRecord } from '../types.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

/** Findings 2, 5 and 6 of issue 18 over a real HTTP server (memory storage; tests/ runs SQLite and Postgres). */
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(config: DreamdeckConfigInput = {}, handler: Partial<RequestHandlerOptions> = {}) {
  const app = await serveForTests({
    config: { limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000 }, ...config },
    handler,
  });
  servers.push(app);
  return app;
}

async function newThread(app: TestServer, user: string, title = 'A story'): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: { title } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('crafted cursors and query parameters (finding 2)', () => {
  it('answers 400 INVALID_INPUT to a crafted cursor, and pages with a real one', async () => {
    const app = await serve();
    for (let i = 0; i < 3; i++) await newThread(app, 'pager', `t${i}`);
    const first = (await (await app.call('pager', '/threads?limit=2')).json()) as {
      threads: ThreadRecord[];
      nextCursor: string;
    };
    expect(first.threads).toHaveLength(2);
    const now = new Date().toISOString();
    for (const cursor of [
      encode(['x', 1]),
      encode([now, 1e30]),
      encode([now, 0.5]),
      encode([`${now}\u0000`, 1]),
      `${first.nextCursor}=`,
      '%00',
    ]) {
      const response = await app.call('pager', `/threads?cursor=${encodeURIComponent(cursor)}`);
      expect(response.status, cursor).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    }
    const second = (await (
      await app.call('pager', `/threads?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json()) as { threads: ThreadRecord[]; nextCursor?: string };
    expect(second.threads).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
  });

  it('answers 400, not 503, to control characters in any query parameter', async () => {
    const app = await serve();
    const thread = await newThread(app, 'asker');
    for (const path of [
      '/admin/usage?userId=%00',
      '/admin/usage?userId=a%01b',
      '/admin/audit?type=%00',
      '/admin/feedback?sinceDay=2024-01-01%00',
      `/threads/${thread.id}/messages?before=%00`,
      `/threads/${thread.id}/export?format=json%00`,
      '/threads?cursor=%00',
      '/threads?%00=1',
    ]) {
      const response = await app.call('admin', path);
      expect(response.status, path).toBe(400);
    }
    expect((await app.call('admin', '/admin/usage?userId=guest_1')).status).toBe(200);
  });
});

describe('audit writes are bounded (finding 5)', () => {
  it('writes no audit row for requests without valid credentials; metrics count them', async () => {
    const app = await serve();
    const before = (await app.dd.storage.listAudit!({ limit: 10_000 })).length;
    const requests = [];
    for (let i = 0; i < 300; i++) {
      requests.push(
        app.call(null, i % 2 ? '/threads' : '/threads/thr_x/turns', {
          method: i % 2 ? 'GET' : 'POST',
          ...(i % 3 === 0 && { headers: { authorization: 'Bearer dd1.forged.token' } }),
        }),
      );
    }
    const statuses = await Promise.all(requests.map(async (request) => (await request).status));
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect((await app.dd.storage.listAudit!({ limit: 10_000 })).length).toBe(before);
    const metrics = await (await app.call(null, '/metrics')).text();
    expect(metrics).toMatch(/dreamdeck_auth_failures_total\{reason="missing"\} (\d+)/);
    const counted = [...metrics.matchAll(/dreamdeck_auth_failures_total\{reason="\w+"\} (\d+)/g)].reduce(
      (sum, match) => sum + Number(match[1]),
      0,
    );
    expect(counted).toBe(300);
  });

  it('writes a signed-in user’s refusals up to audit.refusalsPerUserPerHour, then counts without writing', async () => {
    const app = await serve({ audit: { refusalsPerUserPerHour: 5 } });
    const thread = await newThread(app, 'refused');
    for (let i = 0; i < 40; i++) {
      const response = await app.call('refused', `/threads/${thread.id}`, { method: 'PATCH', json: { nope: i } });
      expect(response.status).toBe(400);
    }
    for (let i = 0; i < 10; i++) expect((await app.call('refused', '/admin/usage')).status).toBe(403);
    // let the fire-and-forget audit writes land
    await new Promise((resolve) => setTimeout(resolve, 50));
    const rows = (await app.dd.storage.listAudit!({ limit: 10_000 })).filter((event) => event.userId === 'refused');
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.type === 'input-rejected' || row.type === 'forbidden')).toBe(true);
    // another user has a budget of their own
    expect((await app.call('other', '/admin/usage')).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = (await app.dd.storage.listAudit!({ limit: 10_000 })).filter((event) => event.userId === 'other');
    expect(other).toMatchObject([{ type: 'forbidden', userId: 'other', detail: { route: '/admin/usage' } }]);
  });

  it('prunes audit events older than audit.retentionDays as new ones are written', async () => {
    const app = await serve({ audit: { retentionDays: 1 } });
    const raw = (app.dd.storage as unknown as { raw: { audit: Array<{ type: string; createdAt: string }> } }).raw;
    const old = new Date(Date.now() - 3 * 86_400_000).toISOString();
    raw.audit.unshift({ type: 'forbidden', createdAt: old }, { type: 'input-rejected', createdAt: old });
    expect((await app.call('pruner', '/admin/usage')).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(raw.audit.map((event) => event.createdAt)).not.toContain(old);
    expect(raw.audit).toHaveLength(1);
  });
});

describe('resumes and guest sign-ups are limited (finding 5)', () => {
  it('a resume spends apiCallsPerHour before its stream starts: 429 once it is spent', async () => {
    const app = await serve({
      limits: { turnsPerMinute: 1000, apiCallsPerHour: 4 },
      features: { imageGeneration: true, storyboardReview: true },
    });
    const thread = await newThread(app, 'resumer');
    const events = await readEvents(
      await app.call('resumer', `/threads/${thread.id}/turns`, {
        method: 'POST',
        json: { text: 'I climb the tower.' },
      }),
    );
    const interrupt = events.find((e) => e.event === 'interrupt')?.data as { interruptId: string };
    expect(interrupt.interruptId).toEqual(expect.any(String));
    // POST /threads spent one call; three stale resumes spend the rest (each is refused: NOT_FOUND)
    for (let i = 0; i < 3; i++) {
      const stale = await app.call('resumer', `/threads/${thread.id}/resume`, {
        method: 'POST',
        json: { interruptId: 'int_stale', value: true },
      });
      expect([200, 404]).toContain(stale.status);
      await stale.text();
    }
    const limited = await app.call('resumer', `/threads/${thread.id}/resume`, {
      method: 'POST',
      json: { interruptId: interrupt.interruptId, value: false },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/application\/json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('guest sign-ups stop at limits.guestsPerHourPerClient per address and limits.guestsPerHour in all', async () => {
    let address = '203.0.113.1';
    const app = await serve(
      { limits: { guestsPerHourPerClient: 3, guestsPerHour: 5 } },
      { clientAddress: () => address },
    );
    const signUp = () => app.call(null, '/auth/guest', { method: 'POST' });
    for (let i = 0; i < 3; i++) expect((await signUp()).status).toBe(201);
    const refused = await signUp();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    address = '203.0.113.2';
    expect((await signUp()).status).toBe(201);
    expect((await signUp()).status).toBe(201);
    // 5 in all now: a third address is refused by the global limit
    address = '203.0.113.3';
    expect((await signUp()).status).toBe(429);
    expect((await app.dd.storage.listAudit!({ limit: 10_000 })).filter((e) => e.userId === undefined)).toEqual([]);
  });

  it('without a clientAddress option, the socket address toNodeListener saw is the client', async () => {
    const app = await serve({ limits: { guestsPerHourPerClient: 2 } });
    for (let i = 0; i < 2; i++) expect((await app.call(null, '/auth/guest', { method: 'POST' })).status).toBe(201);
    expect((await app.call(null, '/auth/guest', { method: 'POST' })).status).toBe(429);
    expect((await app.dd.storage.consume('guests:127.0.0.1', 0, 3_600_000, 100)).used).toBe(2);
  });
});

describe('smaller findings (6)', () => {
  it('input.maxLength counts characters as a person sees them: 4,000 emoji pass, 4,001 do not', async () => {
    const app = await serve({ features: { imageGeneration: false } });
    const thread = await newThread(app, 'emoji');
    const send = (text: string) => app.call('emoji', `/threads/${thread.id}/turns`, { method: 'POST', json: { text } });
    const fits = await send('😀'.repeat(4000));
    expect(fits.status).toBe(200);
    await fits.text();
    const families = await send('👩‍👩‍👧‍👦'.repeat(1000));
    expect(families.status).toBe(200);
    await families.text();
    const over = await send('😀'.repeat(4001));
    expect(over.status).toBe(400);
    expect(((await over.json()) as { error: { message: string } }).error.message).toContain('4000');
    // the engine API counts the same way
    const session = await app.dd.openSession({ userId: 'emoji', threadId: thread.id });
    expect(() => session.send('é'.repeat(4001))).toThrow(/4001 characters/);
    expect(() => session.send('e\u0301'.repeat(4001))).toThrow(/4001 characters/);
  });

  it('every response carries x-content-type-options: nosniff', async () => {
    const app = await serve();
    const thread = await newThread(app, 'sniff');
    const responses = await Promise.all([
      app.call(null, '/health'),
      app.call(null, '/threads'),
      app.call('sniff', '/nowhere'),
      app.call('sniff', `/threads/${thread.id}`),
      app.call('sniff', `/threads/${thread.id}/export`),
      app.call('sniff', '/threads', { method: 'OPTIONS' }),
      app.call('sniff', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'Hello' } }),
      app.call(null, '/metrics'),
    ]);
    for (const response of responses) {
      expect(response.headers.get('x-content-type-options'), response.url).toBe('nosniff');
      await response.arrayBuffer();
    }
  });
});
