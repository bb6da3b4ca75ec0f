/**
 * Web search, to-dos and the player guide in <dreamdeck-chat>, in real Chromium against the example
 * server with `DREAMDECK_SEARCH` pointing at a loopback SearXNG: `/search` shows its results as
 * links (only http(s); a `javascript:` result stays text, HTML in results never renders), the GM
 * mentions a result, `/todo` and `/help todo` answer in the chat, and typing `/` offers the guide.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startSearxngServer } from '../servers/index.js';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

const RESULTS = [
  { title: 'The Drowned Bell of Dunwich', url: 'https://example.org/bell', snippet: 'Bells ring under the waves.' },
  {
    title: '<img src=x onerror="window.__xss=1">',
    url: 'javascript:window.__xss=2',
    snippet: '<script>window.__xss=3</script>',
  },
];

describe.skipIf(!run)('web search, to-dos and the guide in Chromium', () => {
  let server: RunningServer;
  let searxng: LoopbackServer;
  let browser: Browser;

  beforeAll(async () => {
    searxng = await startSearxngServer();
    searxng.defaults = { json: RESULTS };
    server = await startExample({ env: { DREAMDECK_SEARCH: `searxng:${searxng.url}` } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await searxng?.close();
  });

  async function say(page: Page, text: string) {
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill(text);
    await input.press('Enter');
    await waitIdle(page);
  }

  it('shows search results as safe links and the GM weaves one in', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await openChat(page, server.url);
    await say(page, '/search the drowned bell');
    const list = page.locator('dreamdeck-chat dreamdeck-message [part="search-results"]');
    await list.waitFor();
    const links = list.locator('a');
    await expect(links.count()).resolves.toBe(1);
    await expect(links.first().getAttribute('href')).resolves.toBe('https://example.org/bell');
    await expect(links.first().getAttribute('rel')).resolves.toBe('noopener noreferrer nofollow');
    // the adapter made the title plain text (tags dropped, so the address stands in); the address is text, not a link
    await expect(list.locator('li').nth(1).textContent()).resolves.toContain('javascript:window.__xss=2');
    await expect(list.locator('img, script').count()).resolves.toBe(0);
    const narration = page.locator('dreamdeck-chat dreamdeck-message').last().locator('[part="content"]');
    await expect(narration.textContent()).resolves.toContain('The Drowned Bell of Dunwich');
    expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps to-dos, explains a command, and links the player guide from the command hints', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    await openChat(page, server.url);
    await say(page, '/todo add ask the smith about the key');
    await say(page, '/todo list');
    const last = () => page.locator('dreamdeck-chat dreamdeck-message').last().locator('[part="content"]');
    await expect(last().textContent()).resolves.toContain('#1 ask the smith about the key');
    await say(page, '/help todo');
    await expect(last().textContent()).resolves.toContain('/todo done <n>');

    await page.locator('dreamdeck-chat textarea').fill('/');
    const guide = page.locator('dreamdeck-chat [part="manual-link"]');
    await guide.waitFor();
    await expect(guide.getAttribute('href')).resolves.toBe('/docs/user-manual.md');
    const response = await page.request.get(new URL('/docs/user-manual.md', server.url).href);
    expect(await response.text()).toContain('# Dreamdeck player guide');
    await page.close();
  });
});
