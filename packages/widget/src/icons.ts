import { html, nothing, svg, type TemplateResult } from 'lit';

/**
 * Path data of the widgets' icons: 24 × 24, drawn with a 2 px round stroke (see `controlStyles`).
 * SVG rather than emoji or symbol characters, which many systems (Debian's Chromium without an
 * emoji font, for one) show as empty boxes.
 */
export const icons = {
  menu: 'M4 6h16M4 12h16M4 18h16',
  settings: 'M4 8h16M4 16h16M9 5v6M15 13v6',
  plus: 'M12 5v14M5 12h14',
  close: 'M6 6l12 12M18 6 6 18',
  stop: 'M7 7h10v10H7z',
  send: 'M5 12h14M13 6l6 6-6 6',
  copy: 'M9 9h11v11H9zM5 15H4V4h11v1',
  check: 'M5 12l5 5L20 7',
  /** Thumbs up; flipped, thumbs down. */
  thumb: 'M7 10v10H4V10zm0 0 4-7c2 0 3 1 2.5 3L13 10h6l-2 10H7',
  regenerate: 'M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5',
  /** Previous; flipped, next. */
  chevron: 'M15 6l-6 6 6 6',
  rename: 'M4 20h4L20 8l-4-4L4 16z',
  delete: 'M4 7h16M6 7l1 13h10l1-13M9 7V4h6v3',
  /** A bookmark: what the GM remembers. */
  memory: 'M6 4h12v16l-6-4-6 4z',
  /** A globe: the World panel (lore, the author's note, imports). */
  world: 'M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  /** More actions (three dots). */
  more: 'M5 12h.01M12 12h.01M19 12h.01',
  /** Continue: an arrow on to a bar. */
  continue: 'M4 12h11M11 7l5 5-5 5M20 5v14',
} as const;

/**
 * An icon: one stroked path in the shared 24 × 24 `<svg>` wrapper, hidden from assistive
 * technology (the control it sits in carries the label).
 *
 * @param path - path data, usually one of {@link icons}
 */
export function icon(path: string): TemplateResult {
  return html`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${svg`<path d=${path} />`}</svg>`;
}

/** Options of {@link iconButton}. */
export interface IconButtonOptions {
  /** `aria-pressed`, for a toggle. */
  pressed?: boolean;
  /** `aria-expanded`, for a button that opens and closes a panel. */
  expanded?: boolean;
  disabled?: boolean;
  /** Mirrors the icon: thumbs down from thumbs up, next from previous. */
  flip?: boolean;
}

/**
 * A borderless button showing only an icon, labelled for screen readers and, as a tooltip, for
 * everyone else.
 *
 * @param label - the accessible name and tooltip
 * @param path - the icon's path data, usually one of {@link icons}
 * @param onClick - the click handler (Enter and Space click a button too)
 * @param options - toggle state, disabled, mirrored icon
 */
export function iconButton(
  label: string,
  path: string,
  onClick: (event: Event) => void,
  options: IconButtonOptions = {},
): TemplateResult {
  return html`<button
    type="button"
    class="icon ${options.flip ? 'flip' : ''}"
    aria-label=${label}
    title=${label}
    aria-pressed=${options.pressed ?? nothing}
    aria-expanded=${options.expanded ?? nothing}
    ?disabled=${options.disabled}
    @click=${onClick}
  >
    ${icon(path)}
  </button>`;
}
