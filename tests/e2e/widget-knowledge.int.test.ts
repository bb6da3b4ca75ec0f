/**
 * The knowledge base in <dreamdeck-chat>, in real Chromium against the example server (SQLite,
 * demo model): World → Documents (`<dreamdeck-knowledge-docs>`, its own file, fetched when World
 * opens) uploads a markdown file for this story with progress; the GM's next reply quotes it and
 * shows its source under the message; opening the citation fetches and shows the passage as text;
 * removing the document empties the list, and the opened citation then says the passage is gone.
 */
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

const SALTMERE = `# Saltmere

## Rulers
The harbour master of Saltmere is Odile Varg, who keeps the tide ledger in a <b>copper</b> box.
`;

describe.skipIf(!run)('the knowledge base in Chromium', () => {
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

  async function say(page: Page, text: string) {
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill(text);
    await input.press('Enter');
    await waitIdle(page);
  }

  const docs = (page: Page) => page.locator('dreamdeck-knowledge-docs');

  it('uploads a document, the GM cites it, the citation opens the passage', async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const fetched: string[] = [];
    page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
    await openChat(page, server.url);
    await say(page, 'I step onto the pier.');
    expect(fetched).not.toContain('/dreamdeck-knowledge-docs.js');

    // World → Documents: the element's file comes with the panel
    await page.locator('dreamdeck-chat button[aria-label="World"]').click();
    await page.locator('dreamdeck-world').getByRole('tab', { name: 'Documents' }).click();
    await docs(page).locator('input[type="file"]').waitFor();
    expect(fetched).toContain('/dreamdeck-knowledge-docs.js');
    await docs(page).getByText('No documents yet.').waitFor();
    await docs(page)
      .locator('input[type="file"]')
      .setInputFiles({ name: 'Saltmere.md', mimeType: 'text/markdown', buffer: Buffer.from(SALTMERE) });
    await docs(page).locator('select[name="scope"]').selectOption('thread');
    await docs(page).getByRole('button', { name: 'Add a document' }).click();
    await docs(page).locator('[role="status"]').filter({ hasText: 'Added “Saltmere”' }).waitFor();
    await docs(page).locator('[part="document"]').filter({ hasText: 'Saltmere' }).waitFor();

    // the GM's reply quotes the passage and lists its source
    await say(page, 'Who is the harbour master of Saltmere?');
    const reply = page.locator('dreamdeck-chat dreamdeck-message').last();
    await expect(reply.locator('[part="content"]').textContent()).resolves.toContain('Odile Varg');
    const citation = reply.locator('[part="citation"]');
    await expect(citation.textContent()).resolves.toContain('[1] Saltmere');
    expect(fetched.filter((path) => path.startsWith('/api/knowledge/') && path.includes('/chunks/'))).toEqual([]);

    // opened: the passage is fetched then, and shown as text (its markup is not HTML)
    await citation.click();
    const passage = reply.locator('[part="passage"]');
    await passage.filter({ hasText: 'Odile Varg' }).waitFor();
    await expect(passage.textContent()).resolves.toContain('<b>copper</b>');
    expect(await reply.locator('[part="passage"] b').count()).toBe(0);
    expect(fetched.some((path) => /^\/api\/knowledge\/kdoc_\w+\/chunks\/0$/.test(path))).toBe(true);
    await citation.click();
    expect(await passage.count()).toBe(0);

    // removed: the list empties; the citation now says the passage is gone
    await docs(page).locator('[part="document"]').getByRole('button', { name: 'Remove' }).click();
    await docs(page).getByText('No documents yet.').waitFor();
    await citation.click();
    await passage.filter({ hasText: 'no longer in the knowledge base' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
