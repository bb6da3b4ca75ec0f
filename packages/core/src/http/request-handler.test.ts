import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({ config: { limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000 } } });
});
afterAll(() => app.close());

const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;

async function newThread(user: string, title?: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: title ? { title } : {} });
  expect(response.status).toBe(201);
  return (await json<{ thread: ThreadRecord }>(response)).thread;
}

describe('basics', () => {
  it('answers /health without credentials, with a request id', async () => {
    const response = await app.call(null, '/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    const echoed = await app.call(null, '/health', { headers: { 'x-request-id': 'req-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('req-123');
    const unsafe = await app.call(null, '/health', { headers: { 'x-request-id': 'bad id <script>' } });
    expect(unsafe.headers.get('x-request-id')).not.toContain('<');
  });

  it('refuses missing and invalid credentials with 401 and counts them', async () => {
    const missing = await app.call(null, '/threads');
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    expect(missing.headers.get('x-request-id')).toBeTruthy();
    const invalid = await app.call(null, '/threads', { headers: { authorization: 'Bearer dd1.bogus.token' } });
    expect(invalid.status).toBe(401);
    const metrics = await (await app.call(null, '/metrics')).text();
    expect(metrics).toMatch(/dreamdeck_auth_failures_total\{reason="missing"\} [1-9]/);
    expect(metrics).toMatch(/dreamdeck_auth_failures_total\{reason="invalid"\} [1-9]/);
  });

  it('answers unknown paths 404 and wrong methods 405 with Allow', async () => {
    const unknown = await app.call('u1', '/nope');
    expect(unknown.status).toBe(404);
    expect((await json<{ error: { code: string } }>(unknown)).error.code).toBe('NOT_FOUND');
    const wrong = await app.call('u1', '/health', { method: 'PUT' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('issues guest tokens that work', async () => {
    const response = await app.call(null, '/auth/guest', { method: 'POST' });
    expect(response.status).toBe(201);
    const { token, user } = await json<{ token: string; user: { id: string; roles: string[] } }>(response);
    expect(user.id).toMatch(/^guest_/);
    expect(user.roles).toEqual(['guest']);
    const me = await fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toEqual({ user, limits: { inputMaxLength: 4000 } });
  });

  it('tells the caller the longest turn text it accepts (GET /me limits, from config input.maxLength)', async () => {
    const small = await serveForTests({ config: { input: { maxLength: 321 } } });
    try {
      const me = await json<{ user: { id: string }; limits: { inputMaxLength: number } }>(
        await small.call('u1', '/me'),
      );
      expect(me).toEqual({ user: { id: 'u1', roles: [] }, limits: { inputMaxLength: 321 } });
      const thread = (
        await json<{ thread: ThreadRecord }>(await small.call('u1', '/threads', { method: 'POST', json: {} }))
      ).thread;
      const turn = (text: string) =>
        small.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text } });
      expect((await turn('x'.repeat(322))).status).toBe(400);
      const fits = await turn('x'.repeat(321));
      expect(fits.status).toBe(200);
      await fits.text();
    } finally {
      await small.close();
    }
  });

  it('lists personas', async () => {
    const { personas, defaultPersona } = await json<{ personas: Array<{ id: string }>; defaultPersona: string }>(
      await app.call('u1', '/personas'),
    );
    expect(personas.map((p) => p.id)).toContain('storyteller');
    expect(defaultPersona).toBe('storyteller');
  });
});

describe('threads', () => {
  it('creates, lists (own only), reads, renames and deletes', async () => {
    const thread = await newThread('alice', 'The \u0007Lost\u0000 Mine');
    expect(thread.title).toBe('The Lost Mine');
    await newThread('bob');
    const { threads } = await json<{ threads: ThreadRecord[] }>(await app.call('alice', '/threads'));
    expect(threads.every((t) => t.userId === 'alice')).toBe(true);
    expect(threads.map((t) => t.id)).toContain(thread.id);

    const read = await json<{ thread: ThreadRecord; messages: StoryMessage[]; hasMore: boolean }>(
      await app.call('alice', `/threads/${thread.id}`),
    );
    expect(read.thread.id).toBe(thread.id);
    expect(read.messages).toEqual([]);
    expect(read.hasMore).toBe(false);

    const renamed = await app.call('alice', `/threads/${thread.id}`, { method: 'PATCH', json: { title: 'Deeper' } });
    expect(renamed.status).toBe(200);
    expect((await json<{ thread: ThreadRecord }>(renamed)).thread.title).toBe('Deeper');

    const deleted = await app.call('alice', `/threads/${thread.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    expect((await app.call('alice', `/threads/${thread.id}`)).status).toBe(404);
  });

  it('streams a turn as SSE and keeps the history', async () => {
    const thread = await newThread('carol');
    const response = await app.call('carol', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I open the door.' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    const events = await readEvents(response);
    expect(events[0]?.event).toBe('turn-start');
    expect(events.at(-1)?.event).toBe('turn-end');
    expect(events.some((e) => e.event === 'message-delta')).toBe(true);
    for (const e of events) expect((e.data as { type: string }).type).toBe(e.event);
    const { messages } = await json<{ messages: StoryMessage[] }>(await app.call('carol', `/threads/${thread.id}`));
    expect(messages[0]).toMatchObject({ role: 'user', content: 'I open the door.' });
    expect(messages.some((m) => m.kind === 'narration' && m.status === 'complete')).toBe(true);
  });

  it('resumes an interrupt, regenerates, takes feedback, exports and pages messages', async () => {
    const thread = await newThread('dave', 'Saga');
    const events = await readEvents(
      await app.call('dave', `/threads/${thread.id}/turns`, {
        method: 'POST',
        json: { text: 'I walk into the tavern.' },
      }),
    );
    const interrupt = events.find((e) => e.event === 'interrupt')?.data as { interruptId: string } | undefined;
    if (interrupt) {
      const stale = await app.call('dave', `/threads/${thread.id}/resume`, {
        method: 'POST',
        json: { interruptId: 'int_nope', value: false },
      });
      expect(stale.status).toBe(404);
      const resumed = await readEvents(
        await app.call('dave', `/threads/${thread.id}/resume`, {
          method: 'POST',
          json: { interruptId: interrupt.interruptId, value: false },
        }),
      );
      expect(resumed.at(-1)?.event).toBe('turn-end');
    }
    const narration = events.find(
      (e) => e.event === 'message-end' && (e.data as { message: StoryMessage }).message.kind === 'narration',
    )?.data as { message: StoryMessage };
    expect(narration).toBeTruthy();
    const regenerated = await readEvents(
      await app.call('dave', `/threads/${thread.id}/messages/${narration.message.id}/regenerate`, { method: 'POST' }),
    );
    expect(regenerated[0]?.event).toBe('turn-start');
    expect(regenerated.at(-1)?.event).toBe('turn-end');

    const feedback = await app.call('dave', `/threads/${thread.id}/messages/${narration.message.id}/feedback`, {
      method: 'POST',
      json: { value: -1, comment: 'too \u0000short' },
    });
    expect(feedback.status).toBe(204);
    const badValue = await app.call('dave', `/threads/${thread.id}/messages/${narration.message.id}/feedback`, {
      method: 'POST',
      json: { value: 2 },
    });
    expect(badValue.status).toBe(400);

    const markdown = await app.call('dave', `/threads/${thread.id}/export`);
    expect(markdown.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await markdown.text()).toContain('I walk into the tavern.');
    const exported = await json<{ thread: ThreadRecord; messages: StoryMessage[] }>(
      await app.call('dave', `/threads/${thread.id}/export?format=json`),
    );
    expect(exported.thread.id).toBe(thread.id);
    expect((await app.call('dave', `/threads/${thread.id}/export?format=pdf`)).status).toBe(400);

    const all = await json<{ messages: StoryMessage[] }>(
      await app.call('dave', `/threads/${thread.id}/messages?limit=500`),
    );
    expect(all.messages.length).toBeGreaterThanOrEqual(2);
    const page = await json<{ messages: StoryMessage[]; hasMore: boolean }>(
      await app.call('dave', `/threads/${thread.id}/messages?limit=1`),
    );
    expect(page.messages).toHaveLength(1);
    expect(page.hasMore).toBe(true);
    expect(page.messages[0]?.id).toBe(all.messages.at(-1)?.id);
    const before = await json<{ messages: StoryMessage[] }>(
      await app.call('dave', `/threads/${thread.id}/messages?limit=1&before=${page.messages[0]?.id}`),
    );
    expect(before.messages[0]?.id).toBe(all.messages.at(-2)?.id);

    const admin = await json<{ recent: Array<{ comment?: string }> }>(await app.call('admin', '/admin/feedback'));
    expect(admin.recent.some((f) => f.comment === 'too short')).toBe(true);
  });
});

describe('input validation', () => {
  it('rejects unknown fields, broken JSON, wrong types, empty and over-long text', async () => {
    const thread = await newThread('erin');
    const turn = (body: string, type = 'application/json') =>
      app.call('erin', `/threads/${thread.id}/turns`, { method: 'POST', body, headers: { 'content-type': type } });
    expect((await turn(JSON.stringify({ text: 'hi', extra: 1 }))).status).toBe(400);
    expect((await turn('{"text": ')).status).toBe(400);
    expect((await turn(JSON.stringify({ text: 5 }))).status).toBe(400);
    expect((await turn(JSON.stringify({ text: ' \u0000\u0001 ' }))).status).toBe(400);
    expect((await turn(JSON.stringify({ text: 'x'.repeat(4001) }))).status).toBe(400);
    expect((await turn(JSON.stringify([1, 2]))).status).toBe(400);
    expect((await turn('')).status).toBe(400);
    const wrongType = await turn(JSON.stringify({ text: 'hi' }), 'text/plain');
    expect(wrongType.status).toBe(415);
    expect((await json<{ error: { code: string } }>(wrongType)).error.code).toBe('INVALID_INPUT');
    expect((await app.call('erin', '/threads/bad%20id!')).status).toBe(400);
    expect((await app.call('erin', '/threads?limit=abc')).status).toBe(400);
    expect((await app.call('erin', '/threads?surprise=1')).status).toBe(400);
  });

  it('answers 413 for a body over maxBodyBytes', async () => {
    const thread = await newThread('erin');
    const response = await app.call('erin', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'x'.repeat(70 * 1024) },
    });
    expect(response.status).toBe(413);
    expect((await json<{ error: { code: string } }>(response)).error.code).toBe('INVALID_INPUT');
  });

  it('refuses a body over the Node listener cap without reading the rest, then closes the connection', async () => {
    const thread = await newThread('erin');
    // 3 MiB: past toNodeListener's 1 MiB read cap, so the handler gets 1 MiB + 1 byte and answers 413
    const response = await app.call('erin', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'x'.repeat(3 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('connection')).toBe('close');
    // the server is still fine for the next request
    expect((await app.call('erin', `/threads/${thread.id}`)).status).toBe(200);
  });

  it('never leaks stack traces', async () => {
    const response = await app.call('erin', '/threads/%E0%A4%A');
    const text = await response.text();
    expect(response.status).toBeLessThan(500);
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('flags and preferences', () => {
  it('lets only admins change global flags, and every caller sees them', async () => {
    const forbidden = await app.call('frank', '/flags', { method: 'PATCH', json: { webSearch: true } });
    expect(forbidden.status).toBe(403);
    const changed = await app.call('admin', '/flags', { method: 'PATCH', json: { webSearch: true } });
    expect(changed.status).toBe(200);
    expect((await json<{ overrides: Record<string, boolean> }>(changed)).overrides.webSearch).toBe(true);
    const seen = await json<{ flags: Record<string, boolean> }>(await app.call('frank', '/flags'));
    expect(seen.flags.webSearch).toBe(true);
    expect((await app.call('admin', '/flags', { method: 'PATCH', json: { webSearch: null } })).status).toBe(200);
    expect((await app.call('admin', '/flags', { method: 'PATCH', json: { noSuchFlag: true } })).status).toBe(400);
    expect((await app.call('admin', '/flags', { method: 'PATCH', json: {} })).status).toBe(400);
  });

  it('stores a persona and the flags a user may toggle', async () => {
    const set = await app.call('gina', '/preferences', {
      method: 'PATCH',
      json: { persona: 'friend', flags: { imageGeneration: false } },
    });
    expect(set.status).toBe(200);
    const body = await json<{
      preferences: { persona: string; flags: Record<string, boolean>; storyboards: string };
      flags: Record<string, boolean>;
    }>(set);
    // storyboards: when to ask about painting scenes (issue 21), by default after every reply
    expect(body.preferences).toEqual({
      persona: 'friend',
      flags: { imageGeneration: false },
      storyboards: 'every-reply',
    });
    expect(body.flags.imageGeneration).toBe(false);
    expect((await newThread('gina')).persona).toBe('friend');
    const adminOnly = await app.call('gina', '/preferences', { method: 'PATCH', json: { flags: { webSearch: true } } });
    expect(adminOnly.status).toBe(403);
    const unknownPersona = await app.call('gina', '/preferences', { method: 'PATCH', json: { persona: 'nobody' } });
    expect(unknownPersona.status).toBe(400);
    const others = await json<{ flags: Record<string, boolean> }>(await app.call('hank', '/flags'));
    expect(others.flags.imageGeneration).toBe(true);
  });
});

describe('admin routes', () => {
  it('are for admins only', async () => {
    for (const path of ['/admin/usage', '/admin/feedback', '/admin/audit']) {
      expect((await app.call('ivan', path)).status).toBe(403);
      expect((await app.call('admin', path)).status).toBe(200);
    }
    const usage = await json<{ usage: Array<{ metric: string }>; totals: Record<string, number> }>(
      await app.call('admin', '/admin/usage'),
    );
    expect(usage.totals.turns).toBeGreaterThan(0);
    const audit = await json<{ events: Array<{ type: string }> }>(
      await app.call('admin', '/admin/audit?type=forbidden'),
    );
    expect(audit.events.length).toBeGreaterThan(0);
  });
});

describe('metrics', () => {
  it('renders Prometheus text with turns, durations, tokens, streams and process metrics', async () => {
    const response = await app.call(null, '/metrics');
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/dreamdeck_turns_total\{status="(complete|interrupted)"\} [1-9]/);
    expect(text).toMatch(/dreamdeck_turn_duration_seconds_count\{status="\w+"\} [1-9]/);
    expect(text).toMatch(/dreamdeck_streamed_tokens_total [1-9]/);
    expect(text).toContain('dreamdeck_open_streams 0');
    expect(text).toContain('dreamdeck_images_generated_total');
    expect(text).toContain('dreamdeck_rate_limited_total');
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toMatch(/dreamdeck_http_requests_total\{method="POST",route="\/threads\/:id\/turns",status="200"\}/);
  });
});
