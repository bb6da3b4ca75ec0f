/**
 * `/search` end to end: the engine and the HTTP API with the real search adapters against
 * loopback servers speaking SearXNG's, Tavily's and SerpApi's wire formats, including a service
 * that is down (500), rate limiting (429) or hung. The turn always completes; the GM (the demo
 * model) weaves a result into its narration.
 */
import { createSearxngSearch, createSerpApiSearch, createTavilySearch } from '@dreamdeck/adapters/search';
import { createDemoModel, createDreamdeck, type Dreamdeck, type SearchAdapter, type TurnEvent } from '@dreamdeck/core';
import { createRequestHandler, createTokenAuth } from '@dreamdeck/core/http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseEvents } from '../packages/core/src/http/serve-for-tests.js';
import {
  type LoopbackServer,
  SEARCH_FIXTURE,
  startSearxngServer,
  startSerpApiServer,
  startTavilyServer,
} from './servers/index.js';

const fast = { baseDelayMs: 1, maxDelayMs: 4 };

let searxng: LoopbackServer;
let tavily: LoopbackServer;
let serpapi: LoopbackServer;
beforeAll(async () => {
  [searxng, tavily, serpapi] = await Promise.all([startSearxngServer(), startTavilyServer(), startSerpApiServer()]);
});
afterAll(() => Promise.all([searxng.close(), tavily.close(), serpapi.close()]));
afterEach(() => {
  searxng.reset();
  tavily.reset();
  serpapi.reset();
});

async function engine(search: SearchAdapter | undefined, webSearch = true, apiCallsPerHour = 100): Promise<Dreamdeck> {
  return createDreamdeck({
    model: createDemoModel({ latencyMs: 0 }),
    ...(search && { search }),
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { webSearch, imageGeneration: false },
      limits: { apiCallsPerHour },
    },
  });
}

async function play(dd: Dreamdeck, text: string, userId = 'ana') {
  const session = await dd.openSession({ userId });
  const events: TurnEvent[] = [];
  const turn = session.send(text);
  for await (const event of turn) events.push(event);
  const ends = events.flatMap((e) => (e.type === 'message-end' ? [e.message] : []));
  const status = events.find((e) => e.type === 'turn-end');
  return { session, events, ends, status: status?.type === 'turn-end' ? status.status : undefined };
}

const adapters = [
  { name: 'searxng', create: () => createSearxngSearch({ baseUrl: searxng.url, retry: fast }) },
  { name: 'tavily', create: () => createTavilySearch({ apiKey: 'tvly-test-key', baseUrl: tavily.url, retry: fast }) },
  {
    name: 'serpapi',
    create: () => createSerpApiSearch({ apiKey: 'serp-test-key', baseUrl: serpapi.url, retry: fast }),
  },
];

describe.each(adapters)('/search through the engine on $name', ({ create }) => {
  it('stores a search message with search-result parts, then the GM mentions a result', async () => {
    const dd = await engine(create());
    const { ends, status, session } = await play(dd, '/search the drowned bell');
    expect(status).toBe('complete');
    const search = ends.find((m) => m.kind === 'search');
    expect(search?.parts).toEqual(
      SEARCH_FIXTURE.map((r) => ({ type: 'search-result', title: r.title, url: r.url, snippet: r.snippet })),
    );
    const narration = ends.find((m) => m.kind === 'narration');
    expect(narration?.content).toContain(SEARCH_FIXTURE[0]!.title);
    // told again, the GM still has the results (without searching again)
    const again = session.regenerate(narration!.id);
    for await (const _ of again) {
      // drain
    }
    const retold = (await session.history()).find((m) => m.id === narration!.id);
    expect(retold?.content).not.toBe(narration?.content);
    expect(retold?.content).toContain(SEARCH_FIXTURE[0]!.title);
    await dd.close();
  });
});

describe('/search failures end the turn cleanly', () => {
  it('an empty query gets a clear reply and no request', async () => {
    const dd = await engine(adapters[0]!.create());
    const { ends, status } = await play(dd, '/search   ');
    expect(status).toBe('complete');
    expect(ends.map((m) => m.content)).toEqual([
      'What should I search for? For example: `/search the legend of the drowned bell`.',
    ]);
    expect(searxng.requests).toHaveLength(0);
    await dd.close();
  });

  it('a service that answers 500 is retried, then reported; the player can play on', async () => {
    searxng.defaults = { status: 500, error: 'engines down' };
    const dd = await engine(adapters[0]!.create());
    const { ends, status, session } = await play(dd, '/search the drowned bell');
    expect(status).toBe('complete');
    expect(ends.at(-1)?.parts).toEqual([expect.objectContaining({ type: 'error', code: 'MODEL_UNAVAILABLE' })]);
    expect(ends.at(-1)?.content).toMatch(/not answering right now/);
    expect(searxng.requests).toHaveLength(3);
    // the thread stays usable, and the player's message is kept
    const history = await session.history();
    expect(history[0]).toMatchObject({ role: 'user', content: '/search the drowned bell' });
    const next = session.send('I walk to the harbour.');
    for await (const _ of next) {
      // drain
    }
    expect((await next.result).status).toBe('complete');
    await dd.close();
  });

  it('a hung service times out into a clear reply', async () => {
    tavily.defaults = { fault: 'hang' };
    const dd = await engine(
      createTavilySearch({ apiKey: 'tvly-test-key', baseUrl: tavily.url, timeoutMs: 50, maxRetries: 0 }),
    );
    const { ends, status } = await play(dd, '/search bells');
    expect(status).toBe('complete');
    expect(ends.at(-1)?.content).toMatch(/took too long/);
    await dd.close();
  });

  it('a 429 with a short Retry-After is waited out', async () => {
    serpapi.enqueue({ status: 429, headers: { 'retry-after': '0' }, error: 'Your account has run out of searches.' });
    const dd = await engine(adapters[2]!.create());
    const { ends } = await play(dd, '/search bells');
    expect(ends.find((m) => m.kind === 'search')?.parts).toHaveLength(3);
    expect(serpapi.requests).toHaveLength(2);
    await dd.close();
  });

  it('searches count against apiCallsPerHour', async () => {
    const dd = await engine(adapters[0]!.create(), true, 1);
    await play(dd, '/search bells');
    const { ends } = await play(dd, '/search more bells');
    expect(ends.at(-1)?.parts).toEqual([expect.objectContaining({ type: 'error', code: 'RATE_LIMITED' })]);
    expect(searxng.requests).toHaveLength(1);
    await dd.close();
  });

  it('with webSearch off, /search says so and the router route just narrates', async () => {
    const dd = await engine(adapters[0]!.create(), false);
    const off = await play(dd, '/search bells');
    expect(off.ends.map((m) => m.content)).toEqual(['Web search is switched off on this server.']);
    const routed = await play(dd, 'Search the web for the drowned bell legend.');
    expect(routed.ends.map((m) => m.kind)).toEqual(['narration']);
    expect(searxng.requests).toHaveLength(0);
    await dd.close();
  });

  it("the router's search route runs the search when webSearch is on", async () => {
    const dd = await engine(adapters[0]!.create());
    const { ends } = await play(dd, 'Search the web for the drowned bell legend.');
    expect(ends.map((m) => m.kind)).toEqual(['search', 'narration']);
    expect(searxng.requests[0]?.query.q).toBe('Search the web for the drowned bell legend.');
    await dd.close();
  });
});

describe('/search over HTTP', () => {
  it('streams the search message and its parts; GET /threads/:id returns them', async () => {
    const dd = await engine(adapters[0]!.create());
    const auth = createTokenAuth({ secret: 'test-secret-test-secret-test-secret-123' });
    const handler = createRequestHandler(dd, { authenticate: auth.authenticate });
    const headers = {
      authorization: `Bearer ${await auth.issueToken({ id: 'ana' })}`,
      'content-type': 'application/json',
    };
    const created = await handler(new Request('http://x/threads', { method: 'POST', headers, body: '{}' }));
    const { thread } = (await created.json()) as { thread: { id: string } };
    const response = await handler(
      new Request(`http://x/threads/${thread.id}/turns`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ text: '/search the drowned bell' }),
      }),
    );
    const events = parseEvents(await response.text());
    const starts = events.filter((e) => e.event === 'message-start').map((e) => (e.data as { kind: string }).kind);
    expect(starts).toEqual(['search', 'narration']);
    const stored = await handler(new Request(`http://x/threads/${thread.id}`, { headers }));
    const { messages } = (await stored.json()) as { messages: Array<{ kind: string; parts?: unknown[] }> };
    expect(messages.find((m) => m.kind === 'search')?.parts).toHaveLength(3);
    await handler.close?.();
    await dd.close();
  });
});
