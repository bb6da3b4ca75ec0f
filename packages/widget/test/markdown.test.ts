// @vitest-environment happy-dom
import { render } from 'lit';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEntities, loadMarkdown, renderMarkdown, safeHref } from '../src/markdown.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

function show(markdown: string): HTMLElement {
  const host = document.createElement('div');
  render(renderMarkdown(markdown), host);
  return host;
}

/** Every element and attribute under `root`, so a test can look for anything dangerous. */
function dangerous(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll('*')) {
    const tag = element.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'svg', 'img', 'style', 'meta', 'form', 'input'].includes(tag))
      found.push(`<${tag}>`);
    for (const attribute of element.attributes) {
      if (/^on/i.test(attribute.name)) found.push(`${tag}[${attribute.name}]`);
      if (/^\s*(javascript|data|vbscript):/i.test(attribute.value))
        found.push(`${tag}[${attribute.name}=${attribute.value}]`);
      if (attribute.name === 'style') found.push(`${tag}[style]`);
    }
  }
  return found;
}

// the markdown lexer loads on demand (its own file in the script-tag build)
beforeAll(() => loadMarkdown());

describe('renderMarkdown', () => {
  it('renders the usual markdown as elements', () => {
    const host = show(
      '# Title\n\nSome **bold**, *em*, ~~gone~~ and `code`.\n\n1. one\n2. two\n\n> quoted\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    );
    expect(host.querySelector('h3')?.textContent).toBe('Title');
    expect(host.querySelector('strong')?.textContent).toBe('bold');
    expect(host.querySelector('em')?.textContent).toBe('em');
    expect(host.querySelector('del')?.textContent).toBe('gone');
    expect(host.querySelector('code')?.textContent).toBe('code');
    expect([...host.querySelectorAll('ol li')].map((li) => li.textContent?.trim())).toEqual(['one', 'two']);
    expect(host.querySelector('blockquote')?.textContent?.trim()).toBe('quoted');
    expect(host.querySelector('hr')).not.toBeNull();
    expect([...host.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['1', '2']);
  });

  it('keeps http(s) and mailto links, with rel and target', () => {
    const host = show('[site](https://example.com/a?b=1) and [mail](mailto:gm@example.com)');
    const links = [...host.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://example.com/a?b=1', 'mailto:gm@example.com']);
    expect(links[0]?.getAttribute('rel')).toContain('noopener');
    expect(links[0]?.getAttribute('target')).toBe('_blank');
  });

  it('shows raw HTML as text instead of parsing it', () => {
    const host = show('Hello <b onclick="x()">there</b>\n\n<div><script>alert(1)</script></div>');
    expect(host.querySelector('b')).toBeNull();
    expect(host.querySelector('script')).toBeNull();
    expect(host.textContent).toContain('<b onclick="x()">');
    expect(host.textContent).toContain('<script>alert(1)</script>');
  });

  it('turns links with unsafe destinations into plain text', () => {
    const host = show('[a](javascript:alert(1)) [b](data:text/html,x) [c](/relative) [d](vbscript:x)');
    expect(host.querySelectorAll('a')).toHaveLength(0);
    expect(host.textContent).toContain('a');
  });

  it('never loads a markdown image; it becomes a link', () => {
    const host = show('![a map](https://example.com/map.png)');
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('a')?.getAttribute('href')).toBe('https://example.com/map.png');
  });

  it('decodes character references as text, never as markup', () => {
    const host = show('Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt; &#x1F3B2;');
    expect(host.querySelector('b')).toBeNull();
    expect(host.textContent).toContain('Fish & chips <b>not bold</b> 🎲');
  });

  it.each(XSS_PAYLOADS)('leaves no script, handler or unsafe URL in the DOM: %s', (payload) => {
    const host = show(payload);
    expect(dangerous(host)).toEqual([]);
  });

  it('renders nothing for empty input', () => {
    expect(show('').childElementCount).toBe(0);
  });
});

describe('safeHref', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/x', 'http://example.com/x'],
    ['mailto:a@b.c', 'mailto:a@b.c'],
  ])('keeps %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    ' JAVASCRIPT:alert(1)',
    'java\nscript:alert(1)',
    'java\tscript:alert(1)',
    'data:text/html,<script>',
    'vbscript:x',
    '/relative',
    '//evil.example',
    'file:///etc/passwd',
    '',
  ])('refuses %j', (input) => {
    expect(safeHref(input)).toBeUndefined();
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric references and leaves unknown ones', () => {
    expect(decodeEntities('&amp; &#39; &#x41; &unknown; &#0;')).toBe("& ' A &unknown; &#0;");
  });
});
