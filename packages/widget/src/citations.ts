import { css, html, nothing, type TemplateResult } from 'lit';
import type { DreamdeckClient } from './api-client.js';
import { apiPath } from './events.js';
import type { MessagePart } from './protocol.js';

/** A knowledge-base passage a GM reply cites. */
export type CitationPart = Extract<
  MessagePart,
  {
    /** Picks the `citation` member of {@link MessagePart}. */
    type: 'citation';
  }
>;

/** Detail of `dreamdeck-cite`: the citation opened, and where to hand its passage (`null`: it is gone). */
export interface CiteDetail {
  /** The citation the player opened. */
  citation: CitationPart;
  /** Hands over the passage's text, or `null` when it is gone (the message shows that instead). */
  show: (text: string | null) => void;
}

/** Styles for {@link renderCitations}. */
export const citationStyles = css`
  .cites {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .cites button {
    font-size: 1em;
    padding: 0 6px;
  }
  blockquote {
    margin: 4px 0;
    padding-left: 8px;
    border-left: 2px solid var(--_border);
    font-size: 0.85em;
    white-space: pre-wrap;
  }
`;

/**
 * The sources under a GM reply (`part="citations"`): one small button per cited passage, its
 * number and its document's title (plain text); an opened one shows the passage below, as text.
 */
export function renderCitations(
  parts: readonly MessagePart[],
  label: string,
  open: ReadonlyMap<string, string | null>,
  toggle: (citation: CitationPart) => void,
): TemplateResult | typeof nothing {
  const cites = parts.filter((part): part is CitationPart => part.type === 'citation');
  if (!cites.length) return nothing;
  return html`<div part="citations"><div class="cites" aria-label=${label}>${label}:
    ${cites.map(
      (cite, index) =>
        html`<button part="citation" aria-expanded=${open.has(cite.chunkId)} @click=${() => toggle(cite)}>[${index + 1}] ${cite.title}</button>`,
    )}</div>
    ${cites.map((cite) => {
      const text = open.get(cite.chunkId);
      return text === undefined ? nothing : html`<blockquote part="passage">${text ?? '…'}</blockquote>`;
    })}</div>`;
}

/**
 * Fetches a cited passage for `<dreamdeck-chat>` (`GET /knowledge/:id/chunks/:index`), as the
 * signed-in player in the open story; `null` when it is gone or not visible.
 */
export async function loadPassage(
  client: DreamdeckClient | undefined,
  threadId: string | undefined,
  citation: CitationPart,
): Promise<string | null> {
  const index = citation.chunkId.slice(citation.chunkId.lastIndexOf('#') + 1);
  if (!client) return null;
  try {
    const path = apiPath('knowledge', citation.documentId, 'chunks', index);
    const answer = await client.json<{ passage: { text: string } }>(
      'GET',
      threadId ? `${path}?threadId=${encodeURIComponent(threadId)}` : path,
    );
    return answer.passage.text;
  } catch {
    return null;
  }
}
