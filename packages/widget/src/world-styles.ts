import { css } from 'lit';

/**
 * `<dreamdeck-world>`'s own layout: the tabs, the lore list and its entries, the entry and note
 * forms. The panel's frame is `panelStyles`; colours come from the chat's theme (`--_*`).
 */
export const worldStyles = css`
  [role='tablist'] {
    display: flex;
    gap: 4px;
    margin-bottom: var(--_space);
    flex-wrap: wrap;
  }
  [role='tab'][aria-selected='true'] {
    font-weight: 600;
    border-color: currentColor;
  }
  ul {
    list-style: none;
    margin: 0 0 var(--_space);
    padding: 0;
    display: grid;
    gap: 6px;
  }
  li {
    display: grid;
    gap: 2px;
  }
  li div {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .keys {
    font-weight: 600;
  }
  .content {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  small,
  .hint {
    color: var(--_muted);
  }
  form {
    display: grid;
    gap: 6px;
  }
  form div {
    display: flex;
    gap: 6px;
    align-items: center;
    flex-wrap: wrap;
  }
  textarea {
    font: inherit;
    min-height: 4em;
    resize: vertical;
  }
  input[type='number'] {
    width: 5em;
  }
  p {
    margin: 0 0 var(--_space);
  }
`;
