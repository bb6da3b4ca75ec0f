/**
 * <dreamdeck-chat> and <dreamdeck-admin> in real Chromium against the example server (SQLite,
 * demo model): a whole story, keyboard only, phone width and dark theme, admin flags.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactPath,
  chromiumAvailable,
  deepActive,
  launchChromium,
  openChat,
  startExample,
  tabTo,
  waitIdle,
} from './browser.js';

const run = chromiumAvailable();

describe.skipIf(!run)('<dreamdeck-chat> in Chromium', () => {
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

  async function newPage(options: { width?: number; height?: number; dark?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: options.width ?? 900, height: options.height ?? 800 },
      colorScheme: options.dark ? 'dark' : 'light',
    });
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

  /** Collects Content-Security-Policy violations the page reports. */
  function watchCsp(page: Page): string[] {
    const found: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) found.push(message.text());
    });
    return found;
  }

  /** Samples the newest GM reply's text while it streams; resolves with the distinct lengths seen. */
  function watchStream(page: Page) {
    return page.evaluate(async () => {
      const chat = document.querySelector('dreamdeck-chat')!;
      const lengths: number[] = [];
      const started = performance.now();
      while (performance.now() - started < 20_000) {
        const messages = [...(chat.shadowRoot?.querySelectorAll('dreamdeck-message') ?? [])];
        const last = messages.at(-1);
        const content = last?.shadowRoot?.querySelector('[part="content"]');
        if (last && (last as unknown as { message?: { role: string } }).message?.role === 'assistant' && content) {
          const length = content.textContent?.length ?? 0;
          if (lengths.at(-1) !== length) lengths.push(length);
          if (!content.classList.contains('cursor') && length > 0) break;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve));
      }
      return lengths;
    });
  }

  it('plays a whole story: stream, dice, storyboard, thumbs up, history after reload', async () => {
    const page = await newPage();
    await openChat(page, server.url);
    const chat = page.locator('dreamdeck-chat');
    const input = chat.locator('textarea');

    await input.fill('I push open the tavern door.');
    const streaming = watchStream(page);
    await input.press('Enter');
    const lengths = await streaming;
    // the reply grew in several steps before it was complete: it streamed
    expect(lengths.length).toBeGreaterThan(3);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    await waitIdle(page);
    await expect(
      chat.locator('dreamdeck-message').first().locator('[part="content"]').textContent(),
    ).resolves.toContain('tavern door');
    expect((await deepActive(page)).tag).toBe('textarea');

    // dice
    await input.fill('/roll 4d6kh3');
    await input.press('Enter');
    const dice = chat.locator('[part="roll"]').last();
    await dice.locator('[part="total"]').waitFor();
    const dies = await dice.locator('[part="die"]').allTextContents();
    const dropped = await dice.locator('.die.dropped').allTextContents();
    expect(dies).toHaveLength(4);
    expect(dropped).toHaveLength(1);
    const total = Number(await dice.locator('[part="total"]').textContent());
    const kept = dies.map(Number).reduce((sum, value) => sum + value, 0) - Number(dropped[0]);
    expect(total).toBe(kept);
    await expect(dice.locator('.notation').textContent()).resolves.toContain('4d6kh3');
    await waitIdle(page);

    // storyboard: the GM asks first; approving paints the images
    await input.fill('/storyboard');
    await input.press('Enter');
    const interrupt = chat.locator('[part="interrupt"]');
    await interrupt.waitFor();
    const prompts = await interrupt.locator('li').allTextContents();
    expect(prompts.length).toBeGreaterThan(0);
    await waitIdle(page);
    // reload while the GM waits for the answer: the question comes back with its buttons
    const question = await interrupt.locator('p').textContent();
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await interrupt.waitFor();
    await expect(interrupt.locator('p').textContent()).resolves.toBe(question);
    await expect(interrupt.locator('li').allTextContents()).resolves.toEqual(prompts);
    await expect(interrupt.getByRole('button', { name: 'Skip' }).isEnabled()).resolves.toBe(true);
    await interrupt.getByRole('button', { name: 'Approve' }).click();
    const image = chat.locator('[part="image"] img').first();
    await image.waitFor();
    await waitIdle(page);
    await expect(image.getAttribute('alt')).resolves.toBe(prompts[0]);
    await expect(image.getAttribute('loading')).resolves.toBe('lazy');
    await page.waitForFunction(
      () => {
        const chatElement = document.querySelector('dreamdeck-chat')!;
        for (const message of chatElement.shadowRoot!.querySelectorAll('dreamdeck-message')) {
          const img = message.shadowRoot?.querySelector('img');
          if (img) return img.complete && img.naturalWidth > 0;
        }
        return false;
      },
      undefined,
      { timeout: 10_000 },
    );
    await chat.locator('[part="image"]').first().click();
    await expect(chat.locator('dialog[open] img').getAttribute('alt')).resolves.toBe(prompts[0]);
    await page.keyboard.press('Escape');
    await chat.locator('dialog:not([open])').waitFor({ state: 'attached' });

    // thumbs up with a comment, stored on the server
    const narration = chat.locator('dreamdeck-message').nth(1);
    await narration.getByRole('button', { name: 'Good reply' }).click();
    await expect(narration.getByRole('button', { name: 'Good reply' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await narration.getByRole('textbox', { name: /comment/i }).fill('Lovely opening');
    await narration.getByRole('button', { name: 'Send comment' }).click();
    await narration.getByRole('status').filter({ hasText: 'Thanks' }).waitFor();
    const admin = await server.auth.issueToken({ id: 'admin', roles: ['admin'] });
    const feedback = (await (
      await fetch(`${server.apiUrl}/admin/feedback`, { headers: { authorization: `Bearer ${admin}` } })
    ).json()) as { recent: Array<{ value: number; comment?: string }> };
    expect(feedback.recent).toContainEqual(expect.objectContaining({ value: 1, comment: 'Lovely opening' }));

    // reload: the same thread comes back with its history
    const before = await chat.locator('dreamdeck-message').count();
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await chat.locator('[part="roll"]').first().waitFor();
    expect(await chat.locator('dreamdeck-message').count()).toBe(before);
    await expect(
      chat.locator('dreamdeck-message').first().locator('[part="content"]').textContent(),
    ).resolves.toContain('tavern door');
    expect(await chat.locator('[part="image"] img').count()).toBe(prompts.length);
    // the question was answered: it does not come back
    expect(await chat.locator('[part="interrupt"]').count()).toBe(0);
    // the player's own thumbs come back too: up on the rated reply, nothing on the others
    const restored = chat.locator('dreamdeck-message').nth(1);
    await expect(restored.getByRole('button', { name: 'Good reply' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await expect(restored.getByRole('button', { name: 'Bad reply' }).getAttribute('aria-pressed')).resolves.toBe(
      'false',
    );
    const pressed = chat.locator('dreamdeck-message button[aria-pressed="true"]');
    expect(await pressed.count()).toBe(1);
    await page.context().close();
  });

  it('works from the keyboard alone: send, approve, roll, stop, rate', async () => {
    const page = await newPage();
    await openChat(page, server.url);
    const chat = page.locator('dreamdeck-chat');

    await tabTo(page, /^Your move$/);
    await page.keyboard.type('I sneak toward the lighthouse.');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('Quietly.');
    expect(await chat.locator('textarea').inputValue()).toBe('I sneak toward the lighthouse.\nQuietly.');
    await page.keyboard.press('Enter');
    expect((await deepActive(page)).tag).toBe('textarea');
    await chat.locator('[part="interrupt"]').waitFor();
    await waitIdle(page);

    // approve the storyboard with Tab + Enter
    await tabTo(page, /^Approve$/);
    await page.keyboard.press('Enter');
    await chat.locator('[part="image"] img').first().waitFor();
    await waitIdle(page);

    // slash hints: type "/ro", Tab completes "/roll "
    await tabTo(page, /^Your move$/);
    await page.keyboard.type('/ro');
    await chat.locator('[part="hints"]').waitFor();
    await page.keyboard.press('Tab');
    expect(await chat.locator('textarea').inputValue()).toBe('/roll ');
    await page.keyboard.type('2d20kh1');
    await page.keyboard.press('Enter');
    await chat.locator('[part="roll"] [part="total"]').waitFor();
    await waitIdle(page);

    // Esc stops a streaming reply; the partial text stays, marked as stopped
    await page.keyboard.type('Tell me the long tale of the drowned bell.');
    await page.keyboard.press('Enter');
    await chat.locator('[part="stop-button"]').waitFor();
    await page.waitForFunction(() => {
      const messages = document.querySelector('dreamdeck-chat')!.shadowRoot!.querySelectorAll('dreamdeck-message');
      const last = messages[messages.length - 1];
      return (last?.shadowRoot?.querySelector('[part="content"]')?.textContent?.length ?? 0) > 0;
    });
    await page.keyboard.press('Escape');
    await waitIdle(page);
    await chat.locator('dreamdeck-message').last().getByText('Stopped').waitFor();

    // rate the reply with the keyboard
    await tabTo(page, /^Good reply$/);
    await page.keyboard.press('Enter');
    const pressed = await page.evaluate(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      return active?.getAttribute('aria-pressed');
    });
    expect(pressed).toBe('true');
    // every control reached by Tab has a name
    const unnamed = await page.evaluate(() => {
      const missing: string[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll('button, textarea, input, select, a[href]')) {
          const named =
            element.getAttribute('aria-label') || element.textContent?.trim() || element.closest('label') !== null;
          if (!named && !(element as HTMLElement).hidden) missing.push(element.outerHTML.slice(0, 80));
        }
        for (const element of root.querySelectorAll('*')) if (element.shadowRoot) walk(element.shadowRoot);
      };
      walk(document);
      return missing;
    });
    expect(unnamed).toEqual([]);
    await page.context().close();
  });

  it('renames and deletes stories in the thread list, from the keyboard', async () => {
    const page = await newPage();
    await openChat(page, server.url);
    const chat = page.locator('dreamdeck-chat');
    const header = chat.locator('header h2');
    // icons are SVG paths, not emoji that a browser without an emoji font shows as boxes
    const menu = chat.getByRole('button', { name: 'Stories' });
    expect(await menu.locator('svg path').count()).toBe(1);
    expect((await menu.textContent())?.trim()).toBe('');

    // two stories: the first one, then a new one (the open story)
    await chat.locator('textarea').fill('I light a lantern.');
    await chat.locator('textarea').press('Enter');
    await waitIdle(page);
    await menu.click();
    await chat.getByRole('button', { name: 'New story', exact: true }).click();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    const rows = chat.locator('[part="threads"] li');
    await menu.click();
    await expect.poll(() => rows.count()).toBe(2);

    // rename the open story (the newest, listed first; both are still called "New story"):
    // Tab to its rename button, Enter, type, Enter
    await expect(rows.first().locator('[aria-current="true"]').count()).resolves.toBe(1);
    await tabTo(page, /^Rename: New story$/);
    await page.keyboard.press('Enter');
    expect(await deepActive(page)).toEqual({ tag: 'input', label: 'Story title' });
    await page.keyboard.type('The Drowned Bell');
    const patched = page.waitForResponse((response) => response.request().method() === 'PATCH');
    await page.keyboard.press('Enter');
    expect((await patched).status()).toBe(200);
    await expect.poll(() => header.textContent()).toBe('The Drowned Bell');
    await expect.poll(async () => (await deepActive(page)).label).toMatch(/The Drowned Bell$/);
    // Esc leaves renaming without a request, and the panel stays open
    await tabTo(page, /^Rename: The Drowned Bell$/);
    await page.keyboard.press('Enter');
    await page.keyboard.type('Never mind');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await deepActive(page)).label).toMatch(/The Drowned Bell$/);
    expect(await chat.locator('[part="threads"]').isVisible()).toBe(true);

    // the new title is the server's: it comes back after a reload
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await expect.poll(() => header.textContent()).toBe('The Drowned Bell');

    // delete it: a question first (focus on Cancel), then Delete; the other story opens
    await menu.click();
    await expect.poll(() => rows.count()).toBe(2);
    await tabTo(page, /^Delete: The Drowned Bell$/);
    await page.keyboard.press('Enter');
    await chat.getByRole('group', { name: 'Delete “The Drowned Bell” for good?' }).waitFor();
    expect((await deepActive(page)).label).toBe('Cancel');
    const changed = page.evaluate(
      () =>
        new Promise<string>((resolve) =>
          document.addEventListener(
            'dreamdeck-thread-change',
            (event) => resolve((event as CustomEvent).detail.threadId),
            {
              once: true,
            },
          ),
        ),
    );
    const deleted = page.waitForResponse((response) => response.request().method() === 'DELETE');
    await page.keyboard.press('Shift+Tab');
    expect((await deepActive(page)).label).toBe('Delete');
    await page.keyboard.press('Enter');
    expect((await deleted).status()).toBe(204);
    const openedId = await changed;
    await expect.poll(() => rows.count()).toBe(1);
    await expect(rows.first().textContent()).resolves.not.toContain('The Drowned Bell');
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector<HTMLElement & { threadId?: string }>('dreamdeck-chat')!.threadId),
      )
      .toBe(openedId);
    // the first story, with its history
    await chat.locator('dreamdeck-message').first().waitFor();
    await expect(
      chat.locator('dreamdeck-message').first().locator('[part="content"]').textContent(),
    ).resolves.toContain('I light a lantern.');
    await page.context().close();
  });

  it("limits the input to the server's input.maxLength (GET /me limits.inputMaxLength)", async () => {
    // the default server: config input.maxLength defaults to 4000
    const page = await newPage();
    await openChat(page, server.url);
    await expect.poll(() => page.locator('dreamdeck-chat textarea').getAttribute('data-max-length')).toBe('4000');
    await page.context().close();

    const limited = await startExample({ config: { input: { maxLength: 123 } } });
    try {
      const small = await newPage();
      await openChat(small, limited.url);
      const input = small.locator('dreamdeck-chat textarea');
      await expect.poll(() => input.getAttribute('data-max-length')).toBe('123');
      // counted as the server counts (an emoji is one character): 123 emoji fit, 124 do not
      const counter = small.locator('dreamdeck-chat [part="counter"]');
      const send = small.locator('dreamdeck-chat [part="send-button"]');
      await input.fill('😀'.repeat(123));
      await expect.poll(() => counter.textContent()).toBe('123 / 123');
      expect(await send.isDisabled()).toBe(false);
      await input.click();
      await small.keyboard.type('x');
      await expect.poll(() => counter.textContent()).toBe('124 / 123');
      expect(await send.isDisabled()).toBe(true);
      await small.context().close();
    } finally {
      await limited.close();
    }
  });

  it('fits a 360 px phone and follows the dark theme (screenshots in tests/artifacts)', async () => {
    const phone = await newPage({ width: 360, height: 740 });
    await openChat(phone, server.url);
    const input = phone.locator('dreamdeck-chat textarea');
    await input.fill('I climb onto the roof of the mill and look around at everything.');
    await input.press('Enter');
    await phone.locator('dreamdeck-chat [part="interrupt"]').waitFor();
    await waitIdle(phone);
    const overflow = await phone.evaluate(() => {
      const chat = document.querySelector('dreamdeck-chat')!;
      const layout = chat.shadowRoot!.querySelector('.layout') as HTMLElement;
      return {
        page: document.documentElement.scrollWidth,
        chat: chat.getBoundingClientRect().right,
        layout: layout.scrollWidth - layout.clientWidth,
      };
    });
    expect(overflow.page).toBeLessThanOrEqual(360);
    expect(overflow.chat).toBeLessThanOrEqual(360);
    expect(overflow.layout).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: artifactPath('widget-360px.png') });
    await phone.context().close();

    const dark = await newPage({ dark: true });
    await openChat(dark, server.url);
    const background = () =>
      dark.evaluate(() => getComputedStyle(document.querySelector('dreamdeck-chat')!).backgroundColor);
    const luminance = (color: string) => {
      const [r = 0, g = 0, b = 0] = (color.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    // theme="auto" on the example page follows prefers-color-scheme: dark
    expect(luminance(await background())).toBeLessThan(0.2);
    await dark.screenshot({ path: artifactPath('widget-dark.png') });
    // German is a separate file the bundle loads when asked for
    const german = dark.waitForResponse((response) => response.url().endsWith('/dreamdeck-locale-de.js'));
    await dark.evaluate(() => document.querySelector('dreamdeck-chat')!.setAttribute('locale', 'de'));
    expect((await german).status()).toBe(200);
    await dark.locator('dreamdeck-chat textarea[aria-label="Dein Zug"]').waitFor();
    // theme="light" wins over the system preference
    await dark.evaluate(() => document.querySelector('dreamdeck-chat')!.setAttribute('theme', 'light'));
    expect(luminance(await background())).toBeGreaterThan(0.8);
    await dark.context().close();
  });

  it('an admin turns a flag off in <dreamdeck-admin> and the chat sees it', async () => {
    const admin = await newPage();
    const violations = watchCsp(admin);
    const token = await server.auth.issueToken({ id: 'admin', roles: ['admin'] });
    // the example server's own /admin page, with the bundle it serves at /dreamdeck-admin.js?v=<hash>
    const bundle = admin.waitForResponse((response) =>
      response.url().startsWith(`${server.url}/dreamdeck-admin.js?v=`),
    );
    const page = await admin.goto(`${server.url}/admin#token=${encodeURIComponent(token)}`);
    expect(page?.status()).toBe(200);
    expect(page?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect((await bundle).status()).toBe(200);
    // the token left the address bar and the form is hidden once the element has it
    expect(new URL(admin.url()).hash).toBe('');
    await admin.locator('#token-form').waitFor({ state: 'hidden' });
    const dice = admin.locator('dreamdeck-admin input[name="diceRolling"]');
    await dice.waitFor();
    expect(await dice.isChecked()).toBe(true);
    await admin.locator('dreamdeck-admin [part~="chart"] svg, dreamdeck-admin section').first().waitFor();

    const player = await newPage();
    const playerViolations = watchCsp(player);
    await openChat(player, server.url);
    const chat = player.locator('dreamdeck-chat');
    await chat.locator('textarea').fill('/r');
    await expect(chat.locator('[part="hints"]').textContent()).resolves.toContain('/roll');
    await chat.locator('textarea').fill('');

    const patched = admin.waitForResponse(
      (response) => response.url().endsWith('/api/flags') && response.request().method() === 'PATCH',
    );
    await dice.uncheck();
    expect((await patched).status()).toBe(200);
    try {
      // the player's settings show the change, and /roll is no longer offered
      await chat.getByRole('button', { name: 'Settings' }).click();
      const setting = chat.locator('[part="settings"] input[name="diceRolling"]');
      await expect.poll(() => setting.isChecked()).toBe(false);
      await chat.locator('textarea').fill('/r');
      await expect(chat.locator('[part="hints"]').textContent()).resolves.not.toContain('/roll');
    } finally {
      await fetch(`${server.apiUrl}/flags`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ diceRolling: null }),
      });
    }
    // both pages run under script-src 'self' without a single violation
    expect(violations).toEqual([]);
    expect(playerViolations).toEqual([]);
    await admin.context().close();
    await player.context().close();
  });

  it('serves the pages with a CSP that allows no inline script; the admin page takes a pasted token', async () => {
    for (const path of ['/', '/admin']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(200);
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = csp.split(';').find((directive) => directive.trim().startsWith('script-src'));
      expect(scriptSrc?.trim()).toBe("script-src 'self'");
      expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
    const bundle = await fetch(`${server.url}/dreamdeck-admin.js`);
    expect(bundle.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await bundle.text()).toContain('dreamdeck-admin');

    const page = await newPage();
    await page.goto(`${server.url}/admin`);
    const form = page.locator('#token-form');
    await form.locator('input[name="token"]').fill(await server.auth.issueToken({ id: 'admin', roles: ['admin'] }));
    await form.getByRole('button', { name: 'Open' }).click();
    await page.locator('dreamdeck-admin input[name="diceRolling"]').waitFor();
    // a player's token is refused by the element and the form comes back
    const guest = await page.context().newPage();
    await guest.goto(`${server.url}/admin#token=${await server.auth.issueToken({ id: 'pat', roles: [] })}`);
    await guest.locator('dreamdeck-admin [role="alert"]').first().waitFor();
    await guest.locator('#token-form').waitFor();
    await page.context().close();
  });
});
