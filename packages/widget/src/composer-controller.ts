import { html, nothing, type TemplateResult } from 'lit';
import { ChatController, type ChatHost } from './chat-controller.js';
import type { ConnectionController } from './connection-controller.js';
import { icon, icons } from './icons.js';
import type { PreferencesController } from './preferences-controller.js';
import type { DreamdeckStrings } from './strings.js';
import type { TurnController } from './turn-controller.js';

/** Slash commands that need a feature: their hints are hidden while it is off. */
const COMMAND_FLAGS: Record<string, string> = {
  '/roll': 'diceRolling',
  '/search': 'webSearch',
  '/storyboard': 'imageGeneration',
};

let segmenter: Intl.Segmenter | undefined;

/**
 * The length of `text` as a person sees it (grapheme clusters: an emoji counts once), as the server
 * measures `input.maxLength`. Never more than `text.length`.
 */
export function visibleLength(text: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/**
 * The input row (`part="composer"`): the draft, Enter sends and Shift+Enter adds a line, slash
 * command hints while a command is typed (Tab completes the first), the server's input limit
 * (`data-max-length`), counted as the server counts it, in characters as a person sees them (no
 * `maxlength` attribute: browsers count UTF-16 units there, so it would cut 4,000 emoji at
 * 2,000); near the limit a counter (`part="counter"`) shows the length, and over it Send is
 * disabled. Send, or Stop while a turn runs.
 */
export class ComposerController extends ChatController<ComposerController> {
  /** The input's text. */
  draft = '';
  readonly #turns: TurnController;
  readonly #connection: ConnectionController;
  readonly #preferences: PreferencesController;

  /**
   * @param host - the chat
   * @param turns - sends and stops turns
   * @param connection - the input limit
   * @param preferences - the flags that hide hints
   */
  constructor(
    host: ChatHost,
    turns: TurnController,
    connection: ConnectionController,
    preferences: PreferencesController,
  ) {
    super(host);
    this.#turns = turns;
    this.#connection = connection;
    this.#preferences = preferences;
  }

  get #input(): HTMLTextAreaElement | null | undefined {
    return this.host.shadowRoot?.querySelector('textarea');
  }

  /** Before each render: words of a message that could not be sent come back into the input. */
  hostUpdate(): void {
    const returned = this.#turns.returned;
    if (returned === undefined) return;
    this.#turns.returned = undefined;
    this.draft = this.draft.trim() ? `${returned}\n${this.draft}` : returned;
  }

  /** Moves focus to the input once the host has rendered. */
  focusInput(): void {
    void this.host.updateComplete.then(() => this.#input?.focus());
  }

  /** Esc: clears a half-typed slash command; returns whether there was one. */
  clearCommand(): boolean {
    const command = this.draft.startsWith('/');
    if (command) this.set({ draft: '' });
    return command;
  }

  /**
   * The slash commands to offer while one is typed: those `strings.commands` describes, in their
   * order, that start with the draft, without those whose feature is off; none once the draft has
   * a space (the command is chosen).
   */
  #hints(strings: DreamdeckStrings): string[] {
    const draft = this.draft.toLowerCase();
    if (!draft.startsWith('/') || /\s/.test(draft)) return [];
    const flags = this.#preferences.flags.flags;
    return Object.keys(strings.commands).filter((command) => {
      const flag = COMMAND_FLAGS[command];
      return command.startsWith(draft) && (!flag || flags[flag] !== false);
    });
  }

  /** The player guide's link at the end of the hints, when the chat has a `manual-url`. */
  #manual(strings: DreamdeckStrings) {
    const url = (this.host as { manualUrl?: string }).manualUrl;
    return url
      ? html`<li><a class="manual" part="manual-link" href=${url} target="_blank" rel="noopener">${strings.manual} ↗</a></li>`
      : nothing;
  }

  #use(command: string) {
    this.set({ draft: `${command} ` });
    const input = this.#input;
    if (input) input.value = this.draft;
    this.focusInput();
  }

  /** The draft's length as the server counts it; `undefined` while it is well under the limit (not counted). */
  #length(): number | undefined {
    const max = this.#connection.inputMaxLength;
    // a grapheme is at least one UTF-16 unit: a draft this short cannot be near the limit
    return this.draft.length <= max * 0.9 ? undefined : visibleLength(this.draft);
  }

  #submit = (event: Event) => {
    event.preventDefault();
    const text = this.draft;
    if (!text.trim() || this.#turns.busy) return;
    if ((this.#length() ?? 0) > this.#connection.inputMaxLength) return;
    this.set({ draft: '' });
    const input = this.#input;
    if (input) input.value = '';
    this.focusInput();
    void this.#turns.send(text);
  };

  /**
   * The input row.
   *
   * @param strings - the strings
   * @param ready - a thread is open (else the input and Send are disabled)
   * @param loading - the chat is (re)starting: the input is disabled
   */
  render(strings: DreamdeckStrings, ready: boolean, loading: boolean): TemplateResult {
    const s = strings;
    const hints = this.#hints(s);
    const max = this.#connection.inputMaxLength;
    const length = this.#length();
    const over = length !== undefined && length > max;
    return html`<form class="composer" part="composer" @submit=${this.#submit}>
      ${
        hints.length
          ? html`<ul class="hints" part="hints" aria-label=${s.slashHints}>
              ${hints.map(
                (command) =>
                  html`<li>
                    <button type="button" @click=${() => this.#use(command)}>
                      <code>${command}</code><span>${s.commands[command] ?? ''}</span>
                    </button>
                  </li>`,
              )}
              ${this.#manual(s)}
            </ul>`
          : nothing
      }
      <textarea
        part="input"
        rows="1"
        data-max-length=${max}
        aria-invalid=${over ? 'true' : 'false'}
        aria-label=${s.inputLabel}
        placeholder=${s.inputPlaceholder}
        .value=${this.draft}
        ?disabled=${loading || !ready}
        @input=${(event: Event) => this.set({ draft: (event.target as HTMLTextAreaElement).value })}
        @keydown=${(event: KeyboardEvent) => {
          if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
            this.#submit(event);
          } else if (event.key === 'Tab' && !event.shiftKey) {
            // Tab completes the first hint (there are none once the draft has a space)
            const first = this.#hints(s)[0];
            if (first && first !== this.draft) {
              event.preventDefault();
              this.#use(first);
            }
          }
        }}
      ></textarea>
      ${
        length !== undefined && length > max * 0.9
          ? html`<span part="counter" role="status" style="align-self: center; font-size: 0.8em; white-space: nowrap; font-variant-numeric: tabular-nums; ${over ? 'color: var(--dreamdeck-danger, #b3261e); font-weight: 600;' : ''}">${length.toLocaleString()} / ${max.toLocaleString()}</span>`
          : nothing
      }
      ${
        this.#turns.busy
          ? html`<button type="button" part="stop-button" aria-label=${s.stop} title=${s.stop} @click=${() => {
              this.#turns.stop();
              this.focusInput();
            }}>${icon(icons.stop)}</button>`
          : html`<button type="submit" class="primary" part="send-button" aria-label=${s.send} title=${s.send} ?disabled=${!ready || over}>${icon(icons.send)}</button>`
      }
    </form>`;
  }
}
