import { css, html, nothing, type TemplateResult } from 'lit';
import type { MessagePart } from './protocol.js';

type SearchResultPart = Extract<MessagePart, { type: 'search-result' }>;

/**
 * The address of a search result when it may become a link: an absolute `http:` or `https:` URL.
 * Anything else (`javascript:`, `data:`, `mailto:`, relative text) stays plain text.
 */
export function searchResultHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** Styles for {@link renderSearchResults}. */
export const searchResultStyles = css`
  .sources {
    margin: 6px 0 0;
    padding-left: 1.2em;
    font-size: 0.9em;
  }
  .sources a {
    color: var(--_accent);
    overflow-wrap: anywhere;
  }
  .sources .address {
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
`;

/**
 * A `search` message's results (`part="search-results"`) as a list of links: web text is only
 * ever bound as text (never HTML), and only `http(s)` addresses become links (opened in a new
 * tab, without referrer); others are shown as plain text.
 */
export function renderSearchResults(parts: readonly MessagePart[], label: string): TemplateResult | typeof nothing {
  const results = parts.filter((part): part is SearchResultPart => part.type === 'search-result');
  if (!results.length) return nothing;
  return html`<ol class="sources" part="search-results" aria-label=${label}>
    ${results.map((result) => {
      const href = searchResultHref(result.url);
      return html`<li>
        ${
          href
            ? html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${result.title || href}</a>`
            : html`<span>${result.title}</span> <span class="address">(${result.url})</span>`
        }
      </li>`;
    })}
  </ol>`;
}
