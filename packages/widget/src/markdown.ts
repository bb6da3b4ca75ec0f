import { html, nothing, type TemplateResult } from 'lit';
import type { Token, Tokens } from 'marked';

type LexerClass = typeof import('./markdown-lexer.js').Lexer;
let lexer: LexerClass | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the markdown lexer (in the script-tag build a file of its own, `dreamdeck-markdown.js`,
 * beside the chat). The chat starts this as it connects, in parallel with its first API requests;
 * until it is there, {@link renderMarkdown} shows text as plain paragraphs. Resolves once it is
 * loaded, or failed to load (text then stays plain).
 */
export function loadMarkdown(): Promise<void> {
  loading ??= import('./markdown-lexer.js').then(
    (module) => {
      lexer = module.Lexer;
    },
    () => {},
  );
  return loading;
}

/** Whether {@link renderMarkdown} renders markdown yet (the lexer has loaded). */
export function markdownLoaded(): boolean {
  return lexer !== undefined;
}

/** What {@link renderMarkdown} returns: a Lit template (or `nothing` for empty input). */
export type MarkdownTemplate = TemplateResult | typeof nothing;

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Returns `href` when it is an absolute `http:`, `https:` or `mailto:` URL, else `undefined`.
 * Relative URLs, `javascript:`, `data:`, `vbscript:` and anything unparsable are refused, so a link
 * from the model or the player can only ever lead to an ordinary web page or a mail client.
 *
 * @param href - the link destination as written in the markdown
 */
export function safeHref(href: string | null | undefined): string | undefined {
  if (!href) return undefined;
  // browsers drop these before parsing a URL, so `java\tscript:` must be judged without them
  const cleaned = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  let url: URL;
  try {
    url = new URL(cleaned);
  } catch {
    return undefined;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol.toLowerCase())) return undefined;
  return url.href;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  copy: '©',
};

/**
 * Resolves HTML character references (`&amp;`, `&#39;`, `&#x1F3B2;`, a few named ones) in plain
 * text, the way a browser would show them. The result is only ever used as text, never as markup.
 *
 * @param text - text from a markdown token
 */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}

function inline(tokens: Token[] | undefined): unknown[] {
  return tokens ? tokens.map(inlineToken) : [];
}

function inlineToken(token: Token): unknown {
  switch (token.type) {
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens?.length ? inline(text.tokens) : decodeEntities(text.text);
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return html`<strong>${inline((token as Tokens.Strong).tokens)}</strong>`;
    case 'em':
      return html`<em>${inline((token as Tokens.Em).tokens)}</em>`;
    case 'del':
      return html`<del>${inline((token as Tokens.Del).tokens)}</del>`;
    case 'codespan':
      return html`<code>${(token as Tokens.Codespan).text}</code>`;
    case 'br':
      return html`<br />`;
    case 'link': {
      const link = token as Tokens.Link;
      const href = safeHref(link.href);
      const label = inline(link.tokens);
      return href
        ? html`<a href=${href} title=${link.title ?? nothing} target="_blank" rel="noopener noreferrer nofollow"
            >${label}</a
          >`
        : html`<span class="unsafe-link">${label}</span>`;
    }
    case 'image': {
      // never load an image named by markdown (tracking pixels, data: payloads): show a link instead
      const image = token as Tokens.Image;
      const href = safeHref(image.href);
      const label = decodeEntities(image.text || image.href);
      return href
        ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">🖼 ${label}</a>`
        : html`<span>🖼 ${label}</span>`;
    }
    case 'checkbox':
      return (token as Tokens.Checkbox).checked ? '☑ ' : '☐ ';
    case 'html':
      // raw HTML is shown as the text it is
      return (token as Tokens.Tag).text;
    default:
      return 'tokens' in token && token.tokens ? inline(token.tokens) : (token.raw ?? '');
  }
}

function block(token: Token): unknown {
  switch (token.type) {
    case 'space':
    case 'def':
      return nothing;
    case 'paragraph':
      return html`<p>${inline((token as Tokens.Paragraph).tokens)}</p>`;
    case 'heading': {
      const heading = token as Tokens.Heading;
      const content = inline(heading.tokens);
      // story headings stay modest inside a chat bubble
      return heading.depth <= 2 ? html`<h3>${content}</h3>` : html`<h4>${content}</h4>`;
    }
    case 'code':
      return html`<pre><code>${(token as Tokens.Code).text}</code></pre>`;
    case 'blockquote':
      return html`<blockquote>${blocks((token as Tokens.Blockquote).tokens)}</blockquote>`;
    case 'hr':
      return html`<hr />`;
    case 'list': {
      const list = token as Tokens.List;
      const items = list.items.map((item) => html`<li>${blocks(item.tokens, !item.loose)}</li>`);
      return list.ordered
        ? html`<ol start=${typeof list.start === 'number' ? list.start : nothing}>${items}</ol>`
        : html`<ul>${items}</ul>`;
    }
    case 'table': {
      const table = token as Tokens.Table;
      const cell = (c: Tokens.TableCell) => inline(c.tokens);
      return html`<div class="table"><table>
        <thead><tr>${table.header.map((c) => html`<th>${cell(c)}</th>`)}</tr></thead>
        <tbody>${table.rows.map((row) => html`<tr>${row.map((c) => html`<td>${cell(c)}</td>`)}</tr>`)}</tbody>
      </table></div>`;
    }
    case 'html':
      return html`<p>${(token as Tokens.HTML).text}</p>`;
    case 'text': {
      // block-level text appears inside tight list items
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : decodeEntities(text.text);
    }
    default:
      return html`<p>${inlineToken(token)}</p>`;
  }
}

function blocks(tokens: Token[], tight = false): unknown[] {
  return tokens.map((token) =>
    tight && token.type === 'paragraph' ? inline((token as Tokens.Paragraph).tokens) : block(token),
  );
}

/**
 * Renders markdown as a Lit template that is safe by construction: marked's lexer splits the text
 * into tokens and each token becomes a fixed template whose strings are bound as text. Nothing is
 * ever parsed as HTML — raw HTML in the markdown shows as text, links are kept only for
 * `http(s)`/`mailto`, and markdown images become links (no remote image loads from model text).
 * Until the lexer has loaded (`loadMarkdown`) the text shows as it is, in a plain paragraph.
 *
 * @param markdown - markdown from the model or the player
 * @returns a template to place inside any element
 */
export function renderMarkdown(markdown: string): MarkdownTemplate {
  if (!markdown) return nothing;
  if (!lexer) {
    void loadMarkdown();
    return html`<p class="plain">${markdown}</p>`;
  }
  let tokens: Token[];
  try {
    // keep in step with LEX_OPTIONS in scripts/build-bundle.mjs: the script-tag build folds these
    // options into marked's lexer (and checks the result against marked itself)
    tokens = lexer.lex(markdown, { gfm: true, breaks: true });
  } catch {
    return html`<p>${markdown}</p>`;
  }
  return html`${blocks(tokens)}`;
}
