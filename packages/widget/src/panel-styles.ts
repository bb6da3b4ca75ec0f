import { css } from 'lit';

/**
 * A panel under the chat's header (the thread list, the settings): the host element is the panel,
 * so `hidden` on it hides the whole panel.
 */
export const panelStyles = css`
  :host {
    display: block;
    padding: var(--_space);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
    max-height: 45%;
    overflow-y: auto;
  }
  :host([hidden]) {
    display: none;
  }
`;

/** `<dreamdeck-thread-list>`: one row per story, a row turning into a form or a question while it is edited. */
export const threadListStyles = css`
  ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 4px;
  }
  li,
  form {
    display: flex;
    align-items: center;
    gap: 4px;
  }
  form,
  span,
  .pick {
    flex: 1;
    min-width: 0;
  }
  .pick {
    text-align: left;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  [aria-current='true'] {
    border-color: var(--_accent);
  }
  .files {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin: 4px 0;
  }
  .branch {
    display: block;
    color: var(--_muted);
    overflow: hidden;
    text-overflow: ellipsis;
  }
`;

/** `<dreamdeck-settings>`: labelled rows for the persona picker and the flag switches. */
export const settingsStyles = css`
  label {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 4px 0;
  }
  fieldset {
    border: 1px solid var(--_border);
    border-radius: 8px;
    margin: var(--_space) 0 0;
  }
`;
