/**
 * The example pages as a visitor's browser sees them: axe-core's WCAG 2.1 A/AA rules in several
 * states (light, dark, after a dice roll with a dropped die, settings open, the admin page with a
 * feedback chart), one `<h1>`, a description, a favicon, no failed request and no console error
 * on load, and the admin chart drawn at its own width. Static files go out compressed, with
 * validators and cache headers that fit a versioned URL.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle, wcagViolations } from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('the example pages in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({ config: { features: { imageGeneration: false } } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page that records failed requests and console errors. */
  async function watchedPage(dark = false) {
    // axe is injected by evaluation; bypassing CSP keeps that from counting as a violation
    const context = await browser.newContext({
      viewport: { width: 900, height: 800 },
      colorScheme: dark ? 'dark' : 'light',
      bypassCSP: true,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    return { page, problems };
  }

  it('the chat page: one h1, a description and a favicon; nothing fails on load', async () => {
    const { page, problems } = await watchedPage();
    await openChat(page, server.url);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.locator('h1').textContent()).toContain('Dreamdeck');
    expect(await page.locator('meta[name="description"]').getAttribute('content')).toMatch(/\w{3,}/);
    expect(await page.locator('link[rel="icon"]').getAttribute('href')).toMatch(/^\/favicon\.svg\?v=[\w-]+$/);
    // the page declares its colours, so a dark OS setting gets a dark page around the widget
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.body);
      return { background: style.backgroundColor, color: style.color };
    });
    expect(colours.background).toBe('rgb(255, 255, 255)');
    const { page: darkPage } = await watchedPage(true);
    await openChat(darkPage, server.url);
    const darkBackground = await darkPage.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(darkBackground).not.toBe('rgb(255, 255, 255)');
    expect(darkBackground).not.toBe('rgba(0, 0, 0, 0)');
    expect(problems).toEqual([]);
    await page.context().close();
    await darkPage.context().close();
  });

  it('has no WCAG 2.1 A/AA violations: fresh, after a roll with a dropped die, settings open, dark', async () => {
    const { page } = await watchedPage();
    await openChat(page, server.url);
    expect(await wcagViolations(page)).toEqual([]);

    const chat = page.locator('dreamdeck-chat');
    await chat.locator('textarea').fill('/roll 4d6kh3');
    await chat.locator('textarea').press('Enter');
    await waitIdle(page);
    const dropped = chat.locator('.die.dropped').first();
    await dropped.waitFor();
    // drawn in the muted colour, not faded: the contrast is what axe measures next
    expect(await dropped.evaluate((element) => getComputedStyle(element).opacity)).toBe('1');
    expect(await wcagViolations(page)).toEqual([]);

    await chat.getByRole('button', { name: 'Settings' }).click();
    await chat.locator('[part="settings"]').waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    await page.context().close();

    const { page: dark } = await watchedPage(true);
    await openChat(dark, server.url);
    const darkChat = dark.locator('dreamdeck-chat');
    await darkChat.locator('textarea').fill('/roll 4d6kh3');
    await darkChat.locator('textarea').press('Enter');
    await waitIdle(dark);
    await darkChat.locator('.die.dropped').first().waitFor();
    expect(await wcagViolations(dark)).toEqual([]);
    await dark.context().close();
  });

  it('the admin page: feedback chart at its own width, no WCAG violations', async () => {
    const token = await server.auth.issueToken({ id: 'admin', roles: ['admin'] });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // one rated reply, so the feedback chart has a bar to draw
    const created = await fetch(`${server.apiUrl}/threads`, { method: 'POST', headers, body: '{}' });
    const { thread } = (await created.json()) as { thread: { id: string } };
    const turn = await fetch(`${server.apiUrl}/threads/${thread.id}/turns`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ text: 'I look around the square' }),
    });
    const events = await turn.text();
    const replyId = [...events.matchAll(/"type":"message-end","message":\{"id":"([^"]+)"/g)].at(-1)?.[1];
    expect(replyId).toBeTruthy();
    const rated = await fetch(`${server.apiUrl}/threads/${thread.id}/messages/${replyId}/feedback`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ value: 1 }),
    });
    expect(rated.status).toBe(204);

    const { page, problems } = await watchedPage();
    await page.goto(`${server.url}/admin#token=${encodeURIComponent(token)}`);
    const chart = page.locator('dreamdeck-admin svg[role="img"]').first();
    await chart.waitFor();
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThanOrEqual(120);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await wcagViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('serves the bundles compressed, versioned for good, and revalidated when unversioned', async () => {
    const page = await (await fetch(server.url)).text();
    const src = /<script type="module" src="([^"]+)"/.exec(page)?.[1] ?? '';
    expect(src).toMatch(/^\/dreamdeck-chat\.js\?v=[\w-]{16}$/);
    const plain = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': 'identity' } });
    const size = (await plain.arrayBuffer()).byteLength;
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const encoding of ['br', 'gzip'] as const) {
      const response = await fetch(`${server.url}${src}`, { headers: { 'accept-encoding': encoding } });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(response.headers.get('vary')).toBe('accept-encoding');
      const sent = Number(response.headers.get('content-length'));
      // fetch decodes the body: the text is the same bundle, sent at well under half its size
      expect((await response.arrayBuffer()).byteLength).toBe(size);
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(size / 2.5);
    }
    // without the version the browser must revalidate, and an unchanged file answers 304
    const unversioned = await fetch(`${server.url}/dreamdeck-chat.js`);
    expect(unversioned.headers.get('cache-control')).toBe('no-cache');
    const etag = unversioned.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetch(`${server.url}/dreamdeck-chat.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    // a stale version is not cached for good
    const stale = await fetch(`${server.url}/dreamdeck-chat.js?v=old`);
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });
});
