import { describe, expect, it } from 'vitest';
import { DreamdeckError } from '../../errors.js';
import type { SearchAdapter } from '../../models/model-adapter.js';
import { createTestTurn } from './test-turn.js';
import { createWebSearchTask } from './web-search.js';

const RESULTS = [
  { title: 'The Drowned Bell', url: 'https://example.org/bell', snippet: 'Bells ring beneath the waves.' },
  { title: 'Dunwich *lost*', url: 'javascript:alert(1)', snippet: '<img src=x onerror=alert(1)>' },
];

/** A search adapter answering `answer` (or failing with it), recording each call. */
function adapter(answer: typeof RESULTS | Error | 'hang'): SearchAdapter & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: 'test',
    calls,
    search(query, options) {
      calls.push(query);
      if (answer === 'hang') {
        return new Promise((_, reject) =>
          options?.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true }),
        );
      }
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
}

async function search(options: {
  search?: SearchAdapter;
  webSearch?: boolean;
  query?: string;
  via?: 'command' | 'model';
  apiCallsPerHour?: number;
}) {
  const turn = await createTestTurn({
    search: options.search,
    config: {
      features: { webSearch: options.webSearch ?? true },
      limits: { apiCallsPerHour: options.apiCallsPerHour ?? 60 },
    },
  });
  const task = createWebSearchTask(turn.context);
  const run = await turn.run(() =>
    task({
      threadId: turn.threadId,
      turnId: turn.turnId,
      userId: turn.userId,
      query: options.query ?? 'the drowned bell',
      via: options.via ?? 'command',
    }),
  );
  const message = run.result?.messageId ? await turn.storage.getMessage(run.result.messageId) : null;
  return { turn, outcome: run.result!, message };
}

describe('the web-search task', () => {
  it('stores a search message with search-result parts and gives the GM Search: lines', async () => {
    const service = adapter(RESULTS);
    const { turn, outcome, message } = await search({ search: service, query: '  the   drowned bell ' });
    expect(service.calls).toEqual(['the drowned bell']);
    expect(message).toMatchObject({ role: 'tool', kind: 'search', status: 'complete' });
    expect(message?.parts).toEqual(RESULTS.map((r) => ({ type: 'search-result', ...r })));
    // untrusted text is escaped in the markdown content: no emphasis, no tag
    expect(message?.content).toContain('Dunwich \\*lost\\*');
    expect(message?.content).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
    expect(message?.content).not.toContain('javascript:');
    expect(outcome.lines[0]).toBe(
      'Search: The Drowned Bell — Bells ring beneath the waves. (https://example.org/bell)',
    );
    expect(turn.events.some((e) => e.type === 'status' && e.text.startsWith('Searching the web'))).toBe(true);
    const usage = await turn.storage.listUsage!({ userId: turn.userId });
    expect(usage.find((row) => row.metric === 'searches')?.count).toBe(1);
  });

  it('answers an empty query clearly, without searching', async () => {
    const service = adapter(RESULTS);
    const { outcome, message } = await search({ search: service, query: '   ' });
    expect(service.calls).toEqual([]);
    expect(outcome.lines).toEqual([]);
    expect(message?.parts).toEqual([expect.objectContaining({ type: 'error', code: 'INVALID_INPUT' })]);
    expect(message?.content).toMatch(/What should I search for\?/);
  });

  it('refuses a query over 400 characters', async () => {
    const { message } = await search({ search: adapter(RESULTS), query: 'x'.repeat(401) });
    expect(message?.parts?.[0]).toMatchObject({ type: 'error', code: 'INVALID_INPUT' });
  });

  it('/search says when web search is off or not set up; the router route stores nothing', async () => {
    const off = await search({ search: adapter(RESULTS), webSearch: false });
    expect(off.message?.content).toBe('Web search is switched off on this server.');
    expect(off.message?.parts?.[0]).toMatchObject({ code: 'FEATURE_DISABLED' });
    const missing = await search({});
    expect(missing.message?.content).toBe('No web search service is set up on this server.');
    const routed = await search({ webSearch: false, via: 'model', search: adapter(RESULTS) });
    expect(routed.outcome).toEqual({ lines: [] });
    expect(await routed.turn.storage.listMessages(routed.turn.threadId)).toEqual([]);
  });

  it('a service that fails is a clear reply, and the turn goes on', async () => {
    const failing = adapter(new DreamdeckError('MODEL_UNAVAILABLE', '[dreamdeck] [searxng] SearXNG answered 500'));
    const { outcome, message } = await search({ search: failing });
    expect(outcome.lines).toEqual([]);
    expect(message?.content).toBe(
      'The web search service is not answering right now. The story goes on; try again later.',
    );
    expect(message?.parts?.[0]).toMatchObject({ type: 'error', code: 'MODEL_UNAVAILABLE' });
  });

  it('a service that times out is reported as slow', async () => {
    const slow = adapter(
      new DreamdeckError('MODEL_UNAVAILABLE', 'Tavily sent nothing for 10 ms; the request timed out.'),
    );
    const { message } = await search({ search: slow });
    expect(message?.content).toMatch(/took too long/);
  });

  it('stopping the turn aborts a hung search and rethrows (no reply)', async () => {
    const turn = await createTestTurn({ search: adapter('hang'), config: { features: { webSearch: true } } });
    const task = createWebSearchTask(turn.context);
    const pending = turn.run(() =>
      task({ threadId: turn.threadId, turnId: turn.turnId, userId: turn.userId, query: 'bells', via: 'command' }),
    );
    setTimeout(() => turn.abort(), 5);
    await expect(pending).rejects.toThrow();
    expect(await turn.storage.listMessages(turn.threadId)).toEqual([]);
  });

  it('counts against apiCallsPerHour and says so when over it', async () => {
    const service = adapter(RESULTS);
    const turn = await createTestTurn({
      search: service,
      config: { features: { webSearch: true }, limits: { apiCallsPerHour: 1 } },
    });
    const task = createWebSearchTask(turn.context);
    const input = {
      threadId: turn.threadId,
      turnId: turn.turnId,
      userId: turn.userId,
      query: 'bells',
      via: 'command' as const,
    };
    const first = await turn.run(() => task(input));
    expect(first.result?.lines).toHaveLength(2);
    const second = await turn.run(() => task({ ...input, turnId: `${turn.turnId}b` }));
    const refused = await turn.storage.getMessage(second.result?.messageId ?? '');
    expect(refused?.parts?.[0]).toMatchObject({ type: 'error', code: 'RATE_LIMITED' });
    expect(service.calls).toHaveLength(1);
  });

  it('says when nothing was found', async () => {
    const { message, outcome } = await search({ search: adapter([]) });
    expect(message?.content).toBe('No results on the web for “the drowned bell”.');
    expect(outcome.lines).toEqual([]);
  });
});
