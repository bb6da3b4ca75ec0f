import { css } from 'lit';

/**
 * `<dreamdeck-message>`'s own look: the bubble (the player's, the GM's, a tool's), the markdown
 * body, the streaming cursor, storyboard images, choices, notes and the action row. Colours come
 * from the chat's theme (`--_*`, `styles.ts`).
 */
export const messageStyles = css`
  :host {
    display: block;
    content-visibility: auto;
    contain-intrinsic-size: auto 80px;
  }
  .bubble {
    padding: var(--_space) calc(var(--_space) * 1.5);
    border-radius: var(--_radius);
    background: var(--_gm-bg);
    border: 1px solid var(--_border);
    overflow-wrap: anywhere;
    line-height: 1.5;
  }
  :host([role-name='user']) .bubble {
    background: var(--_player-bg);
    margin-left: 12%;
  }
  :host([role-name='tool']) .bubble {
    background: transparent;
    border-style: dashed;
  }
  .speaker {
    font-size: 0.8em;
    font-weight: 600;
    color: var(--_muted);
    margin-bottom: 2px;
  }
  .content > :first-child {
    margin-top: 0;
  }
  .content > :last-child {
    margin-bottom: 0;
  }
  .content :is(p, ul, ol, blockquote, pre) {
    margin: 0.4em 0;
  }
  .content pre {
    overflow-x: auto;
    background: var(--_surface);
    padding: var(--_space);
    border-radius: 6px;
  }
  .content code {
    font-family: var(--_mono);
    font-size: 0.92em;
  }
  .content blockquote {
    border-left: 3px solid var(--_border);
    padding-left: var(--_space);
    color: var(--_muted);
  }
  .content a {
    color: var(--_accent);
  }
  .content .table {
    overflow-x: auto;
  }
  .content table {
    border-collapse: collapse;
  }
  .content :is(th, td) {
    border: 1px solid var(--_border);
    padding: 2px 6px;
  }
  .content :is(h3, h4) {
    margin: 0.5em 0 0.2em;
  }
  .plain {
    white-space: pre-wrap;
  }
  .cursor::after {
    content: '▍';
    animation: blink 1s steps(2) infinite;
  }
  @keyframes blink {
    50% {
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .cursor::after {
      animation: none;
    }
  }
  .images {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(120px, 1fr));
    gap: var(--_space);
    margin-top: var(--_space);
  }
  .images button {
    padding: 0;
    border-radius: 8px;
    overflow: hidden;
    line-height: 0;
  }
  .images img {
    width: 100%;
    aspect-ratio: 1;
    object-fit: cover;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: var(--_space);
  }
  .choices button {
    text-align: left;
  }
  .note {
    font-size: 0.85em;
    color: var(--_muted);
  }
.content.error,
  .note.error {
    color: var(--_danger);
  }
  .reset {
    text-align: center;
    color: var(--_muted);
    font-size: 0.85em;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px;
    margin-top: 4px;
    font-size: 0.85em;
  }
  form {
    display: flex;
    gap: 4px;
    width: 100%;
  }
`;
