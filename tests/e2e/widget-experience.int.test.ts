/**
 * What a person saw in <dreamdeck-chat> (issue 21), in real Chromium against the example server
 * (SQLite, the demo model without its typing delay): where a story opens, errors said once, a
 * message typed offline, the storyboard question, keyboard paths.
 */
import { createDemoModel } from '@dreamdeck/core';
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, chromiumAvailable, deepActive, launchChromium, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('<dreamdeck-chat>: what a person sees (issue 21)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({
      model: { name: 'demo', model: createDemoModel({ latencyMs: 0 }) },
      config: { features: { imageGeneration: false } },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function newPage(options: { width?: number; height?: number } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 900, height: options.height ?? 700 },
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

  /** A player with a story of `turns` turns, signed in on `page` (its token and story kept as the widget keeps them). */
  async function playerWithStory(page: Page, userId: string, turns: number) {
    const token = await server.auth.issueToken({ id: userId, roles: ['player'] });
    const session = await server.dd.openSession({ userId });
    for (let turn = 0; turn < turns; turn++) await session.send(`I walk down street number ${turn}`).result;
    await page.addInitScript(
      ([key, value, threadKey, threadId]) => {
        localStorage.setItem(key, value);
        localStorage.setItem(threadKey, threadId);
      },
      ['dreamdeck:token:/api', token, 'dreamdeck:thread:/api', session.threadId] as const,
    );
    return { token, session };
  }

  /** How far the message log is from its bottom, in px (0: at the newest message). */
  function distanceFromBottom(page: Page): Promise<number> {
    return page.evaluate(() => {
      const log = document.querySelector('dreamdeck-chat')!.shadowRoot!.querySelector('.log')!;
      return Math.round(log.scrollHeight - log.scrollTop - log.clientHeight);
    });
  }

  /** Whether the newest message's bottom edge is inside the log's visible box. */
  function newestVisible(page: Page): Promise<boolean> {
    return page.evaluate(() => {
      const root = document.querySelector('dreamdeck-chat')!.shadowRoot!;
      const log = root.querySelector('.log')!.getBoundingClientRect();
      const last = [...root.querySelectorAll('dreamdeck-message')].at(-1)!.getBoundingClientRect();
      return last.bottom <= log.bottom + 1 && last.bottom > log.top;
    });
  }

  // fix 1: opening or reloading a story landed at the top; a one-shot reply sat below the fold
  it('opens and reloads a story at its newest message; a /help reply scrolls into view', async () => {
    const page = await newPage();
    await playerWithStory(page, 'scroll-reader', 12);
    await page.goto(server.url);
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await expect.poll(() => distanceFromBottom(page), { timeout: 5000 }).toBeLessThan(4);
    await expect(newestVisible(page)).resolves.toBe(true);
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await expect.poll(() => distanceFromBottom(page), { timeout: 5000 }).toBeLessThan(4);
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill('/help');
    await input.press('Enter');
    await waitIdle(page);
    await expect.poll(() => newestVisible(page), { timeout: 5000 }).toBe(true);
    await expect.poll(() => distanceFromBottom(page), { timeout: 5000 }).toBeLessThan(4);
    await page.context().close();
  });

  // fix 3: a message typed while offline was lost (neither sent nor back in the input)
  it('a message sent while offline comes back to the input, and goes out once online', async () => {
    const page = await newPage();
    await playerWithStory(page, 'offline-writer', 1);
    await page.goto(server.url);
    const input = page.locator('dreamdeck-chat textarea:not([disabled])');
    await input.waitFor();
    const before = await page.locator('dreamdeck-chat dreamdeck-message').count();
    await page.context().setOffline(true);
    await input.fill('I light the lantern in the cellar');
    await input.press('Enter');
    await page.locator('dreamdeck-chat [part="error"]').waitFor();
    await expect.poll(() => input.inputValue()).toBe('I light the lantern in the cellar');
    await expect(page.locator('dreamdeck-chat dreamdeck-message').count()).resolves.toBe(before);
    await page.screenshot({ path: artifactPath('widget-offline-kept.png') });
    await page.context().setOffline(false);
    await expect.poll(() => input.inputValue()).toBe('I light the lantern in the cellar');
    await input.press('Enter');
    await waitIdle(page);
    await expect
      .poll(() => page.locator('dreamdeck-chat dreamdeck-message').filter({ hasText: 'the lantern' }).count())
      .toBeGreaterThanOrEqual(2);
    await expect(input.inputValue()).resolves.toBe('');
    await page.context().close();
  });

  // fix 8: keyboard users tabbed through every message's buttons to reach the input
  it('keyboard: a skip link to the input, one Tab stop in the message list, arrow keys between messages', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await playerWithStory(page, 'keyboard-reader', 8);
    await page.goto(server.url);
    const input = page.locator('dreamdeck-chat textarea:not([disabled])');
    await input.waitFor();
    // the skip link is the chat's first stop: Enter puts the focus in the input
    await page.locator('dreamdeck-chat').focus();
    await page.keyboard.press('Tab');
    await expect(deepActive(page)).resolves.toMatchObject({ tag: 'button', label: 'Skip to your move' });
    await page.screenshot({ path: artifactPath('widget-skip-link-360.png') });
    await page.keyboard.press('Enter');
    await expect(deepActive(page)).resolves.toMatchObject({ tag: 'textarea' });

    // without it, the input is still a few Tab presses away, however long the story
    await page.locator('dreamdeck-chat').focus();
    let presses = 0;
    while ((await deepActive(page)).tag !== 'textarea' && presses < 60) {
      await page.keyboard.press('Tab');
      presses++;
    }
    expect(presses).toBeLessThan(20);

    // arrow keys move between messages; the list remembers the one focused as its Tab stop
    const focusedIndex = () =>
      page.evaluate(() => {
        const root = document.querySelector('dreamdeck-chat')!.shadowRoot!;
        return [...root.querySelectorAll('dreamdeck-message')].indexOf(root.activeElement as Element);
      });
    const count = await page.locator('dreamdeck-chat dreamdeck-message').count();
    await page.locator('dreamdeck-chat dreamdeck-message').last().focus();
    await expect(focusedIndex()).resolves.toBe(count - 1);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect(focusedIndex()).resolves.toBe(count - 3);
    await page.keyboard.press('Home');
    await expect(focusedIndex()).resolves.toBe(0);
    await page.keyboard.press('End');
    await expect(focusedIndex()).resolves.toBe(count - 1);
    await page.keyboard.press('ArrowUp');
    await expect
      .poll(() =>
        page.evaluate(() =>
          [...document.querySelector('dreamdeck-chat')!.shadowRoot!.querySelectorAll('dreamdeck-message')].map(
            (message) => message.getAttribute('tabindex'),
          ),
        ),
      )
      .toEqual(Array.from({ length: count }, (_, index) => (index === count - 2 ? '0' : '-1')));
    await page.screenshot({ path: artifactPath('widget-roving-focus-360.png') });
    await page.context().close();
  });

  // fix 4: "Paint these 3 scenes?" covered ~40 % of the story at 360 px after every reply, and the
  // reply's choices became buttons only once it was answered
  it('at 360 px the storyboard question is one compact, dismissible row; a setting says when to ask', async () => {
    const painter = await startExample({ model: { name: 'demo', model: createDemoModel({ latencyMs: 0 }) } });
    try {
      const page = await newPage({ width: 360, height: 740 });
      await page.goto(painter.url);
      const input = page.locator('dreamdeck-chat textarea:not([disabled])');
      await input.waitFor();
      await input.fill('I look around the market');
      await input.press('Enter');
      const question = page.locator('dreamdeck-chat [part="interrupt"]');
      await question.waitFor();
      await waitIdle(page);
      const box = (await question.boundingBox())!;
      expect(box.height).toBeLessThan(740 * 0.15);
      await page.screenshot({ path: artifactPath('widget-storyboard-compact-360.png') });
      // the scenes fold out on demand
      await question.getByText(/Scenes \(\d\)/).click();
      await expect(question.locator('li').count()).resolves.toBeGreaterThan(0);
      // the reply's choices are buttons while the question waits
      const choices = page.locator('dreamdeck-chat [part="choice"]');
      await expect(choices.count()).resolves.toBeGreaterThanOrEqual(2);
      await expect(choices.first().isEnabled()).resolves.toBe(true);
      // dismissed: gone, and the input has the focus
      await question.getByRole('button', { name: 'Dismiss' }).click();
      await expect(question.count()).resolves.toBe(0);
      await expect(deepActive(page)).resolves.toMatchObject({ tag: 'textarea' });

      // the setting: only on /storyboard — the next reply asks nothing
      await page.locator('dreamdeck-chat').getByRole('button', { name: 'Settings' }).click();
      const setting = page.locator('dreamdeck-chat dreamdeck-settings select[name="storyboards"]');
      await setting.selectOption('on-command');
      await page.screenshot({ path: artifactPath('widget-storyboard-setting-360.png') });
      await expect
        .poll(async () => {
          const token = await page.evaluate(() => localStorage.getItem('dreamdeck:token:/api'));
          const answer = await fetch(`${painter.apiUrl}/preferences`, {
            headers: { authorization: `Bearer ${token}` },
          });
          return ((await answer.json()) as { preferences: { storyboards: string } }).preferences.storyboards;
        })
        .toBe('on-command');
      await page.locator('dreamdeck-chat').getByRole('button', { name: 'Settings' }).click();
      await input.fill('I walk to the harbour');
      await input.press('Enter');
      await page
        .locator('dreamdeck-chat [part="stop-button"]')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await waitIdle(page);
      await expect
        .poll(() => page.locator('dreamdeck-chat dreamdeck-message').filter({ hasText: 'harbour' }).count())
        .toBeGreaterThanOrEqual(2);
      await expect(question.count()).resolves.toBe(0);
      await page.context().close();
    } finally {
      await painter.close();
    }
  });
});
