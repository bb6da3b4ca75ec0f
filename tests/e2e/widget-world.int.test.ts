/**
 * The World panel of <dreamdeck-chat> in real Chromium against the example server (SQLite, demo
 * model): its file is fetched only when the player opens World; a lore entry added there, a
 * character card imported through the file picker and an author's note all reach the prompt
 * (`GET /threads/:id/context`); a card's markup shows as text, never as HTML, and a hostile card
 * is refused with the field named; axe finds no WCAG 2.1 A/AA violation with the panel open.
 */
import { fileURLToPath } from 'node:url';
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle, wcagViolations } from './browser.js';

const run = chromiumAvailable();
const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/lore/${name}`, import.meta.url));

describe.skipIf(!run)('the World panel in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The guest's token and the open story, as the page keeps them. */
  async function session(page: Page) {
    return page.evaluate(() => {
      const chat = document.querySelector('dreamdeck-chat') as unknown as { threadId?: string };
      const key = Object.keys(localStorage).find((name) => name.startsWith('dreamdeck:token:'))!;
      const thread = (chat.threadId ||
        Object.entries(localStorage).find(([name]) => name.startsWith('dreamdeck:thread'))?.[1]) as string;
      return { token: localStorage.getItem(key)!, threadId: thread };
    });
  }

  /** The prompt the story's next narration would send for `text`, from the server. */
  async function context(page: Page, text: string): Promise<string> {
    const { token, threadId } = await session(page);
    const response = await fetch(`${server.url}/api/threads/${threadId}/context?text=${encodeURIComponent(text)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { messages: Array<{ content: string }> };
    return body.messages.map((message) => message.content).join('\n');
  }

  const world = (page: Page) => page.locator('dreamdeck-world');
  const items = (page: Page) => world(page).locator('[part="lore-item"]');

  it('adds lore, imports a card, sets the author’s note; the prompt holds them, a card’s markup stays text', async () => {
    // axe is injected by evaluation: bypassing CSP keeps that from counting as a violation
    const page = await (await browser.newContext({ viewport: { width: 900, height: 900 }, bypassCSP: true })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    // the first page load on a busy host can stall while the server compresses the fresh bundles
    await openChat(page, server.url).catch(() => openChat(page, server.url));
    page.setDefaultTimeout(15_000);
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill('I step onto the pier.');
    await input.press('Enter');
    await waitIdle(page);
    expect(fetched).not.toContain('/dreamdeck-world.js');

    // opening World fetches the panel's file then
    await page.locator('dreamdeck-chat button[aria-label="World"]').click();
    await world(page).locator('[role="tablist"]').waitFor();
    expect(fetched).toContain('/dreamdeck-world.js');
    // Documents: the knowledge base's list, its own file fetched by the panel
    await world(page).getByRole('tab', { name: 'Documents' }).click();
    await world(page).locator('dreamdeck-knowledge-docs').waitFor({ state: 'attached' });
    expect(fetched).toContain('/dreamdeck-knowledge-docs.js');
    await world(page).getByRole('tab', { name: 'Lore' }).click();

    // Lore: add an entry for this story
    await world(page).locator('input[name="keys"]').fill('lighthouse, beacon');
    await world(page).locator('textarea[name="content"]').fill('The lighthouse keeper is a retired pirate named Oska.');
    await world(page).locator('select[name="scope"]').selectOption('thread');
    await world(page).getByRole('button', { name: 'Add' }).click();
    await items(page).filter({ hasText: 'retired pirate' }).waitFor();
    expect(await wcagViolations(page)).toEqual([]);
    expect(await context(page, 'I walk to the Lighthouse.')).toContain(
      'World info:\n- The lighthouse keeper is a retired pirate named Oska.',
    );
    expect(await context(page, 'I walk to the tavern.')).not.toContain('retired pirate');

    // edit it
    await items(page).filter({ hasText: 'retired pirate' }).getByRole('button', { name: 'Edit' }).click();
    await items(page)
      .locator('textarea[name="content"]')
      .fill('The lighthouse keeper is a retired admiral named Oska.');
    await items(page).getByRole('button', { name: 'Save' }).click();
    await items(page).filter({ hasText: 'retired admiral' }).waitFor();

    // Import: a PNG character card through the file picker
    await world(page).getByRole('tab', { name: 'Import' }).click();
    await world(page).locator('input[type="file"]').setInputFiles(fixture('card-v2.png'));
    await world(page).locator('[role="status"]').filter({ hasText: 'Imported Captain Mirelle Vane' }).waitFor();
    expect(await context(page, 'The Brass Syndicate is after us.')).toContain('copper masks');

    // a card whose text holds markup: listed as text, no element made from it
    const marked = {
      spec: 'chara_card_v2',
      spec_version: '2.0',
      data: {
        name: 'Markup Tester',
        description: 'A card with <b>bold</b> markup.',
        character_book: {
          entries: [
            {
              keys: ['glyph'],
              content: 'The <b>glyph</b> <i>glows</i> & <u>hums</u>.',
              enabled: true,
              insertion_order: 1,
            },
          ],
        },
      },
    };
    await world(page)
      .locator('input[type="file"]')
      .setInputFiles({
        name: 'markup.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(marked)),
      });
    await world(page).locator('[role="status"]').filter({ hasText: 'Imported Markup Tester' }).waitFor();
    // a hostile card: refused, the field named, the message shown as text
    const hostile = { ...marked, data: { ...marked.data, description: '<img src=x onerror="window.pwned=1">' } };
    await world(page)
      .locator('input[type="file"]')
      .setInputFiles({
        name: 'hostile.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(hostile)),
      });
    await world(page)
      .locator('[role="alert"]')
      .filter({ hasText: 'data.description contains an event handler' })
      .waitFor();
    await world(page).getByRole('tab', { name: 'Lore' }).click();
    const glyph = items(page).filter({ hasText: 'glyph' });
    await glyph.waitFor();
    await expect(glyph.locator('.content').textContent()).resolves.toBe('The <b>glyph</b> <i>glows</i> & <u>hums</u>.');
    await expect(world(page).locator('b, i, u, img').count()).resolves.toBe(0);
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    // the imported persona is offered in Settings
    await page.locator('dreamdeck-chat button[aria-label="Settings"]').click();
    await page
      .locator('dreamdeck-chat dreamdeck-settings option', { hasText: 'Captain Mirelle Vane' })
      .waitFor({ state: 'attached' });
    await page.locator('dreamdeck-chat button[aria-label="World"]').click();

    // Author's note: saved, in the prompt near its end; cleared, gone
    await world(page).getByRole('tab', { name: "Author's note" }).click();
    await world(page).locator('textarea[name="note"]').fill('Keep every scene foggy and quiet.');
    await world(page).getByRole('button', { name: 'Save' }).click();
    await world(page).locator('[role="status"]').filter({ hasText: 'Saved.' }).waitFor();
    const prompt = await context(page, 'I listen.');
    expect(prompt).toMatch(/Author's note:\n- Keep every scene foggy and quiet\.\n<\/context>/);
    await world(page).getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => context(page, 'I listen.')).not.toContain("Author's note");

    // remove the entry
    await world(page).getByRole('tab', { name: 'Lore' }).click();
    await items(page).filter({ hasText: 'retired admiral' }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(() => items(page).filter({ hasText: 'retired admiral' }).count()).toBe(0);
    expect(await context(page, 'I walk to the Lighthouse.')).not.toContain('retired admiral');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
