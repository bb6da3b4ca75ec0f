/**
 * <dreamdeck-chat> in real Chromium behind a proxy that cuts the connection of a turn's stream
 * mid-turn, as a flaky network or a load balancer would: the widget rejoins the turn on its own
 * (`GET …/turns/:turnId/events` after the last event id) and shows the reply whole, once. And a
 * turn refused with 409 because another one still runs in the story waits and goes through.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDemoModel, type ModelAdapter } from '@dreamdeck/core';
import type { RunningServer } from '@dreamdeck/example-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const run = chromiumAvailable();

/** What the proxy saw and did. */
interface ProxyLog {
  /** `METHOD path` of every request, with the Last-Event-ID it carried. */
  requests: Array<{ line: string; lastEventId: string | undefined }>;
  /** Turn streams it cut. */
  cuts: number;
}

/**
 * A reverse proxy to `target` that cuts the first `cuts` turn streams (`POST …/turns`) after their
 * third `message-delta`: the browser's connection is destroyed, and so is the one to the server.
 */
async function startCuttingProxy(
  target: string,
  cuts: number,
): Promise<{ url: string; log: ProxyLog; close(): Promise<void> }> {
  const upstream = new URL(target);
  const log: ProxyLog = { requests: [], cuts: 0 };
  const server: Server = createServer((req, res) => {
    const lastEventId = req.headers['last-event-id'];
    log.requests.push({
      line: `${req.method} ${req.url}`,
      lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined,
    });
    const cut = req.method === 'POST' && /\/turns$/.test(req.url ?? '') && log.cuts < cuts;
    if (cut) log.cuts++;
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let deltas = 0;
        answer.on('data', (chunk: Buffer) => {
          res.write(chunk);
          if (!cut) return;
          deltas += chunk.toString().split('event: message-delta').length - 1;
          if (deltas >= 3) {
            res.destroy();
            answer.destroy();
          }
        });
        answer.on('end', () => res.end());
        answer.on('error', () => res.destroy());
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text of the newest GM reply as the chat shows it. */
function lastReply(page: Page): Promise<string> {
  return page.evaluate(() => {
    const chat = document.querySelector('dreamdeck-chat')!;
    const messages = [...(chat.shadowRoot?.querySelectorAll('dreamdeck-message') ?? [])].filter(
      (element) => (element as unknown as { message?: { role: string } }).message?.role === 'assistant',
    );
    return messages.at(-1)?.shadowRoot?.querySelector('[part="content"]')?.textContent ?? '';
  });
}

describe.skipIf(!run)('<dreamdeck-chat> when the network drops a turn', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({
      // slow enough that the stream is cut well before the reply is done
      model: { name: 'demo', model: createDemoModel({ latencyMs: 25 }) } as ModelAdapter,
      config: { features: { imageGeneration: false } },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('rejoins the turn on its own: the reply is shown whole, once, as the server stored it', async () => {
    const proxy = await startCuttingProxy(server.url, 1);
    try {
      const page = await browser.newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      await openChat(page, proxy.url);
      const input = page.locator('dreamdeck-chat textarea');
      await input.fill('I tell the long tale of the drowned bell.');
      await input.press('Enter');
      await waitIdle(page);
      expect(proxy.log.cuts).toBe(1);
      const rejoins = proxy.log.requests.filter((request) => /\/turns\/turn_\w+\/events$/.test(request.line));
      expect(rejoins.length).toBeGreaterThanOrEqual(1);
      expect(Number(rejoins[0]!.lastEventId)).toBeGreaterThanOrEqual(3);
      const shown = await lastReply(page);
      // no error banner: the player never saw the drop
      await expect(page.locator('dreamdeck-chat [part="error"]').count()).resolves.toBe(0);
      // the story as the server keeps it, rendered after a reload, is what was shown
      await page.reload();
      await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
      await page.locator('dreamdeck-chat dreamdeck-message').nth(1).waitFor();
      expect(await lastReply(page)).toBe(shown);
      expect(shown.length).toBeGreaterThan(100);
      await page.close();
    } finally {
      await proxy.close();
    }
  });

  it('a turn refused with 409 while another turn runs in the story waits, then goes through', async () => {
    const page = await browser.newPage();
    await openChat(page, server.url);
    const input = page.locator('dreamdeck-chat textarea');
    await input.fill('I light a candle.');
    await input.press('Enter');
    await waitIdle(page);
    // the same player starts a turn in the story from elsewhere (another tab, another device)
    const { token, threadId } = await page.evaluate(() => {
      const chat = document.querySelector('dreamdeck-chat') as unknown as { threadId?: string };
      const key = Object.keys(localStorage).find((name) => name.startsWith('dreamdeck:token:'))!;
      const thread = (chat.threadId ||
        Object.entries(localStorage).find(([name]) => name.startsWith('dreamdeck:thread'))?.[1]) as string;
      return { token: localStorage.getItem(key)!, threadId: thread };
    });
    expect(threadId).toMatch(/^thr_/);
    const elsewhere = await fetch(`${server.apiUrl}/threads/${threadId}/turns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Meanwhile, I tell another long tale.' }),
    });
    expect(elsewhere.status).toBe(200);
    const otherTurn = elsewhere.text();
    await input.fill('I blow the candle out.');
    await input.press('Enter');
    await otherTurn;
    await waitIdle(page);
    await expect(page.locator('dreamdeck-chat [part="error"]').count()).resolves.toBe(0);
    const stored = await server.dd.storage.listMessages(threadId);
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
      'I light a candle.',
      'Meanwhile, I tell another long tale.',
      'I blow the candle out.',
    ]);
    await page.close();
  });
});
