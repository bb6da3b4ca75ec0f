import { describe, expect, it } from 'vitest';
import { DreamdeckApiError, DreamdeckClient, readTurnEvents } from '../src/api-client.js';
import { enSurvey } from '../src/dreamdeck-survey.js';
import type { TurnEvent } from '../src/protocol.js';
import { en, format, loadLocale, locales, resolveStrings } from '../src/strings.js';
import { enAdmin } from '../src/strings-admin.js';
import { de } from '../src/strings-de.js';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('readTurnEvents', () => {
  it('parses events split anywhere across chunks, skipping comments and bad data', async () => {
    const text =
      ': stream open\n\n' +
      'event: turn-start\ndata: {"type":"turn-start","turnId":"t","threadId":"th"}\n\n' +
      'event: message-delta\r\ndata: {"type":"message-delta","messageId":"m","text":"é 🎲\\n"}\r\n\r\n' +
      'data: not json\n\n' +
      ': heartbeat\n\n' +
      'event: turn-end\ndata: {"type":"turn-end","turnId":"t","status":"complete"}\n\n';
    const bytes = new TextEncoder().encode(text);
    // split every 7 bytes, so multi-byte characters and lines are cut in the middle
    const chunks: Uint8Array[] = [];
    for (let index = 0; index < bytes.length; index += 7) chunks.push(bytes.slice(index, index + 7));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    });
    const events: TurnEvent[] = [];
    await readTurnEvents(body, (event) => events.push(event));
    expect(events.map((event) => event.type)).toEqual(['turn-start', 'message-delta', 'turn-end']);
    expect(events[1]).toMatchObject({ text: 'é 🎲\n' });
  });
});

describe('DreamdeckClient', () => {
  it('fetches a guest token once and sends it as a bearer token', async () => {
    const calls: Array<{ url: string; auth: string | null }> = [];
    const store = new Map<string, string>();
    const fetcher: typeof fetch = async (input, init) => {
      const url = String(input);
      calls.push({ url, auth: new Headers(init?.headers).get('authorization') });
      if (url.endsWith('/auth/guest')) return Response.json({ token: 'tok', user: { id: 'g' } }, { status: 201 });
      return Response.json({ threads: [] });
    };
    const client = new DreamdeckClient({
      endpoint: '/api/',
      fetch: fetcher,
      storage: {
        getItem: (k) => store.get(k) ?? null,
        setItem: (k, v) => store.set(k, v),
        removeItem: (k) => store.delete(k),
      },
    });
    await client.ensureToken();
    await client.listThreads();
    expect(calls).toEqual([
      { url: '/api/auth/guest', auth: null },
      { url: '/api/threads?limit=50', auth: 'Bearer tok' },
    ]);
    expect(store.get('dreamdeck:token:/api')).toBe('tok');
  });

  it('turns JSON errors into DreamdeckApiError with Retry-After', async () => {
    const fetcher: typeof fetch = async () =>
      Response.json(
        { error: { code: 'RATE_LIMITED', message: 'Slow down' } },
        { status: 429, headers: { 'retry-after': '3' } },
      );
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    const error = await client.json('GET', '/threads').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DreamdeckApiError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfterMs: 3000, retryable: true });
  });

  it('retries network failures and reports the attempts, then recovers', async () => {
    let failures = 2;
    const reports: number[] = [];
    const fetcher: typeof fetch = async () => {
      if (failures-- > 0) throw new TypeError('Failed to fetch');
      return Response.json({ ok: true });
    };
    const client = new DreamdeckClient({
      endpoint: '/api',
      token: 't',
      fetch: fetcher,
      storage: null,
      onRetry: (attempt) => reports.push(attempt),
    });
    await expect(client.json('GET', '/me')).resolves.toEqual({ ok: true });
    expect(reports).toEqual([1, 2, 0]);
  });

  it('does not retry a turn stream (a retried POST could run the turn twice)', async () => {
    let calls = 0;
    const fetcher: typeof fetch = async () => {
      calls++;
      throw new TypeError('Failed to fetch');
    };
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    await expect(client.stream('/threads/x/turns', { text: 'hi' }, () => {})).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(calls).toBe(1);
  });

  it('streams events from a turn route', async () => {
    const fetcher: typeof fetch = async () =>
      new Response(streamOf(['event: status\ndata: {"type":"status","text":"Painting"}\n\n']), {
        headers: { 'content-type': 'text/event-stream' },
      });
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    const events: TurnEvent[] = [];
    await client.stream('/threads/x/turns', { text: 'hi' }, (event) => events.push(event));
    expect(events).toEqual([{ type: 'status', text: 'Painting' }]);
  });
});

/** An event stream of numbered events that, with `drop`, breaks off after them (a network failure). */
function numbered(events: Array<[number | undefined, TurnEvent]>, options: { drop?: boolean } = {}): Response {
  const encoder = new TextEncoder();
  let sent = false;
  const body = new ReadableStream<Uint8Array>({
    // erroring drops what is still queued: the events go out first, the failure on the next read
    pull(controller) {
      if (sent) {
        controller.error(new TypeError('network error'));
        return;
      }
      sent = true;
      for (const [id, event] of events) {
        const line = id === undefined ? '' : `id: ${id}\n`;
        controller.enqueue(encoder.encode(`${line}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
      }
      if (!options.drop) controller.close();
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}

const turnEvents: TurnEvent[] = [
  { type: 'turn-start', turnId: 'turn_1', threadId: 't' },
  { type: 'message-start', messageId: 'm', role: 'assistant', kind: 'narration' },
  { type: 'message-delta', messageId: 'm', text: 'Once ' },
  { type: 'message-delta', messageId: 'm', text: 'upon ' },
  { type: 'message-delta', messageId: 'm', text: 'a time.' },
  { type: 'turn-end', turnId: 'turn_1', status: 'complete' },
];
const ids = (from: number, to: number): Array<[number, TurnEvent]> =>
  turnEvents.slice(from - 1, to).map((event, index) => [from + index, event]);

describe('DreamdeckClient.stream: rejoining a dropped turn, and CONFLICT', () => {
  it('rejoins a stream that drops mid-turn after the last event id: every event once, in order', async () => {
    const calls: Array<{ method: string; url: string; lastEventId: string | null }> = [];
    const fetcher: typeof fetch = async (input, init) => {
      const url = String(input);
      const lastEventId = new Headers(init?.headers).get('last-event-id');
      calls.push({ method: init?.method ?? 'GET', url, lastEventId });
      if (init?.method === 'POST') return numbered(ids(1, 3), { drop: true });
      // the first rejoin fails outright, the second replays from before the id it was given
      if (calls.length === 2) throw new TypeError('Failed to fetch');
      return numbered(ids(2, 6));
    };
    const retries: number[] = [];
    const client = new DreamdeckClient({
      endpoint: '/api',
      token: 't',
      fetch: fetcher,
      storage: null,
      onRetry: (attempt) => retries.push(attempt),
    });
    const seen: Array<[number | undefined, TurnEvent]> = [];
    await client.stream('/threads/t/turns', { text: 'hi' }, (event, seq) => seen.push([seq, event]), {
      rejoinPath: (turnId) => `/threads/t/turns/${turnId}/events`,
    });
    expect(seen).toEqual(ids(1, 6));
    expect(calls.map((call) => [call.method, call.url, call.lastEventId])).toEqual([
      ['POST', '/api/threads/t/turns', null],
      ['GET', '/api/threads/t/turns/turn_1/events', '3'],
      ['GET', '/api/threads/t/turns/turn_1/events', '3'],
    ]);
    expect(retries).toEqual([1, 2, 0]);
  });

  it('a turn the server no longer keeps rejects with TURN_GONE; without rejoinPath a drop is NETWORK', async () => {
    const fetcher: typeof fetch = async (_input, init) =>
      init?.method === 'POST'
        ? numbered(ids(1, 3), { drop: true })
        : Response.json({ error: { code: 'NOT_FOUND', message: 'Those events are no longer kept.' } }, { status: 404 });
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    const rejoinPath = (turnId: string) => `/threads/t/turns/${turnId}/events`;
    await expect(client.stream('/threads/t/turns', {}, () => {}, { rejoinPath })).rejects.toMatchObject({
      code: 'TURN_GONE',
      status: 404,
    });
    await expect(client.stream('/threads/t/turns', {}, () => {})).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('gives up with NETWORK after `rejoins` tries in a row that bring nothing new', async () => {
    let gets = 0;
    const fetcher: typeof fetch = async (_input, init) => {
      if (init?.method === 'POST') return numbered(ids(1, 2), { drop: true });
      gets++;
      throw new TypeError('Failed to fetch');
    };
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    await expect(
      client.stream('/threads/t/turns', {}, () => {}, { rejoinPath: () => '/x', rejoins: 2 }),
    ).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
    expect(gets).toBe(2);
  });

  it('a turn refused with 409 CONFLICT (another turn still runs) is tried again; past the tries it rejects, retryable', async () => {
    let posts = 0;
    const conflict = () =>
      Response.json({ error: { code: 'CONFLICT', message: 'Another turn is running.' } }, { status: 409 });
    const fetcher: typeof fetch = async () => (++posts < 3 ? conflict() : numbered(ids(1, 6)));
    const client = new DreamdeckClient({ endpoint: '/api', token: 't', fetch: fetcher, storage: null });
    const seen: TurnEvent[] = [];
    await client.stream('/threads/t/turns', {}, (event) => seen.push(event), { conflictRetries: 2 });
    expect(posts).toBe(3);
    expect(seen).toEqual(turnEvents);
    const refusing = new DreamdeckClient({
      endpoint: '/api',
      token: 't',
      fetch: async () => conflict(),
      storage: null,
    });
    await expect(refusing.stream('/threads/t/turns', {}, () => {}, { conflictRetries: 0 })).rejects.toMatchObject({
      code: 'CONFLICT',
      status: 409,
      retryable: true,
    });
  });
});

describe('strings', () => {
  it('loads German on demand, once, and falls back from a region to its language', async () => {
    // English is built in; German is a module of its own (a separate file in the script-tag build)
    expect(locales.de).toBeUndefined();
    expect(resolveStrings('de-AT')).toBe(en);
    const [first, second] = await Promise.all([loadLocale('de-AT'), loadLocale('de')]);
    expect(first).toBe(true);
    expect(second).toBe(true);
    expect(await loadLocale('de')).toBe(false);
    expect(locales.de).toBe(de);
    expect(resolveStrings('de-AT')).toBe(de);
    expect(resolveStrings('de').send).toBe('Senden');
  });

  it('loads nothing for English or unknown locales, which fall back to English', async () => {
    expect(await loadLocale('en-GB')).toBe(false);
    expect(await loadLocale('xx')).toBe(false);
    expect(await loadLocale(undefined)).toBe(false);
    expect(resolveStrings('xx')).toBe(en);
  });

  it('merges overrides, nested ones included', () => {
    const strings = resolveStrings('en', { send: 'Go', commands: { '/roll': 'Throw' } });
    expect(strings.send).toBe('Go');
    expect(strings.commands['/roll']).toBe('Throw');
    expect(strings.commands['/help']).toBe(en.commands['/help']);
  });

  it('gives every locale the same keys as English', () => {
    const keys = (value: object): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'object' ? keys(inner).map((sub) => `${key}.${sub}`) : [key],
      );
    // English admin and survey strings live apart from `en` (only the admin view and the survey card carry them)
    expect(keys(de).sort()).toEqual(keys({ ...en, admin: enAdmin, survey: enSurvey }).sort());
  });

  it('fills placeholders', () => {
    expect(format(en.errorRateLimited, { seconds: 3 })).toBe('Too many requests. Try again in 3 s.');
  });
});
