import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { type CitationPart, type CiteDetail, citationStyles, renderCitations } from './citations.js';
import { diceStyles, renderDiceRoll } from './dice-roll.js';
import { emit } from './events.js';
import { iconButton, icons } from './icons.js';
import { loadMarkdown, markdownLoaded, renderMarkdown } from './markdown.js';
import { messageStyles } from './message-styles.js';
import type { PersonaInfo, StoryImage, StoryMessage } from './protocol.js';
import { renderSearchResults, searchResultStyles } from './search-results.js';
import { type DreamdeckStrings, en } from './strings.js';
import { controlStyles } from './styles.js';

/** Detail of `dreamdeck-feedback`. */
export interface FeedbackDetail {
  /** The GM reply rated. */
  messageId: string;
  /** 1 (thumbs up) or -1 (thumbs down). */
  value: 1 | -1;
  /** The player's comment: a rating fires without one, then fires again with it when the player submits one. */
  comment?: string;
}

/**
 * One story message: speaker, markdown body, dice chips, storyboard images, choices, and the
 * actions on a GM reply (copy, thumbs up/down with a comment, regenerate, earlier versions).
 * Used inside `<dreamdeck-chat>`, which listens for its events.
 *
 * @fires dreamdeck-feedback - thumbs up/down, with an optional comment ({@link FeedbackDetail})
 * @fires dreamdeck-regenerate - the player asks for a new version of this reply (`{ messageId }`)
 * @fires dreamdeck-choose - the player picked one of the offered choices (`{ text }`)
 * @fires dreamdeck-enlarge - the player clicked a storyboard image (`{ image }`)
 * @fires dreamdeck-select - show another version of this regenerated reply (`{ messageId, index }`)
 * @fires dreamdeck-continue - the player asks the GM to write on this reply (`{}`)
 * @fires dreamdeck-story-control - from the story tools: edit, rewind or branch (`{ action, messageId, text? }`)
 * @fires dreamdeck-cite - the player opened a cited passage; the chat fetches it ({@link CiteDetail})
 *
 * @csspart bubble - the message box
 * @csspart speaker - persona icon and name, or "You"
 * @csspart remembered - the mark on a message the GM took a fact from into its memory
 * @csspart content - the markdown body
 * @csspart roll - a dice roll; `die` and `total` its chips
 * @csspart die - one die of a roll
 * @csspart total - a roll's total
 * @csspart image - a storyboard image button
 * @csspart choice - a choice button
 * @csspart actions - the action row
 * @csspart citations - the knowledge-base sources under a GM reply; `citation` each, `passage` an opened one
 */
export class DreamdeckMessage extends LitElement {
  /** Shadow-root styles; style the message through the parts above (colours come from the chat's theme). */
  static override styles = [controlStyles, diceStyles, searchResultStyles, citationStyles, messageStyles];

  static override properties: PropertyDeclarations = {
    message: { attribute: false },
    persona: { attribute: false },
    strings: { attribute: false },
    regenerable: { type: Boolean },
    interactive: { type: Boolean },
    busy: { type: Boolean },
    feedback: { type: Number },
    roleName: { reflect: true, attribute: 'role-name' },
    copied: { state: true, attribute: false },
    commenting: { state: true, attribute: false },
    commentSent: { state: true, attribute: false },
    tools: { state: true, attribute: false },
    passages: { state: true, attribute: false },
  };

  /** The message to show. */
  message?: StoryMessage;
  /** The persona who speaks, for name and icon (not used for the player's own messages). */
  persona?: PersonaInfo | undefined;
  /** Strings to show. */
  strings: DreamdeckStrings = en;
  /** Shows the regenerate button (only the latest reply may be regenerated). */
  regenerable = false;
  /** Shows the choices as buttons (only on the latest reply). */
  interactive = false;
  /** Disables actions that start a turn while one runs. */
  busy = false;
  /** The feedback already given. */
  feedback = 0;
  /** Reflects the role for styling. */
  roleName = '';

  private copied = false;
  private commenting = false;
  private commentSent = false;
  /** The story tools (edit, rewind, branch) are open: `<dreamdeck-message-tools>`, loaded on demand. */
  private tools = false;
  /** Cited passages opened, by chunk id (`null` while loading). */
  private passages = new Map<string, string | null>();

  override connectedCallback() {
    super.connectedCallback();
    // text shown plain before the markdown lexer arrived is rendered again once it has
    if (!markdownLoaded()) void loadMarkdown().then(() => this.requestUpdate());
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('message')) {
      this.roleName = this.message?.role ?? '';
      const previous = changed.get('message') as StoryMessage | undefined;
      // another message in this element (the chat re-uses elements by position): forget this one's
      // state
      if (previous?.id !== this.message?.id || !previous) {
        this.copied = this.commenting = this.commentSent = this.tools = false;
        this.passages = new Map();
      }
    }
  }

  /** Opens a cited passage (the chat fetches it: `dreamdeck-cite`), or closes it. */
  #cite(citation: CitationPart) {
    const passages = new Map(this.passages);
    if (passages.delete(citation.chunkId)) {
      this.passages = passages;
      return;
    }
    this.passages = passages.set(citation.chunkId, null);
    const detail: CiteDetail = {
      citation,
      show: (text) => {
        if (this.passages.has(citation.chunkId))
          this.passages = new Map(this.passages).set(citation.chunkId, text ?? this.strings.passageGone);
      },
    };
    emit(this, 'dreamdeck-cite', detail);
  }

  override render() {
    const message = this.message;
    if (!message) return nothing;
    const s = this.strings;
    const shown = message;
    const parts = shown.parts ?? [];
    const isReply = message.role === 'assistant' && message.kind === 'narration';
    const speaker =
      message.role === 'user'
        ? s.you
        : `${this.persona?.icon ? `${this.persona.icon} ` : ''}${this.persona?.name ?? message.persona ?? s.gm}`;
    const images = parts.flatMap((part) => (part.type === 'image' ? [part.image] : []));
    const choices = parts.find((part) => part.type === 'choices');
    const saidOnce = message.role === 'tool' && !!shown.content.trim() && parts.some((part) => part.type === 'error');
    return html`<article class="bubble" part="bubble" aria-label=${speaker}>
      <div class="speaker" part="speaker">${speaker}</div>
      ${parts.some((part) => part.type === 'reset') ? html`<div class="reset">— ${s.chapterBreak} —</div>` : nothing}
      <div class="content ${shown.status === 'streaming' ? 'cursor' : ''} ${saidOnce ? 'error' : ''}" part="content">
        ${message.role === 'user' ? html`<p class="plain">${shown.content}</p>` : renderMarkdown(shown.content)}
      </div>
      ${parts.map((part) => (part.type === 'dice' ? renderDiceRoll(part.roll, s) : nothing))}
      ${renderSearchResults(parts, s.searchResults)}
      ${images.length ? html`<div class="images">${images.map((image) => this.renderImage(image))}</div>` : nothing}
      ${
        choices && this.interactive
          ? html`<div class="choices" role="group" aria-label=${s.choices}>
            ${choices.options.map(
              (option) =>
                html`<button part="choice" ?disabled=${this.busy} @click=${() => emit(this, 'dreamdeck-choose', { text: option })}>
                  ${option}
                </button>`,
            )}
          </div>`
          : nothing
      }
      ${
        // a command's answer that is an error (`/roll banana`) is said once, in red: its text is
        // the error (issue 21: it came twice, the second time with raw backticks)
        saidOnce
          ? nothing
          : parts.map((part) =>
              part.type === 'error'
                ? html`<div class="note error" role="note">${renderMarkdown(part.message)}</div>`
                : nothing,
            )
      }
      ${parts.some((part) => part.type === 'remembered') ? html`<div class="note" part="remembered">✓ ${s.remembered}</div>` : nothing}
      ${renderCitations(parts, s.sources, this.passages, (cite) => this.#cite(cite))}
      ${shown.status === 'aborted' ? html`<div class="note">${s.stopped}</div>` : nothing}
      ${shown.status === 'error' && !parts.some((part) => part.type === 'error') ? html`<div class="note error">${s.failed}</div>` : nothing}
      ${isReply && message.status !== 'streaming' ? this.renderActions(message, message.alternatives?.length ?? 0) : nothing}
      ${message.role === 'user' ? html`<div class="actions" part="actions">${this.renderTools()}</div>` : nothing}
    </article>`;
  }

  private renderImage(image: StoryImage) {
    return html`<button
      part="image"
      title=${this.strings.enlarge}
      aria-label=${`${this.strings.enlarge}: ${image.prompt}`}
      @click=${() => emit(this, 'dreamdeck-enlarge', { image })}
    >
      <img src=${image.url} alt=${image.prompt} loading="lazy" decoding="async" width="256" height="256" />
    </button>`;
  }

  private renderActions(message: StoryMessage, versions: number) {
    const s = this.strings;
    // versions in order; the shown one is number `alternativeIndex + 1` (absent: the newest, last)
    const position = Math.min(message.alternativeIndex ?? versions, versions) + 1;
    return html`<div class="actions" part="actions">
      ${iconButton(this.copied ? s.copied : s.copy, this.copied ? icons.check : icons.copy, () => this.copy())}
      ${iconButton(s.thumbsUp, icons.thumb, () => this.rate(1), { pressed: this.feedback === 1 })}
      ${iconButton(s.thumbsDown, icons.thumb, () => this.rate(-1), { pressed: this.feedback === -1, flip: true })}
      ${
        this.regenerable
          ? iconButton(
              s.regenerate,
              icons.regenerate,
              () => emit(this, 'dreamdeck-regenerate', { messageId: message.id }),
              {
                disabled: this.busy,
              },
            )
          : nothing
      }
      ${this.regenerable ? iconButton(s.continueReply, icons.continue, () => emit(this, 'dreamdeck-continue', {}), { disabled: this.busy }) : nothing}
      ${
        versions > 0
          ? html`${iconButton(s.previousVersion, icons.chevron, () => this.showVersion(position - 2), {
              disabled: position <= 1 || this.busy,
            })}
            <span>${position}/${versions + 1}</span>
            ${iconButton(s.nextVersion, icons.chevron, () => this.showVersion(position), {
              disabled: position > versions || this.busy,
              flip: true,
            })}`
          : nothing
      }
      ${this.renderTools()}
      ${this.commentSent ? html`<span class="note" role="status">${s.feedbackThanks}</span>` : nothing}
      ${
        this.commenting
          ? html`<form @submit=${this.sendComment}>
            <input name="comment" maxlength="2000" aria-label=${s.commentLabel} placeholder=${s.commentLabel} />
            <button type="submit">${s.commentSend}</button>
          </form>`
          : nothing
      }
    </div>`;
  }

  /** Asks the chat to show version `index` (0 = the first written) of this reply. */
  private showVersion(index: number) {
    if (this.message) emit(this, 'dreamdeck-select', { messageId: this.message.id, index });
  }

  /** The More button, and the story tools once it is pressed (their module loads on first use). */
  private renderTools() {
    const s = this.strings;
    return html`${iconButton(
      s.messageTools,
      icons.more,
      () => {
        this.tools = !this.tools;
        if (this.tools) void import('./dreamdeck-story-tools.js');
      },
      { expanded: this.tools, disabled: this.busy },
    )}
      ${
        this.tools && !this.busy
          ? html`<dreamdeck-message-tools .message=${this.message} .strings=${s} @dreamdeck-tools-close=${() => {
              this.tools = false;
              void this.updateComplete.then(() =>
                this.renderRoot.querySelector<HTMLElement>('[aria-expanded]')?.focus(),
              );
            }}></dreamdeck-message-tools>`
          : nothing
      }`;
  }

  private rate(value: 1 | -1) {
    if (!this.message) return;
    this.feedback = value;
    this.commenting = true;
    this.commentSent = false;
    emit(this, 'dreamdeck-feedback', { messageId: this.message.id, value } satisfies FeedbackDetail);
  }

  private sendComment(event: SubmitEvent) {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('comment') as HTMLInputElement;
    const comment = input.value.trim();
    if (this.message && (this.feedback === 1 || this.feedback === -1)) {
      const detail: FeedbackDetail = { messageId: this.message.id, value: this.feedback };
      if (comment) detail.comment = comment;
      emit(this, 'dreamdeck-feedback', detail);
    }
    this.commenting = false;
    this.commentSent = true;
  }

  private async copy() {
    const text = this.message?.content ?? '';
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // clipboard permission refused (or an insecure page): select-and-copy fallback
      const area = document.createElement('textarea');
      area.value = text;
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.append(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    this.copied = true;
    setTimeout(() => {
      this.copied = false;
    }, 1500);
  }
}

customElements.define('dreamdeck-message', DreamdeckMessage);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-message': DreamdeckMessage;
  }
}
