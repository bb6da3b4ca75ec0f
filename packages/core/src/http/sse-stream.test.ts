import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord, Turn, TurnEvent, TurnResult } from '../types.js';
import { EventQueue, TURN_EVENTS } from '../workflow/turn-sink.js';
import { errorResponse } from './http-errors.js';
import { toNodeListener } from './node-listener.js';
import { parseEvents, readEvents, type SseEvent, serveForTests, type TestServer } from './serve-for-tests.js';
import { formatEventText, MAX_SSE_EVENT_CHARS } from './sse-format.js';
import { DIRECT_HANDLER, isDirectSse, SSE_PUMP, streamTurn } from './sse-stream.js';

let app: TestServer | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function newThread(server: TestServer, user: string): Promise<ThreadRecord> {
  return (
    (await (await server.call(user, '/threads', { method: 'POST', json: {} })).json()) as { thread: ThreadRecord }
  ).thread;
}

/** Reads a stream until `until` returns true for the text so far. */
async function readUntil(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!until(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, tries = 200): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

describe('SSE turns', () => {
  it('with rejoinGraceMs 0, a client that disconnects aborts the turn and the partial narration stays `aborted`', async () => {
    app = await serveForTests({
      latencyMs: 15,
      config: { limits: { turnsPerMinute: 100, apiCallsPerHour: 10_000 } },
      handler: { rejoinGraceMs: 0 },
    });
    const thread = await newThread(app, 'u1');
    const controller = new AbortController();
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I tell a long story.' },
      signal: controller.signal,
    });
    const text = await readUntil(response, (so) => (so.match(/event: message-delta/g) ?? []).length >= 3);
    expect(text).toContain('event: turn-start');
    controller.abort();
    const narration = await waitFor(async () => {
      const messages = await app!.dd.storage.listMessages(thread.id);
      const found = messages.find((m: StoryMessage) => m.kind === 'narration');
      return found && found.status !== 'streaming' ? found : undefined;
    });
    expect(narration.status).toBe('aborted');
    expect(narration.content.length).toBeGreaterThan(0);
    await waitFor(async () => (app!.handler.openStreams === 0 ? true : undefined));
    const metrics = await (await app.call(null, '/metrics')).text();
    expect(metrics).toMatch(/dreamdeck_turns_total\{status="aborted"\} 1/);
    expect(metrics).toContain('dreamdeck_open_streams 0');
  });

  /** Plays one narration turn over HTTP on the demo model; its deltas' texts and the stored reply. */
  async function narrationOverSse(latencyMs: number) {
    app = await serveForTests({ latencyMs, config: { features: { imageGeneration: false } } });
    const thread = await newThread(app, 'u1');
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I search the room for clues.' },
    });
    const events = parseEvents(await response.text());
    const deltas = events.filter((e) => e.event === 'message-delta').map((e) => (e.data as { text: string }).text);
    const end = events.find((e) => e.event === 'message-end')?.data as { message: StoryMessage };
    return { deltas, reply: end.message.content };
  }

  it('joins the deltas a fast model produces at once into one event, with the same text', async () => {
    const { deltas, reply } = await narrationOverSse(0);
    // the zero-latency demo streams ~100 tokens within one turn of the event loop
    expect(deltas.length).toBeLessThan(5);
    expect(deltas.join('')).toBe(reply);
    expect(reply.length).toBeGreaterThan(100);
  });

  it('streams tokens that arrive apart as separate deltas', async () => {
    const { deltas, reply } = await narrationOverSse(5);
    expect(deltas.length).toBeGreaterThan(20);
    expect(deltas.join('')).toBe(reply);
  });

  /** The event types of a whole narration turn, and whether its deltas add up to the stored reply. */
  function summarize(events: SseEvent[]) {
    const deltas = events.filter((e) => e.event === 'message-delta').map((e) => (e.data as { text: string }).text);
    const end = events.find((e) => e.event === 'message-end')?.data as { message: StoryMessage } | undefined;
    return {
      types: [...new Set(events.map((e) => e.event))],
      status: (events.at(-1)?.data as { status?: string } | undefined)?.status,
      deltasMatchReply: Boolean(end?.message.content) && deltas.join('') === end?.message.content,
    };
  }
  const turnRequest = async (server: TestServer, threadId: string) =>
    new Request(`http://dreamdeck.test/threads/${threadId}/turns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.token('u1')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'I search the room for clues.' }),
    });
  const expected = {
    types: ['turn-start', 'message-start', 'message-delta', 'message-end', 'turn-end'],
    status: 'complete',
    deltasMatchReply: true,
  };

  it('a handler called fetch-style streams a turn in its web body', async () => {
    app = await serveForTests({ config: { features: { imageGeneration: false } } });
    const thread = await newThread(app, 'u1');
    const response = await app.handler(await turnRequest(app, thread.id));
    expect(isDirectSse(response)).toBe(false);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(summarize(await readEvents(response))).toEqual(expected);
  });

  it('toNodeListener writes the events to the socket itself, and a wrapped handler still streams its web body', async () => {
    app = await serveForTests({ config: { features: { imageGeneration: false } } });
    // the handler's direct variant answers with a pump and no body
    const variants = app.handler as unknown as Record<typeof DIRECT_HANDLER, (request: Request) => Promise<Response>>;
    const direct = await variants[DIRECT_HANDLER](await turnRequest(app, (await newThread(app, 'u1')).id));
    if (!isDirectSse(direct)) throw new Error('expected a direct event stream');
    expect(direct.body).toBeNull();
    let text = '';
    await new Promise<void>((resolve) => direct[SSE_PUMP]({ write: (chunk) => (text += chunk), end: resolve }));
    expect(summarize(parseEvents(text))).toEqual(expected);
    // over the direct path (serveForTests passes the handler itself)...
    const first = await app.call('u1', `/threads/${(await newThread(app, 'u1')).id}/turns`, {
      method: 'POST',
      json: { text: 'I search the room for clues.' },
    });
    // ...and through a wrapper, which toNodeListener cannot see through
    const wrapped = createServer(toNodeListener((request) => app!.handler(request)));
    await new Promise<void>((resolve) => wrapped.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = wrapped.address() as AddressInfo;
      const second = await fetch(`http://127.0.0.1:${port}/threads/${(await newThread(app, 'u1')).id}/turns`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await app.token('u1')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'I search the room for clues.' }),
      });
      expect(summarize(await readEvents(first))).toEqual(expected);
      expect(summarize(await readEvents(second))).toEqual(expected);
    } finally {
      wrapped.closeAllConnections();
      await new Promise<void>((resolve) => wrapped.close(() => resolve()));
    }
  });

  it('sends heartbeat comments while a turn runs', async () => {
    app = await serveForTests({ latencyMs: 15, handler: { heartbeatMs: 10 } });
    const thread = await newThread(app, 'u1');
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'Hello there.' },
    });
    const text = await response.text();
    expect(text).toContain(': heartbeat\n\n');
    expect(parseEvents(text).at(-1)?.event).toBe('turn-end');
  });

  it('counts open streams while they run', async () => {
    app = await serveForTests({ latencyMs: 15 });
    const thread = await newThread(app, 'u1');
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'Hello there.' },
    });
    const metrics = await (await app.call(null, '/metrics')).text();
    expect(metrics).toContain('dreamdeck_open_streams 1');
    const busy = await app.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'Again.' } });
    expect(busy.status).toBe(409);
    await response.text();
  });

  it('answers 429 with Retry-After (not a stream) past the turn limit, and counts it', async () => {
    app = await serveForTests({ config: { limits: { turnsPerMinute: 2, apiCallsPerHour: 10_000 } } });
    const thread = await newThread(app, 'u1');
    for (let i = 0; i < 2; i++) {
      const ok = await app.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: `Turn ${i}` } });
      expect(ok.status).toBe(200);
      await ok.text();
    }
    const limited = await app.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'One more' } });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    const other = await newThread(app, 'u2');
    expect(
      (await app.call('u2', `/threads/${other.id}/turns`, { method: 'POST', json: { text: 'Mine' } })).status,
    ).toBe(200);
    const metrics = await (await app.call(null, '/metrics')).text();
    expect(metrics).toMatch(/dreamdeck_rate_limited_total\{limit="turnsPerMinute"\} 1/);
    const audit = await app.dd.storage.listAudit?.({ type: 'rate-limited' });
    expect(audit?.some((event) => event.userId === 'u1')).toBe(true);
  });

  it('answers 429 past apiCallsPerHour', async () => {
    app = await serveForTests({ config: { limits: { apiCallsPerHour: 3 } } });
    for (let i = 0; i < 3; i++) expect((await app.call('u1', '/threads')).status).toBe(200);
    const limited = await app.call('u1', '/threads');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await app.call('u2', '/threads')).status).toBe(200);
  });

  it('closing the handler ends open streams cleanly with turn-end `aborted`, then refuses requests', async () => {
    app = await serveForTests({ latencyMs: 15 });
    const thread = await newThread(app, 'u1');
    const response = await app.call('u1', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'A long tale.' },
    });
    const reading = readEvents(response);
    await waitFor(async () =>
      (await app!.dd.storage.listMessages(thread.id)).some((m) => m.kind === 'narration') ? true : undefined,
    );
    await app.handler.close();
    const events = await reading;
    expect(events.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'aborted' } });
    expect((await app.call('u1', '/threads')).status).toBe(503);
  });

  it('serves routes under a basePath and answers CORS preflights', async () => {
    app = await serveForTests({ handler: { basePath: '/api', cors: { origin: ['https://site.example'] } } });
    expect((await app.call(null, '/health')).status).toBe(200);
    const outside = await fetch(app.url.replace('/api', '/health'));
    expect(outside.status).toBe(404);
    const preflight = await app.call(null, '/threads', {
      method: 'OPTIONS',
      headers: { origin: 'https://site.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://site.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const stranger = await app.call(null, '/health', { headers: { origin: 'https://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('guest mode can be switched off', async () => {
    app = await serveForTests({ handler: { guest: false } });
    const response = await app.call(null, '/auth/guest', { method: 'POST' });
    expect(response.status).toBe(404);
  });

  it("takes a turn's events by push once the stream is open, with the same events as the iterator", async () => {
    /** A turn over a queue; `push` says whether streamTurn may take its events by push. */
    const turnOver = (push: boolean) => {
      const queue = new EventQueue<TurnEvent>();
      let reads = 0;
      let finish!: (result: TurnResult) => void;
      const turn: Turn & { [TURN_EVENTS]?: EventQueue<TurnEvent> } = {
        turnId: 'turn_1',
        result: new Promise<TurnResult>((resolve) => (finish = resolve)),
        [Symbol.asyncIterator]: () => {
          const inner = queue[Symbol.asyncIterator]();
          return {
            next: () => {
              reads++;
              return inner.next();
            },
          };
        },
        ...(push && { [TURN_EVENTS]: queue }),
      };
      return { queue, turn, reads: () => reads, finish };
    };
    const run = async (push: boolean) => {
      const { queue, turn, reads, finish } = turnOver(push);
      queue.push({ type: 'turn-start', turnId: 'turn_1', threadId: 'thr_1' });
      queue.push({ type: 'message-start', messageId: 'msg_1', role: 'assistant', kind: 'narration' });
      const response = await streamTurn(turn, { abort: new AbortController() });
      for (let i = 0; i < 40; i++) {
        queue.push({ type: 'message-delta', messageId: 'msg_1', text: `t${i} ` });
        if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
      }
      queue.push({ type: 'turn-end', turnId: 'turn_1', status: 'complete' });
      queue.close();
      finish({ turnId: 'turn_1', status: 'complete', messages: [] });
      const events = parseEvents(await response.text());
      const text = events
        .filter((e) => e.event === 'message-delta')
        .map((e) => (e.data as { text: string }).text)
        .join('');
      return { types: events.map((e) => e.event).filter((t) => t !== 'message-delta'), text, reads: reads() };
    };
    const pushed = await run(true);
    const iterated = await run(false);
    expect(pushed.text).toBe(Array.from({ length: 40 }, (_, i) => `t${i} `).join(''));
    expect({ ...pushed, reads: 0 }).toEqual({ ...iterated, reads: 0 });
    expect(pushed.types).toEqual(['turn-start', 'message-start', 'turn-end']);
    // the iterator reads every event; by push, only the peek reads (turn-start, message-start, one more)
    expect(iterated.reads).toBeGreaterThan(40);
    expect(pushed.reads).toBeLessThanOrEqual(3);
  });

  it('answers a turn the engine refuses as already running elsewhere (CONFLICT) as a plain 409, not a stream', async () => {
    const queue = new EventQueue<TurnEvent>();
    const turn: Turn = {
      turnId: 'turn_2',
      result: Promise.resolve({ turnId: 'turn_2', status: 'error', messages: [] }),
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    };
    queue.push({ type: 'turn-start', turnId: 'turn_2', threadId: 'thr_1' });
    queue.push({ type: 'error', code: 'CONFLICT', message: 'Another turn is running in this story.', retryable: true });
    queue.push({ type: 'turn-end', turnId: 'turn_2', status: 'error' });
    queue.close();
    const refused = await streamTurn(turn, { abort: new AbortController() }).catch((error: unknown) => error);
    const response = errorResponse(refused);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'CONFLICT', message: 'Another turn is running in this story.' },
    });
  });
});

/** A turn over a queue the test fills; `finish` resolves its result. */
function queuedTurn(turnId = 'turn_q') {
  const queue = new EventQueue<TurnEvent>();
  let finish!: (result: TurnResult) => void;
  const turn: Turn & { [TURN_EVENTS]: EventQueue<TurnEvent> } = {
    turnId,
    result: new Promise<TurnResult>((resolve) => (finish = resolve)),
    [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    [TURN_EVENTS]: queue,
  };
  return { queue, turn, end: () => finish({ turnId, status: 'complete', messages: [] }) };
}

/** The `id:` of each event block in event-stream text (undefined for a block without one). */
function ids(text: string): Array<number | undefined> {
  return text
    .split('\n\n')
    .filter((block) => /^(id|event): /m.test(block))
    .map((block) => {
      const line = block.split('\n').find((part) => part.startsWith('id: '));
      return line ? Number(line.slice(4)) : undefined;
    });
}

describe('SSE event ids and events that cannot be sent', () => {
  it('every event of a turn carries `id: <seq>`, 1, 2, 3 … in order', async () => {
    app = await serveForTests({ latencyMs: 2, config: { features: { imageGeneration: false } } });
    const thread = await newThread(app, 'u1');
    const response = await app.call('u1', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'Hello.' } });
    const text = await response.text();
    const seqs = ids(text);
    expect(seqs.length).toBeGreaterThan(4);
    expect(seqs).toEqual(seqs.map((_, index) => index + 1));
    expect(parseEvents(text).at(-1)?.event).toBe('turn-end');
  });

  it('formatEventText never throws: an event over the cap or one JSON cannot write becomes an `error` event', () => {
    const huge = { type: 'message-delta', messageId: 'm', text: 'x'.repeat(MAX_SSE_EVENT_CHARS + 1) } as TurnEvent;
    const cyclic = { type: 'status', text: 'a' } as TurnEvent & { self?: unknown };
    cyclic.self = cyclic;
    // what `JSON.stringify` of a 500 MB string throws: the crash of issue 18, finding 1
    const unwritable = {
      type: 'message-end',
      toJSON() {
        throw new RangeError('Invalid string length');
      },
    } as unknown as TurnEvent;
    for (const event of [huge, cyclic, unwritable]) {
      const text = formatEventText(event, 7);
      expect(text.startsWith('id: 7\nevent: error\n')).toBe(true);
      expect(parseEvents(text)[0]?.data).toMatchObject({ type: 'error', code: 'INTERNAL', retryable: false });
      expect(text.length).toBeLessThan(500);
    }
    expect(parseEvents(formatEventText(unwritable))[0]?.data).toMatchObject({
      message: 'A message was too large to send. Reload the story to read it.',
    });
  });

  it('an oversize or unwritable event mid-turn goes out as an `error` event and the stream ends cleanly (issue 18, finding 1)', async () => {
    const { queue, turn, end } = queuedTurn();
    queue.push({ type: 'turn-start', turnId: 'turn_q', threadId: 'thr_1' });
    queue.push({ type: 'message-start', messageId: 'msg_1', role: 'assistant', kind: 'narration' });
    const response = await streamTurn(turn, { abort: new AbortController() });
    const reading = response.text();
    queue.push({ type: 'message-delta', messageId: 'msg_1', text: 'Before. ' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const story = 'x'.repeat(8 * 1024 * 1024);
    queue.push({
      type: 'message-end',
      message: {
        id: 'msg_1',
        threadId: 'thr_1',
        role: 'assistant',
        kind: 'narration',
        content: story,
        createdAt: new Date(0).toISOString(),
        status: 'complete',
      },
    });
    queue.push({
      type: 'status',
      toJSON() {
        throw new RangeError('Invalid string length');
      },
    } as unknown as TurnEvent);
    queue.push({ type: 'status', text: 'After.' });
    queue.push({ type: 'turn-end', turnId: 'turn_q', status: 'complete' });
    queue.close();
    end();
    const text = await reading;
    expect(text.length).toBeLessThan(10_000);
    const events = parseEvents(text);
    expect(events.map((event) => event.event)).toEqual([
      'turn-start',
      'message-start',
      'message-delta',
      'error',
      'error',
      'status',
      'turn-end',
    ]);
    expect(events[3]?.data).toMatchObject({ code: 'INTERNAL', retryable: false });
    expect(ids(text)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
