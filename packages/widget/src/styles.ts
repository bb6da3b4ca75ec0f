import { css } from 'lit';

/**
 * Theme variables. Public `--dreamdeck-*` properties set by the host page win; the private `--_*`
 * ones carry the light or dark default and are inherited by the inner elements.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--dreamdeck-bg, #fff);
    --_fg: var(--dreamdeck-fg, #1d1b26);
    --_muted: var(--dreamdeck-muted, #5f5b70);
    --_surface: var(--dreamdeck-surface, #f4f2fa);
    --_border: var(--dreamdeck-border, #d8d4e6);
    --_accent: var(--dreamdeck-accent, #5b3fd1);
    --_accent-fg: var(--dreamdeck-accent-fg, #fff);
    --_player-bg: var(--dreamdeck-player-bg, #e9e4ff);
    --_gm-bg: var(--dreamdeck-gm-bg, #f7f6fb);
    --_danger: var(--dreamdeck-danger, #b3261e);
    --_danger-bg: var(--dreamdeck-danger-bg, #fde8e6);
    --_focus: var(--dreamdeck-focus, #1a73e8);
    --_font: var(--dreamdeck-font, system-ui, sans-serif);
    --_font-size: var(--dreamdeck-font-size, 15px);
    --_mono: var(--dreamdeck-font-mono, ui-monospace, monospace);
    --_radius: var(--dreamdeck-radius, 12px);
    --_space: var(--dreamdeck-spacing, 8px);
  }
  :host([theme='dark']) {
    --_bg: var(--dreamdeck-bg, #17151f);
    --_fg: var(--dreamdeck-fg, #ece9f5);
    --_muted: var(--dreamdeck-muted, #a8a3bb);
    --_surface: var(--dreamdeck-surface, #221f2e);
    --_border: var(--dreamdeck-border, #3a3549);
    --_accent: var(--dreamdeck-accent, #a48cff);
    --_accent-fg: var(--dreamdeck-accent-fg, #17151f);
    --_player-bg: var(--dreamdeck-player-bg, #2f2850);
    --_gm-bg: var(--dreamdeck-gm-bg, #1f1c29);
    --_danger: var(--dreamdeck-danger, #ffb4ab);
    --_danger-bg: var(--dreamdeck-danger-bg, #4a1d1a);
    --_focus: var(--dreamdeck-focus, #8ab4f8);
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light']):not([theme='dark'])) {
      --_bg: var(--dreamdeck-bg, #17151f);
      --_fg: var(--dreamdeck-fg, #ece9f5);
      --_muted: var(--dreamdeck-muted, #a8a3bb);
      --_surface: var(--dreamdeck-surface, #221f2e);
      --_border: var(--dreamdeck-border, #3a3549);
      --_accent: var(--dreamdeck-accent, #a48cff);
      --_accent-fg: var(--dreamdeck-accent-fg, #17151f);
      --_player-bg: var(--dreamdeck-player-bg, #2f2850);
      --_gm-bg: var(--dreamdeck-gm-bg, #1f1c29);
      --_danger: var(--dreamdeck-danger, #ffb4ab);
      --_danger-bg: var(--dreamdeck-danger-bg, #4a1d1a);
      --_focus: var(--dreamdeck-focus, #8ab4f8);
    }
  }
`;

/**
 * Buttons, icons, focus rings and the screen-reader-only helper shared by every element. (The only
 * animation, the streaming cursor, stops for `prefers-reduced-motion` in `<dreamdeck-message>`.)
 */
export const controlStyles = css`
  button,
  select,
  textarea,
  input {
    font: inherit;
    color: inherit;
  }
  textarea,
  input:not([type]) {
    flex: 1;
    min-width: 0;
    padding: 6px;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_bg);
    box-sizing: border-box;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_surface);
    border-radius: calc(var(--_radius) / 1.5);
    padding: calc(var(--_space) / 2) var(--_space);
    min-height: 32px;
    min-width: 32px;
  }
  button.primary {
    background: var(--_accent);
    color: var(--_accent-fg);
    border-color: var(--_accent);
  }
  button.icon {
    background: transparent;
    border-color: transparent;
  }
  svg.icon {
    width: 1.25em;
    vertical-align: middle;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .flip svg.icon {
    transform: scale(-1);
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button[aria-pressed='true'] {
    border-color: var(--_accent);
    color: var(--_accent);
  }
  :focus-visible {
    outline: 3px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
