import {
  createSearxngSearch,
  createSerpApiSearch,
  createTavilySearch,
  searchFromEnv,
} from '@dreamdeck/adapters/search';
import { DreamdeckError, type SearchAdapter } from '@dreamdeck/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type LoopbackServer,
  SEARCH_FIXTURE,
  startSearxngServer,
  startSerpApiServer,
  startTavilyServer,
} from '../../../tests/servers/index.js';

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

const fast = { baseDelayMs: 1, maxDelayMs: 4 };
const expected = SEARCH_FIXTURE.map(({ title, url, snippet }) => ({ title, url, snippet }));

async function failure(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DreamdeckError.isInstance(error), `expected a DreamdeckError, got ${String(error)}`).toBe(true);
  return error as DreamdeckError;
}

interface Case {
  name: string;
  server: () => LoopbackServer;
  create: (overrides?: Record<string, unknown>) => SearchAdapter;
}

const cases: Case[] = [
  {
    name: 'searxng',
    server: () => searxng,
    create: (overrides = {}) => createSearxngSearch({ baseUrl: `${searxng.url}/`, retry: fast, ...overrides }),
  },
  {
    name: 'tavily',
    server: () => tavily,
    create: (overrides = {}) =>
      createTavilySearch({ apiKey: 'tvly-test-key', baseUrl: tavily.url, retry: fast, ...overrides }),
  },
  {
    name: 'serpapi',
    server: () => serpapi,
    create: (overrides = {}) =>
      createSerpApiSearch({ apiKey: 'serp-test-key', baseUrl: serpapi.url, retry: fast, ...overrides }),
  },
];

describe('createSearxngSearch', () => {
  it('GETs /search?q=…&format=json and maps title, url and content', async () => {
    const results = await cases[0]!
      .create({ categories: ['general', 'news'], language: 'en' })
      .search('  the drowned bell ');
    expect(results).toEqual(expected);
    const request = searxng.requests[0]!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/search');
    expect(request.query).toEqual({
      q: 'the drowned bell',
      format: 'json',
      safesearch: '1',
      categories: 'general,news',
      language: 'en',
    });
  });

  it('says to allow the JSON format when the instance answers 403', async () => {
    searxng.enqueue({ status: 403, error: 'Forbidden' });
    const error = await failure(cases[0]!.create().search('bells'));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/search\.formats/);
    expect(searxng.requests).toHaveLength(1);
  });
});

describe('createTavilySearch', () => {
  it('POSTs /search with a Bearer key and a JSON body, and maps the results', async () => {
    const results = await cases[1]!.create({ searchDepth: 'advanced' }).search('the drowned bell', { limit: 2 });
    expect(results).toEqual(expected.slice(0, 2));
    const request = tavily.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/search');
    expect(request.headers.authorization).toBe('Bearer tvly-test-key');
    expect(request.body).toEqual({
      query: 'the drowned bell',
      max_results: 2,
      search_depth: 'advanced',
      topic: 'general',
      include_answer: false,
      include_raw_content: false,
      include_images: false,
    });
  });

  it('reports a refused key without retrying, with Tavily’s message and a hint', async () => {
    const search = createTavilySearch({ apiKey: 'wrong', baseUrl: tavily.url, retry: fast });
    const error = await failure(search.search('bells'));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Unauthorized: missing or invalid API key/);
    expect(error.message).toMatch(/TAVILY_API_KEY/);
    expect(tavily.requests).toHaveLength(1);
  });
});

describe('createSerpApiSearch', () => {
  it('GETs /search.json with engine, q, api_key and num, and maps organic_results', async () => {
    const results = await cases[2]!.create({ language: 'en', country: 'us' }).search('the drowned bell', { limit: 3 });
    expect(results).toEqual(expected);
    const request = serpapi.requests[0]!;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/search.json');
    expect(request.query).toEqual({
      engine: 'google',
      q: 'the drowned bell',
      api_key: 'serp-test-key',
      num: '3',
      output: 'json',
      hl: 'en',
      gl: 'us',
    });
  });

  it('answers no results (not an error) when Google found nothing', async () => {
    serpapi.enqueue({ json: [] });
    expect(await cases[2]!.create().search('qwzxv')).toEqual([]);
  });

  it('reports an invalid key with SerpApi’s message, not retried', async () => {
    const error = await failure(createSerpApiSearch({ apiKey: 'nope', baseUrl: serpapi.url }).search('bells'));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/Invalid API key/);
    expect(serpapi.requests).toHaveLength(1);
  });
});

describe.each(cases)('$name: failures', ({ server, create }) => {
  it('caps the results at `limit` (default 5, at most 20)', async () => {
    const many = Array.from({ length: 30 }, (_, index) => ({
      title: `Result ${index}`,
      url: `https://example.org/${index}`,
      snippet: `snippet ${index}`,
    }));
    server().defaults = { json: many };
    expect(await create().search('bells')).toHaveLength(5);
    expect(await create().search('bells', { limit: 50 })).toHaveLength(20);
    expect(await create().search('bells', { limit: 0 })).toHaveLength(1);
  });

  it('keeps result text plain: tags and control characters go, long text is cut', async () => {
    server().enqueue({
      json: [
        {
          title: '<b>Bold</b>\u0007 title',
          url: 'https://example.org/a',
          snippet: `<script>x()</script>${'z'.repeat(2000)}`,
        },
        { title: 'no address', url: '', snippet: 'dropped' },
        { title: 'not a url', url: 'not a url at all', snippet: 'dropped' },
      ],
    });
    const results = await create().search('bells');
    expect(results).toHaveLength(1);
    expect(results[0]!.title).toBe('Bold title');
    expect(results[0]!.snippet).not.toMatch(/[<>]/);
    expect(results[0]!.snippet.length).toBeLessThanOrEqual(1000);
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    server().enqueue({ status: 429, headers: { 'retry-after': '0' }, error: 'slow down' });
    expect(await create().search('bells')).toEqual(expected.slice(0, 3));
    expect(server().requests).toHaveLength(2);
  });

  it('gives up on a 429 whose Retry-After is too long, as a retryable error', async () => {
    server().enqueue({ status: 429, headers: { 'retry-after': '3600' }, error: 'quota' });
    const error = await failure(create().search('bells'));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toMatch(/rate limiting/);
    expect(server().requests).toHaveLength(1);
  });

  it('retries a 500 twice by default, then reports it', async () => {
    server().defaults = { status: 500, error: 'engine exploded' };
    const error = await failure(create().search('bells'));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/engine exploded/);
    expect(server().requests).toHaveLength(3);
  });

  it('times out a hung request', async () => {
    server().defaults = { fault: 'hang' };
    const error = await failure(create({ timeoutMs: 50, maxRetries: 1 }).search('bells'));
    expect(error.message).toMatch(/timed out/);
    expect(server().requests).toHaveLength(2);
  });

  it('reports malformed JSON cleanly', async () => {
    server().defaults = { fault: 'malformed' };
    const error = await failure(create({ maxRetries: 0 }).search('bells'));
    expect(error.message).toMatch(/not JSON/);
  });

  it('cancels the upstream request when the signal aborts', async () => {
    server().enqueue({ fault: 'hang' });
    const controller = new AbortController();
    const pending = create().search('bells', { signal: controller.signal });
    await server().waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server().waitForClientClose(0);
    expect(server().requests[0]?.closedEarly).toBe(true);
  });

  it('says the service is not reachable when nothing listens', async () => {
    const closed = await startSearxngServer();
    await closed.close();
    const error = await failure(create({ baseUrl: closed.url, maxRetries: 0 }).search('bells'));
    expect(error.message).toMatch(/not reachable/);
  });
});

describe('searchFromEnv', () => {
  it('defaults to none', async () => {
    const choice = await searchFromEnv({});
    expect(choice.adapter).toBeUndefined();
    expect(choice.description).toMatch(/no web search/);
  });

  it('builds each backend from its variables', async () => {
    const a = await searchFromEnv({ DREAMDECK_SEARCH: `searxng:${searxng.url}` });
    expect(a.adapter?.name).toBe('searxng');
    expect(await a.adapter?.search('bells')).toHaveLength(3);
    const b = await searchFromEnv({ DREAMDECK_SEARCH: 'searxng', SEARXNG_URL: searxng.url });
    expect(b.description).toBe(`SearXNG at ${searxng.url}`);
    const c = await searchFromEnv({
      DREAMDECK_SEARCH: 'tavily',
      TAVILY_API_KEY: 'tvly-test-key',
      TAVILY_BASE_URL: tavily.url,
    });
    expect(await c.adapter?.search('bells')).toHaveLength(3);
    const d = await searchFromEnv({
      DREAMDECK_SEARCH: 'SerpApi',
      SERPAPI_API_KEY: 'serp-test-key',
      SERPAPI_BASE_URL: serpapi.url,
    });
    expect(await d.adapter?.search('bells')).toHaveLength(3);
  });

  it('fails with CONFIG_INVALID naming what is missing', async () => {
    await expect(searchFromEnv({ DREAMDECK_SEARCH: 'tavily' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(/TAVILY_API_KEY/),
    });
    await expect(searchFromEnv({ DREAMDECK_SEARCH: 'serpapi' })).rejects.toMatchObject({
      message: expect.stringMatching(/SERPAPI_API_KEY/),
    });
    await expect(searchFromEnv({ DREAMDECK_SEARCH: 'searxng' })).rejects.toMatchObject({
      message: expect.stringMatching(/SEARXNG_URL/),
    });
    await expect(searchFromEnv({ DREAMDECK_SEARCH: 'bing' })).rejects.toMatchObject({
      message: expect.stringMatching(/none \| searxng:<url> \| tavily \| serpapi/),
    });
  });
});
