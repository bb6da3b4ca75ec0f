/**
 * The story controls of <dreamdeck-chat> in real Chromium against the example server (SQLite, demo
 * model), at phone width (360 px) and from the keyboard: edit in place, edit and send again, rewind,
 * branch (the story list says where from), continue, swipe between versions, import a story file,
 * download the story, and the title a story gets from its first reply. Screenshots in tests/artifacts.
 */
import { readFileSync } from 'node:fs';
import { createDemoModel } from '@dreamdeck/core';
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactPath,
  chromiumAvailable,
  deepActive,
  launchChromium,
  openChat,
  startExample,
  tabTo,
  waitIdle,
  wcagViolations,
} from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('story controls in Chromium (issue 21)', () => {
  let server: RunningServer;
  let browser: Browser;
  let open: Page | undefined;

  beforeAll(async () => {
    // a fast demo model: these tests play many turns
    server = await startExample({
      model: { name: 'demo', model: createDemoModel({ latencyMs: 1 }) },
      config: { features: { imageGeneration: false } },
    });
    browser = await launchChromium();
  });

  afterEach(async () => {
    await open?.context().close();
    open = undefined;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function phone(): Promise<{ page: Page; fetched: string[]; errors: string[] }> {
    // bypassCSP: the WCAG audit injects axe-core by evaluation
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      acceptDownloads: true,
      bypassCSP: true,
    });
    const page = await context.newPage();
    open = page;
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await openChat(page, server.url);
    return { page, fetched, errors };
  }

  async function say(page: Page, text: string) {
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill(text);
    await input.press('Enter');
    await waitIdle(page);
  }

  const messages = (page: Page) => page.locator('dreamdeck-chat dreamdeck-message');
  const contents = async (page: Page) =>
    (await messages(page).locator('[part="content"]').allTextContents()).map((text) => text.trim());
  const reload = async (page: Page) => {
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
  };

  it('edits a reply in place from the keyboard; the story tools load only when first opened', async () => {
    const { page, fetched, errors } = await phone();
    await say(page, 'I arrive at the harbour at dusk.');
    // the story is named after the GM's first reply (the demo model names the town)
    const header = page.locator('dreamdeck-chat header h2');
    await expect.poll(() => header.textContent()).not.toBe('New story');
    const town = /The story opens in (\w+)/.exec((await contents(page))[1] ?? '')?.[1];
    expect(town).toBeDefined();
    await expect.poll(() => header.textContent()).toBe(town);
    expect(fetched).not.toContain('/dreamdeck-story-tools.js');

    // Tab to the reply's More button (the player's message has one first), Enter, then Edit
    await page.locator('dreamdeck-chat textarea').focus();
    await tabTo(page, /^More actions$/);
    await tabTo(page, /^More actions$/);
    await page.keyboard.press('Enter');
    await expect.poll(() => fetched.includes('/dreamdeck-story-tools.js')).toBe(true);
    await tabTo(page, /^Edit$/);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await deepActive(page)).tag).toBe('textarea');
    await page.screenshot({ path: artifactPath('story-controls-edit-360px.png') });
    expect(await wcagViolations(page)).toEqual([]);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('The harbour is silent. A gull watches you.');
    const patched = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await page.keyboard.press('Control+Enter');
    expect((await patched).status()).toBe(200);
    await expect.poll(async () => (await contents(page))[1]).toBe('The harbour is silent. A gull watches you.');
    // focus goes back to the More button
    await expect.poll(async () => (await deepActive(page)).label).toBe('More actions');
    await reload(page);
    expect((await contents(page))[1]).toBe('The harbour is silent. A gull watches you.');
    expect(errors).toEqual([]);
  }, 90_000);

  it('edits a player message and sends it again: the GM answers the new text', async () => {
    const { page } = await phone();
    await say(page, 'I walk to the lighthouse.');
    await say(page, 'I climb the stairs.');
    expect(await messages(page).count()).toBe(4);
    const player = messages(page).nth(2);
    await player.locator('button[aria-label="More actions"]').click();
    await player.locator('dreamdeck-message-tools button', { hasText: 'Edit' }).click();
    await player.locator('dreamdeck-message-tools textarea').fill('I search the abandoned chapel for the relic.');
    const rerun = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await player.locator('dreamdeck-message-tools button', { hasText: 'Save and resend' }).click();
    expect((await rerun).status()).toBe(200);
    await waitIdle(page);
    await expect.poll(() => messages(page).count()).toBe(4);
    await expect.poll(async () => (await contents(page))[2]).toBe('I search the abandoned chapel for the relic.');
    await reload(page);
    const after = await contents(page);
    expect(after).toHaveLength(4);
    expect(after[2]).toBe('I search the abandoned chapel for the relic.');
    expect(after.join(' ')).not.toContain('I climb the stairs.');
  }, 90_000);

  it('rewinds to a message after a question, and branches a new story that the list marks', async () => {
    const { page } = await phone();
    await say(page, 'I open the gate.');
    await say(page, 'I follow the path.');
    await say(page, 'I knock on the door.');
    const before = await contents(page);
    expect(before).toHaveLength(6);

    // rewind to the third player message: it and its reply leave the story
    const third = messages(page).nth(4);
    await third.locator('button[aria-label="More actions"]').click();
    await third.locator('dreamdeck-message-tools button', { hasText: 'Rewind to here' }).click();
    await third.locator('dreamdeck-message-tools [role="group"]').waitFor();
    await third.locator('dreamdeck-message-tools button', { hasText: 'Rewind to here' }).click();
    await expect.poll(() => messages(page).count()).toBe(4);
    await reload(page);
    expect(await contents(page)).toEqual(before.slice(0, 4));

    // branch from the first reply: a new story opens holding the story up to it
    const header = page.locator('dreamdeck-chat header h2');
    const title = (await header.textContent()) ?? '';
    const reply = messages(page).nth(1);
    await reply.locator('button[aria-label="More actions"]').click();
    const branched = page.waitForResponse((response) => response.url().endsWith('/branch'));
    await reply.locator('dreamdeck-message-tools button', { hasText: 'Branch from here' }).click();
    expect((await branched).status()).toBe(201);
    await expect.poll(() => header.textContent()).toBe(`${title} (branch)`);
    await expect.poll(() => contents(page)).toEqual(before.slice(0, 2));
    await page.locator('dreamdeck-chat button[aria-label="Stories"]').click();
    const branchNote = page.locator('dreamdeck-thread-list .branch');
    await branchNote.first().waitFor();
    expect((await branchNote.first().textContent())?.trim()).toBe(`Branch of ${title}`);
    await page.screenshot({ path: artifactPath('story-controls-branch-360px.png') });
    expect(await wcagViolations(page)).toEqual([]);
  }, 90_000);

  it('continues the latest reply and swipes between regenerated versions (kept after a reload)', async () => {
    const { page } = await phone();
    await say(page, 'I light a lantern.');
    const reply = messages(page).nth(1);
    const first = (await contents(page))[1] ?? '';
    await reply.locator('button[aria-label="Continue reply"]').click();
    await waitIdle(page);
    await expect.poll(async () => (await contents(page))[1]?.length).toBeGreaterThan(first.length);
    const continued = (await contents(page))[1] ?? '';
    expect(continued.startsWith(first.slice(0, 40))).toBe(true);
    expect(await messages(page).count()).toBe(2);

    await reply.locator('button[aria-label="Regenerate reply"]').click();
    await waitIdle(page);
    await reply.locator('button[aria-label="Regenerate reply"]').click();
    await waitIdle(page);
    const counter = reply.locator('[part="actions"] span').first();
    await expect.poll(() => counter.textContent()).toBe('3/3');
    await reply.locator('button[aria-label="Previous version"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => counter.textContent()).toBe('2/3');
    await reply.locator('button[aria-label="Previous version"]').click();
    await expect.poll(() => counter.textContent()).toBe('1/3');
    await expect.poll(async () => (await contents(page))[1]).toBe(continued);
    await page.screenshot({ path: artifactPath('story-controls-swipe-360px.png') });
    await reload(page);
    await expect.poll(() => messages(page).nth(1).locator('[part="actions"] span').first().textContent()).toBe('1/3');
    expect((await contents(page))[1]).toBe(continued);
  }, 90_000);

  it('imports a SillyTavern chat and downloads the story as JSON and markdown', async () => {
    const { page } = await phone();
    await page.locator('dreamdeck-chat button[aria-label="Stories"]').click();
    const chat = [
      JSON.stringify({ user_name: 'Uma', character_name: 'Seraphina', chat_metadata: {} }),
      JSON.stringify({
        name: 'Seraphina',
        is_user: false,
        send_date: 'April 5, 2024 7:43pm',
        mes: 'Welcome to the glade.',
      }),
      JSON.stringify({ name: 'Uma', is_user: true, send_date: 'April 5, 2024 7:44pm', mes: 'Where am I?' }),
    ].join('\n');
    const imported = page.waitForResponse((response) => response.url().endsWith('/threads/import'));
    await page.locator('dreamdeck-thread-list input[type="file"]').setInputFiles({
      name: 'chat.jsonl',
      mimeType: 'application/json',
      buffer: Buffer.from(chat),
    });
    expect((await imported).status()).toBe(201);
    await expect.poll(() => contents(page)).toEqual(['Welcome to the glade.', 'Where am I?']);
    await expect.poll(() => page.locator('dreamdeck-chat header h2').textContent()).toBe('Seraphina (SillyTavern)');

    await page.locator('dreamdeck-chat button[aria-label="Stories"]').click();
    const download = page.waitForEvent('download');
    await page.locator('dreamdeck-thread-list button', { hasText: 'Download (JSON)' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^thr_\w+\.json$/);
    const exported = JSON.parse(readFileSync((await file.path()) as string, 'utf8')) as {
      messages: Array<{ content: string }>;
    };
    expect(exported.messages.map((m) => m.content)).toEqual(['Welcome to the glade.', 'Where am I?']);
    const markdown = page.waitForEvent('download');
    await page.locator('dreamdeck-thread-list button', { hasText: 'Download (Markdown)' }).click();
    expect((await markdown).suggestedFilename()).toMatch(/\.md$/);
    // the download is never printed into the story
    expect(await messages(page).count()).toBe(2);
  }, 90_000);
});
