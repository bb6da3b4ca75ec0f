// @vitest-environment happy-dom
import { LitElement } from 'lit';
import { describe, expect, it, vi } from 'vitest';
import { ComposerController } from '../src/composer-controller.js';
import type { ConnectionController } from '../src/connection-controller.js';
import type { DreamdeckMessage } from '../src/dreamdeck-message.js';
import '../src/dreamdeck-message.js';
import type { PreferencesController } from '../src/preferences-controller.js';
import type { MessagePart, StoryMessage } from '../src/protocol.js';
import { searchResultHref } from '../src/search-results.js';
import { en } from '../src/strings.js';
import type { TurnController } from '../src/turn-controller.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

function searchMessage(parts: MessagePart[]): StoryMessage {
  return {
    id: 'm1',
    threadId: 't',
    role: 'tool',
    kind: 'search',
    content: '🔎 Web results for “bells”:',
    parts,
    createdAt: '2026-01-01T00:00:00Z',
    status: 'complete',
  };
}

async function render(parts: MessagePart[]) {
  const element = document.createElement('dreamdeck-message') as DreamdeckMessage;
  element.message = searchMessage(parts);
  document.body.append(element);
  await element.updateComplete;
  return element;
}

describe('search results in <dreamdeck-message>', () => {
  it('shows http(s) results as links that open in a new tab without referrer', async () => {
    const element = await render([
      { type: 'search-result', title: 'The Drowned Bell', url: 'https://example.org/bell', snippet: 's' },
      { type: 'search-result', title: 'Plain http', url: 'http://example.org/x', snippet: '' },
    ]);
    const list = element.shadowRoot!.querySelector('[part="search-results"]')!;
    expect(list.getAttribute('aria-label')).toBe('Web results');
    const links = [...list.querySelectorAll('a')];
    expect(links.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel'), a.target])).toEqual([
      ['The Drowned Bell', 'https://example.org/bell', 'noopener noreferrer nofollow', '_blank'],
      ['Plain http', 'http://example.org/x', 'noopener noreferrer nofollow', '_blank'],
    ]);
    element.remove();
  });

  it('never links other schemes and never parses result text as HTML', async () => {
    const hostile: MessagePart[] = [
      ...['javascript:window.__xss=1', 'data:text/html,<script>window.__xss=2</script>', 'mailto:a@b.c', 'bells'].map(
        (url): MessagePart => ({ type: 'search-result', title: 'x', url, snippet: '' }),
      ),
      ...XSS_PAYLOADS.map(
        (payload): MessagePart => ({ type: 'search-result', title: payload, url: payload, snippet: payload }),
      ),
    ];
    const element = await render(hostile);
    const list = element.shadowRoot!.querySelector('[part="search-results"]')!;
    expect(list.querySelectorAll('a')).toHaveLength(0);
    expect(list.querySelectorAll('script, img, svg, iframe, object, embed, style, input, details, video')).toHaveLength(
      0,
    );
    expect(list.querySelectorAll('li')).toHaveLength(hostile.length);
    expect(list.textContent).toContain('<script>window.__xss=1</script>');
    expect((window as { __xss?: unknown }).__xss).toBeUndefined();
    element.remove();
  });

  it('checks addresses by their parsed scheme', () => {
    expect(searchResultHref('HTTPS://Example.org/a')).toBe('https://example.org/a');
    expect(searchResultHref(' javascript:alert(1)')).toBeUndefined();
    expect(searchResultHref('//example.org')).toBeUndefined();
  });
});

class ComposerHost extends LitElement {
  manualUrl = '';
  readonly composer = new ComposerController(
    this,
    { busy: false, send: vi.fn(), stop: vi.fn() } as unknown as TurnController,
    { inputMaxLength: 100 } as unknown as ConnectionController,
    { flags: { flags: {}, toggleable: [] } } as unknown as PreferencesController,
  );
  override render() {
    return this.composer.render(en, true, false);
  }
}
customElements.define('search-composer-host', ComposerHost);

describe('the player guide link', () => {
  it('ends the slash-command hints when the chat has a manual-url', async () => {
    const host = document.createElement('search-composer-host') as ComposerHost;
    document.body.append(host);
    await host.updateComplete;
    const input = host.shadowRoot!.querySelector('textarea')!;
    input.value = '/';
    input.dispatchEvent(new Event('input'));
    await host.updateComplete;
    expect(host.shadowRoot!.querySelector('[part="manual-link"]')).toBeNull();
    host.manualUrl = '/docs/user-manual.md';
    host.requestUpdate();
    await host.updateComplete;
    const link = host.shadowRoot!.querySelector<HTMLAnchorElement>('[part="manual-link"]')!;
    expect(link.getAttribute('href')).toBe('/docs/user-manual.md');
    expect(link.textContent).toContain('Player guide');
    host.remove();
  });
});
