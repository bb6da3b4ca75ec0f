// @vitest-environment happy-dom
import { render } from 'lit';
import { describe, expect, it } from 'vitest';
import type { DreamdeckMessage } from '../src/dreamdeck-message.js';
import '../src/dreamdeck-message.js';
import { loadMarkdown, markdownLoaded, renderMarkdown } from '../src/markdown.js';

// The lexer is a file of its own (`dreamdeck-markdown.js`) so the chat's main file stays within its
// budget: until it has loaded, text shows plain, and messages render again once it is there.
describe('markdown before its lexer has loaded', () => {
  it('shows the text as it is, then a message shown meanwhile renders its markdown once the lexer is there', async () => {
    expect(markdownLoaded()).toBe(false);
    const host = document.createElement('div');
    render(renderMarkdown('A **bold** <b>move</b>'), host);
    expect(host.querySelector('p.plain')?.textContent).toBe('A **bold** <b>move</b>');
    expect(host.querySelector('strong, b')).toBeNull();

    const element = document.createElement('dreamdeck-message') as DreamdeckMessage;
    element.message = {
      id: 'm1',
      threadId: 't',
      role: 'assistant',
      kind: 'narration',
      content: 'The gate is **open**.',
      createdAt: '2026-01-01T00:00:00Z',
      status: 'complete',
    };
    document.body.append(element);
    await element.updateComplete;
    await loadMarkdown();
    await element.updateComplete;
    expect(markdownLoaded()).toBe(true);
    expect(element.shadowRoot?.querySelector('[part="content"] strong')?.textContent).toBe('open');
    expect(element.shadowRoot?.textContent).not.toContain('**');
  });
});
