import { css } from 'lit';

/**
 * `<dreamdeck-chat>`'s own layout: header, connection badge, message log, status, interrupt and
 * error rows, the composer with its slash-command hints, and the image dialog. The theme variables
 * (`--_*`) come from `themeStyles` (`styles.ts`).
 */
export const chatStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 320px;
    color: var(--_fg);
    background: var(--_bg);
    font-family: var(--_font);
    font-size: var(--_font-size);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    overflow: hidden;
    box-sizing: border-box;
  }
  .layout {
    position: relative;
    display: flex;
    flex-direction: column;
    height: 100%;
    min-width: 0;
  }
  header {
    display: flex;
    align-items: center;
    gap: calc(var(--_space) / 2);
    padding: calc(var(--_space) / 2) var(--_space);
    border-bottom: 1px solid var(--_border);
    background: var(--_surface);
  }
  h2 {
    margin: 0;
    font-size: 1em;
    flex: 1;
    min-width: 0;
    text-align: left;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .connection {
    font-size: 0.75em;
    padding: 2px 8px;
    border-radius: 999px;
    border: 1px solid var(--_border);
    white-space: nowrap;
  }
  .connection.online {
    display: none;
  }
  .connection.offline {
    color: var(--_danger);
    border-color: var(--_danger);
  }
  /* the skip link: out of sight until it has focus (issue 21) */
  .skip {
    position: absolute;
    z-index: 3;
    left: var(--_space);
    top: var(--_space);
    transform: translateY(-300%);
  }
  .skip:focus {
    transform: none;
  }
  dreamdeck-message:focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
    border-radius: var(--_radius);
  }
  .log {
    flex: 1;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: var(--_space);
    display: flex;
    flex-direction: column;
    gap: var(--_space);
  }
  .older {
    align-self: center;
  }
  .status,
  .interrupt,
  .error {
    margin: 0 var(--_space) var(--_space);
    padding: var(--_space);
    border-radius: var(--_radius);
  }
  .status {
    color: var(--_muted);
    font-size: 0.9em;
    padding: 0 var(--_space);
    margin-bottom: 4px;
  }
  .interrupt {
    border: 1px solid var(--_accent);
    background: var(--_surface);
  }
  .interrupt p {
    margin: 0 0 var(--_space);
  }
  .interrupt ul {
    margin: 0 0 var(--_space);
    padding-left: 1.2em;
    font-size: 0.9em;
    color: var(--_muted);
  }
  .interrupt.compact {
    padding: 4px var(--_space);
  }
  .interrupt.compact .buttons {
    align-items: center;
  }
  .interrupt .question {
    flex: 1;
    min-width: 8em;
    margin: 0;
  }
  .interrupt details {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .interrupt details ul {
    margin: 4px 0;
    max-height: 6em;
    overflow-y: auto;
  }
  .interrupt .buttons {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .error {
    display: flex;
    align-items: center;
    gap: var(--_space);
    background: var(--_danger-bg);
    color: var(--_danger);
  }
  .error span {
    flex: 1;
  }
  form.composer {
    position: relative;
    display: flex;
    gap: calc(var(--_space) / 2);
    padding: var(--_space);
    border-top: 1px solid var(--_border);
  }
  textarea {
    resize: none;
    min-height: 40px;
    padding: var(--_space);
  }
  .hints {
    position: absolute;
    inset: auto var(--_space) 100%;
    margin: 0;
    padding: 4px;
    list-style: none;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    box-shadow: 0 4px 16px #0003;
    max-height: 220px;
    overflow-y: auto;
  }
  .hints button {
    display: flex;
    gap: var(--_space);
    width: 100%;
    text-align: left;
    border: 0;
    background: transparent;
  }
  .hints button:hover {
    background: var(--_surface);
  }
  .hints code {
    font-family: var(--_mono);
    font-weight: 600;
  }
  .hints span {
    color: var(--_muted);
  }
  dialog {
    max-width: min(92vw, 1024px);
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    color: var(--_fg);
  }
  dialog img {
    display: block;
    max-width: 100%;
    max-height: 80vh;
  }
  dialog p {
    margin: var(--_space) 0;
    font-size: 0.9em;
  }
`;

// the panels' styles live in their own module, which the main bundle leaves out unless a panel is
// in it (a side-effect-free re-export: the chat's lazily loaded panels import it)
export { panelStyles, settingsStyles, threadListStyles } from './panel-styles.js';
