/**
 * The example server (issue 22): the page links the player guide (`manual-url`), the guide is
 * served offline as plain text, and `DREAMDECK_SEARCH` sets up web search (switched on) so
 * `/search` works on the demo page's API, here against a loopback SearXNG.
 */
import { fileURLToPath } from 'node:url';
import { createDemoModel, createMemoryStorage } from '@dreamdeck/core';
import { type RunningServer, startServer } from '@dreamdeck/example-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, SEARCH_FIXTURE, startSearxngServer } from './servers/index.js';
import { quietLogger } from './support/quiet-logger.js';

let app: RunningServer;
let searxng: LoopbackServer;

beforeAll(async () => {
  searxng = await startSearxngServer();
  app = await startServer({
    port: 0,
    host: '127.0.0.1',
    storage: createMemoryStorage(),
    model: { name: 'demo', model: createDemoModel({ latencyMs: 0 }) },
    logger: quietLogger,
    flagPollMs: 0,
    // any existing file stands in for the widget bundle: the page then hosts <dreamdeck-chat>
    widgetPath: fileURLToPath(import.meta.url),
    env: { DREAMDECK_SEARCH: `searxng:${searxng.url}` },
  });
});
afterAll(async () => {
  await app.close();
  await searxng.close();
});

describe('example server: player guide and web search', () => {
  it('links the player guide from the chat and serves it as text', async () => {
    const page = await (await fetch(`${app.url}/`)).text();
    expect(page).toContain('manual-url="/docs/user-manual.md"');
    const guide = await fetch(`${app.url}/docs/user-manual.md`);
    expect(guide.status).toBe(200);
    expect(guide.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await guide.text();
    expect(text).toContain('# Dreamdeck player guide');
    expect(text).toContain('/todo add');
  });

  it('sets up search from DREAMDECK_SEARCH and switches webSearch on', async () => {
    expect(app.description.search).toBe(`SearXNG at ${searxng.url}`);
    expect(await app.dd.flags.isEnabled('webSearch')).toBe(true);
    const { token } = (await (await fetch(`${app.apiUrl}/auth/guest`, { method: 'POST' })).json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const { thread } = (await (
      await fetch(`${app.apiUrl}/threads`, { method: 'POST', headers, body: '{}' })
    ).json()) as {
      thread: { id: string };
    };
    const stream = await fetch(`${app.apiUrl}/threads/${thread.id}/turns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: '/search the drowned bell' }),
    });
    const text = await stream.text();
    expect(text).toContain('"type":"search-result"');
    expect(text).toContain(SEARCH_FIXTURE[0]!.url);
    expect(searxng.requests[0]?.query).toMatchObject({ q: 'the drowned bell', format: 'json' });
  });
});
