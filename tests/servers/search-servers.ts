import type { RequestContext } from './loopback-server.js';
import { answerScriptedStatus, type LoopbackServer, startLoopbackServer } from './loopback-server.js';

/** A result a loopback search server returns (the services' fields are derived from it). */
export interface FixtureResult {
  title: string;
  url: string;
  snippet: string;
}

/** The results every loopback search server answers with unless a script's `json` gives others. */
export const SEARCH_FIXTURE: FixtureResult[] = [
  {
    title: 'The Drowned Bell of Dunwich',
    url: 'https://example.org/legends/drowned-bell',
    snippet: 'Fishermen say the bells of the sunken church still ring beneath the waves before a storm.',
  },
  {
    title: 'Dunwich: a town lost to the sea',
    url: 'https://example.org/history/dunwich',
    snippet: 'Once a major port, Dunwich was swallowed by coastal erosion between 1286 and 1919.',
  },
  {
    title: 'Bell legends of the North Sea',
    url: 'https://example.org/folklore/bells',
    snippet: 'Sunken bells appear in coastal folklore from Suffolk to Friesland.',
  },
];

/** Options shared by the loopback search servers. */
export interface SearchServerOptions {
  /** The key the server accepts (Tavily: `Authorization: Bearer`, SerpApi: `api_key`). */
  apiKey?: string;
}

/** The fixture (or the script's `json` array) cut to `count` results. */
function fixture(context: RequestContext, count = 100): FixtureResult[] {
  const json = context.script.json;
  return (Array.isArray(json) ? (json as FixtureResult[]) : SEARCH_FIXTURE).slice(0, count);
}

/** Answers with `body` as JSON, or cut in half when the script's fault is `malformed`/`truncated`. */
function answerJson(context: RequestContext, body: unknown, status = 200): true {
  const { response, script } = context;
  if (script.fault === 'reset') {
    response.socket?.destroy();
    return true;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...(status === 200 ? script.headers : {}) });
  response.end(
    status === 200 && (script.fault === 'malformed' || script.fault === 'truncated') ? text.slice(0, 25) : text,
  );
  return true;
}

/**
 * Starts a loopback server speaking SearXNG's search API: `GET /search?q=…&format=json` answers
 * `{ query, number_of_results, results: [{ url, title, content, engine, score, category }],
 * answers, suggestions, infoboxes, unresponsive_engines }`. It checks what the real one needs:
 * the method (405 otherwise), a non-empty `q` (400), `format=json` (403, as an instance that
 * does not allow JSON answers), `safesearch` in 0..2 (400). Scripts: `status` (+`headers`, for
 * example a 429 with `Retry-After`), `fault: 'hang' | 'reset' | 'malformed'`, `json` (results).
 */
export function startSearxngServer(): Promise<LoopbackServer> {
  return startLoopbackServer((context) => {
    const { record } = context;
    if (record.path !== '/search') return false;
    if (record.method !== 'GET' && record.method !== 'POST') return answerJson(context, { error: 'method' }, 405);
    if (answerScriptedStatus(context, (message) => ({ error: message }))) return true;
    const { q, format, safesearch } = record.query;
    if (!q?.trim()) return answerJson(context, { error: 'No query' }, 400);
    if (format !== 'json') return answerJson(context, { error: 'format not allowed' }, 403);
    if (safesearch !== undefined && !['0', '1', '2'].includes(safesearch)) {
      return answerJson(context, { error: 'Invalid safesearch' }, 400);
    }
    const results = fixture(context).map((result, index) => ({
      url: result.url,
      title: result.title,
      content: result.snippet,
      engine: 'duckduckgo',
      engines: ['duckduckgo'],
      score: 1 / (index + 1),
      category: 'general',
      parsed_url: URL.canParse(result.url) ? ['https', new URL(result.url).host, new URL(result.url).pathname] : [],
      template: 'default.html',
    }));
    return answerJson(context, {
      query: q,
      number_of_results: results.length,
      results,
      answers: [],
      corrections: [],
      infoboxes: [],
      suggestions: [],
      unresponsive_engines: [],
    });
  });
}

/**
 * Starts a loopback server speaking Tavily's search API: `POST /search` with a JSON body answers
 * `{ query, answer, images, results: [{ title, url, content, score, raw_content }], response_time }`.
 * It checks: the method (405), `Authorization: Bearer <apiKey>` (401 with Tavily's `{ detail: {
 * error } }`), a JSON content type (415), a non-empty string `query` and an integer `max_results`
 * in 0..20 (400), `search_depth` `basic`/`advanced` (400). Results are cut to `max_results`.
 * Scripts as for {@link startSearxngServer}.
 */
export function startTavilyServer(options: SearchServerOptions = {}): Promise<LoopbackServer> {
  const apiKey = options.apiKey ?? 'tvly-test-key';
  const detail = (error: string) => ({ detail: { error } });
  return startLoopbackServer((context) => {
    const { record } = context;
    if (record.path !== '/search') return false;
    if (record.method !== 'POST') return answerJson(context, detail('Method Not Allowed'), 405);
    if (record.headers.authorization !== `Bearer ${apiKey}`) {
      return answerJson(context, detail('Unauthorized: missing or invalid API key.'), 401);
    }
    if (!String(record.headers['content-type'] ?? '').startsWith('application/json')) {
      return answerJson(context, detail('Content-Type must be application/json'), 415);
    }
    if (answerScriptedStatus(context, (message) => detail(message))) return true;
    const body = (record.body ?? {}) as Record<string, unknown>;
    if (typeof body.query !== 'string' || !body.query.trim())
      return answerJson(context, detail('Query is missing.'), 400);
    const max = body.max_results ?? 5;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 20) {
      return answerJson(context, detail('max_results must be between 0 and 20.'), 400);
    }
    if (body.search_depth !== undefined && body.search_depth !== 'basic' && body.search_depth !== 'advanced') {
      return answerJson(context, detail('Invalid search depth.'), 400);
    }
    return answerJson(context, {
      query: body.query,
      follow_up_questions: null,
      answer: null,
      images: [],
      results: fixture(context, max).map((result, index) => ({
        title: result.title,
        url: result.url,
        content: result.snippet,
        score: 0.9 - index * 0.1,
        raw_content: null,
      })),
      response_time: 0.42,
    });
  });
}

/**
 * Starts a loopback server speaking SerpApi's Google search API: `GET /search.json?engine=google&q=…&api_key=…`
 * answers `{ search_metadata, search_parameters, search_information, organic_results: [{ position,
 * title, link, displayed_link, snippet }] }`. It checks: the method (405), `api_key` (401 with
 * SerpApi's `{ error }`), `engine=google` (400), a non-empty `q` (400), `num` a positive integer
 * when present (400). A script `json: []` answers as Google does for no results: status Success
 * with an `error` and no `organic_results`. Other scripts as for {@link startSearxngServer}.
 */
export function startSerpApiServer(options: SearchServerOptions = {}): Promise<LoopbackServer> {
  const apiKey = options.apiKey ?? 'serp-test-key';
  return startLoopbackServer((context) => {
    const { record } = context;
    if (record.path !== '/search.json' && record.path !== '/search') return false;
    if (record.method !== 'GET') return answerJson(context, { error: 'Only GET is supported.' }, 405);
    const { api_key: key, engine, q, num } = record.query;
    if (key !== apiKey) {
      return answerJson(
        context,
        { error: 'Invalid API key. Your API key should be here: https://serpapi.com/manage-api-key' },
        401,
      );
    }
    if (engine !== 'google')
      return answerJson(context, { error: `Unsupported \`${engine ?? ''}\` search engine.` }, 400);
    if (!q?.trim()) return answerJson(context, { error: 'Missing query `q` parameter.' }, 400);
    if (num !== undefined && !/^[1-9]\d*$/.test(num))
      return answerJson(context, { error: 'Invalid `num` parameter.' }, 400);
    if (answerScriptedStatus(context, (message) => ({ error: message }))) return true;
    const results = fixture(context, num ? Number(num) : 10);
    const metadata = { id: 'loopback', status: 'Success', total_time_taken: 0.5 };
    const parameters = { engine, q, google_domain: 'google.com', device: 'desktop' };
    if (!results.length) {
      return answerJson(context, {
        search_metadata: metadata,
        search_parameters: parameters,
        search_information: { organic_results_state: 'Fully empty', total_results: 0 },
        error: "Google hasn't returned any results for this query.",
      });
    }
    return answerJson(context, {
      search_metadata: metadata,
      search_parameters: parameters,
      search_information: { organic_results_state: 'Results for exact spelling', total_results: results.length },
      organic_results: results.map((result, index) => ({
        position: index + 1,
        title: result.title,
        link: result.url,
        displayed_link: result.url.replace(/^https?:\/\//, ''),
        snippet: result.snippet,
      })),
    });
  });
}
