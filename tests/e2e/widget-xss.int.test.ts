/**
 * XSS: hostile text as player input and as model output must never run and never reach the DOM
 * as markup. The model is a LangChain chat model that streams the payloads back.
 */

import type { RunningServer } from '@dreamdeck/example-server';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XSS_PAYLOADS } from '../../packages/widget/test/xss-payloads.js';
import { chromiumAvailable, launchChromium, openChat, startExample, waitIdle } from './browser.js';

const MODEL_REPLY = XSS_PAYLOADS.join('\n\n');

/** A chat model whose every reply is all the payloads, streamed in small pieces. */
class PayloadModel extends BaseChatModel {
  _llmType() {
    return 'payload-echo';
  }
  async _generate(): Promise<ChatResult> {
    return { generations: [{ text: MODEL_REPLY, message: new AIMessage(MODEL_REPLY) }] };
  }
  override async *_streamResponseChunks(_messages: BaseMessage[]): AsyncGenerator<ChatGenerationChunk> {
    for (let index = 0; index < MODEL_REPLY.length; index += 23) {
      const text = MODEL_REPLY.slice(index, index + 23);
      yield new ChatGenerationChunk({ text, message: new AIMessageChunk(text) });
    }
  }
}

const run = chromiumAvailable();

describe.skipIf(!run)('<dreamdeck-chat> XSS in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startExample({
      model: { name: 'payload-echo', model: new PayloadModel({}) },
      config: { features: { storyboardReview: false, imageGeneration: false } },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Everything suspicious in the page, shadow roots included. */
  function findings(page: Page) {
    return page.evaluate(() => {
      const elements: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const element of root.querySelectorAll('*')) {
          elements.push(element);
          if (element.shadowRoot) walk(element.shadowRoot);
        }
      };
      walk(document);
      const found: string[] = [];
      for (const element of elements) {
        const tag = element.tagName.toLowerCase();
        // the page's own module script is the only script allowed, and only in the light DOM
        const ownScript =
          tag === 'script' &&
          element.getRootNode() === document &&
          /^\/dreamdeck-chat\.js(\?v=[\w-]+)?$/.test(element.getAttribute('src') ?? '');
        if (['script', 'iframe', 'object', 'embed', 'meta', 'base', 'math'].includes(tag) && !ownScript)
          if (element.closest('head') === null) found.push(`<${tag}> in body`);
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) found.push(`${tag}[${attribute.name}]`);
          if (/^\s*(javascript|vbscript):/i.test(attribute.value))
            found.push(`${tag}[${attribute.name}="${attribute.value}"]`);
          if (attribute.name === 'href' && /^\s*data:/i.test(attribute.value)) found.push(`${tag}[href=data:]`);
        }
      }
      const flag = (window as unknown as { __xssHits?: unknown[] }).__xssHits ?? [];
      return { found, flag, elements: elements.length };
    });
  }

  it(`renders ${XSS_PAYLOADS.length} payloads from the player and the model as text, running none`, async () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(30);
    // the example page's CSP (script-src 'self') would block inline handlers on its own; bypass it so
    // this test proves the widget itself never lets a payload run or reach the DOM as markup
    const context = await browser.newContext({ bypassCSP: true });
    // the page flag: any payload that runs sets window.__xss, which lands here
    await context.addInitScript(() => {
      const hits: unknown[] = [];
      Object.defineProperty(window, '__xssHits', { value: hits });
      Object.defineProperty(window, '__xss', { set: (value) => hits.push(value), get: () => undefined });
    });
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openChat(page, server.url);
    const chat = page.locator('dreamdeck-chat');
    const input = chat.locator('textarea');

    // the flag works: a script that really runs is caught
    await page.evaluate(() => {
      (window as unknown as { __xss: number }).__xss = 0;
    });
    expect((await findings(page)).flag).toEqual([0]);

    for (const payload of XSS_PAYLOADS) {
      await input.fill(payload);
      await input.press('Enter');
      await waitIdle(page);
    }
    const messages = chat.locator('dreamdeck-message');
    expect(await messages.count()).toBe(XSS_PAYLOADS.length * 2);
    // the player's payloads are shown verbatim, as text
    await expect(messages.nth(0).locator('[part="content"]').textContent()).resolves.toContain(XSS_PAYLOADS[0]);
    // the model's reply holds the raw HTML as text too
    const reply = (await messages.nth(1).locator('[part="content"]').textContent()) ?? '';
    expect(reply).toContain('<img src=x onerror="window.__xss=2">');
    expect(reply).toContain('<svg onload="window.__xss=3"></svg>');

    // give lazy handlers (onerror, onload, ontoggle, onfocus) time to fire if anything slipped through
    await page.waitForTimeout(500);
    let result = await findings(page);
    expect(result.found).toEqual([]);
    expect(result.flag).toEqual([0]);
    expect(dialogs).toEqual([]);
    expect(result.elements).toBeGreaterThan(100);

    // history: the same text rendered from storage after a reload
    await page.reload();
    await page.locator('dreamdeck-chat textarea:not([disabled])').waitFor();
    await expect.poll(() => chat.locator('dreamdeck-message').count()).toBeGreaterThan(10);
    await page.waitForTimeout(500);
    result = await findings(page);
    expect(result.found).toEqual([]);
    expect(result.flag).toEqual([]);
    expect(dialogs).toEqual([]);
    await context.close();
  });
});
