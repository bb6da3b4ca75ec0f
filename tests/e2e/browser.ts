import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningServer, type StartServerOptions, startServer } from '@dreamdeck/example-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { quietLogger } from '../support/quiet-logger.js';

export const CHROMIUM = '/usr/bin/chromium';
export const artifactsDir = fileURLToPath(new URL('../artifacts/', import.meta.url));

/**
 * Whether the browser tests can run. Without Chromium they fail under CI (`CI` set) and are
 * skipped loudly elsewhere.
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`[e2e] ${CHROMIUM} is missing: apt-get install -y chromium`);
  console.warn(`\n[e2e] SKIPPING browser tests: ${CHROMIUM} is missing (apt-get install -y chromium)\n`);
  return false;
}

/** Launches Debian Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Starts the example server on a free port with a fresh SQLite file. */
export function startExample(options: StartServerOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'dreamdeck-e2e-'));
  return startServer({
    port: 0,
    host: '127.0.0.1',
    databasePath: join(dir, 'dreamdeck.db'),
    logger: quietLogger,
    flagPollMs: 0,
    ...options,
    config: { limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000, imagesPerMinute: 1000 }, ...options.config },
  });
}

/** Where screenshots go (gitignored; CI uploads it as an artifact). */
export function artifactPath(name: string): string {
  mkdirSync(artifactsDir, { recursive: true });
  return join(artifactsDir, name);
}

/** Browser-side: the element that has focus, looking through shadow roots. */
export async function deepActive(page: Page): Promise<{ tag: string; label: string }> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return {
      tag: active?.tagName.toLowerCase() ?? '',
      label: (active?.getAttribute('aria-label') || active?.textContent || '').trim(),
    };
  });
}

/** Presses Tab until the focused control's label matches, failing after `limit` presses. */
export async function tabTo(page: Page, label: RegExp, limit = 80): Promise<void> {
  for (let count = 0; count < limit; count++) {
    await page.keyboard.press('Tab');
    const active = await deepActive(page);
    if (label.test(active.label)) return;
  }
  throw new Error(`no focusable control labelled ${label} within ${limit} Tab presses`);
}

/** Opens the example page with a fresh guest and waits until the chat is ready. */
export async function openChat(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
}

/** Waits until no reply streams and no turn runs (the send button is back). */
export async function waitIdle(page: Page): Promise<void> {
  await page.locator('dreamdeck-chat [part="send-button"]').waitFor();
}

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

interface AxeViolation {
  id: string;
  impact: string;
  nodes: Array<{ target: unknown[]; failureSummary: string }>;
}

/**
 * Runs axe-core's WCAG 2.1 A and AA rules on the page (open shadow roots included); one line per
 * violating node. The page's context needs `bypassCSP: true` (axe is injected by evaluation).
 */
export async function wcagViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${JSON.stringify(node.target)} ${node.failureSummary}`),
  );
}
