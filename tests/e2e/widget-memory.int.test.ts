/**
 * The Memory panel of <dreamdeck-chat> in real Chromium against the example server (SQLite, demo
 * model): the panel's file is fetched only when the player opens it; it lists what the GM took from
 * the story, edits, forgets and adds facts, shows the story so far; and the message a fact came
 * from carries a "remembered" mark that goes when the fact is forgotten.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('the Memory panel in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({ config: { memory: { windowTokens: 400 } } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function say(page: Page, text: string) {
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill(text);
    await input.press('Enter');
    await waitIdle(page);
  }

  const items = (page: Page) => page.locator('dreamdeck-memory [part="memory-item"]');

  it('lists, edits, forgets and adds memories; marks and unmarks the message a fact came from', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await openChat(page, server.url);
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await say(page, 'My name is Mira and I carry a silver compass.');
    // live: the player's message is marked after the turn that took the facts, without reloading the page
    const sent = page.locator('dreamdeck-chat dreamdeck-message').first();
    await expect.poll(() => sent.locator('[part="remembered"]').count()).toBe(1);
    await expect(sent.locator('[part="remembered"]').textContent()).resolves.toContain('Remembered');
    expect(navigations).toBe(0);
    for (let i = 0; i < 5; i++) await say(page, `I walk along the cliffs, mile ${i}.`);
    expect(fetched).not.toContain('/dreamdeck-memory.js');

    // the story as the server has it: the first message is marked
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    const first = page.locator('dreamdeck-chat dreamdeck-message').first();
    await expect(first.locator('[part="remembered"]').count()).resolves.toBe(1);

    // opening Memory fetches the panel's file then, and lists the facts
    await page.locator('dreamdeck-chat button[aria-label="Memory"]').click();
    await items(page).first().waitFor();
    expect(fetched).toContain('/dreamdeck-memory.js');
    const texts = async () => (await items(page).locator('span').allTextContents()).map((t) => t.trim()).sort();
    expect(await texts()).toEqual(['The player carries a silver compass.', "The player's name is Mira."]);
    await expect(page.locator('dreamdeck-memory h3').textContent()).resolves.toBe('The story so far');
    await expect(page.locator('dreamdeck-memory h3 + p').textContent()).resolves.toContain('Mira');

    // edit
    const compass = items(page).filter({ hasText: 'compass' });
    await compass.getByRole('button', { name: 'Edit' }).click();
    await items(page).locator('input').fill('The player carries a golden compass.');
    await items(page).getByRole('button', { name: 'Save' }).click();
    await items(page).filter({ hasText: 'golden compass' }).waitFor();

    // add
    await page.locator('dreamdeck-memory input[name="fact"]').fill('Mira hates the sound of bells.');
    await page.locator('dreamdeck-memory button[type="submit"]').click();
    await items(page).filter({ hasText: 'sound of bells' }).waitFor();

    // forget: gone from the panel, from the server, and the mark leaves the message
    await items(page).filter({ hasText: 'name is Mira' }).getByRole('button', { name: 'Forget' }).click();
    await expect.poll(texts).toEqual(['Mira hates the sound of bells.', 'The player carries a golden compass.']);
    await expect.poll(() => first.locator('[part="remembered"]').count()).toBe(1);
    await items(page).filter({ hasText: 'golden compass' }).getByRole('button', { name: 'Forget' }).click();
    await expect.poll(() => first.locator('[part="remembered"]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
