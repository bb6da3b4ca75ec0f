import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { chatStyles } from './chat-styles.js';
import { ComposerController } from './composer-controller.js';
import { ConnectionController } from './connection-controller.js';
import './dreamdeck-message.js';
import {
  type ChatPanel,
  renderErrorBanner,
  renderHeader,
  renderInterrupt,
  renderLightbox,
  renderMemoryPanel,
  renderThreadsPanel,
  renderWorldPanel,
} from './chat-templates.js';
import type { DreamdeckThreadList, ThreadDetail } from './dreamdeck-thread-list.js';
import { loadMarkdown } from './markdown.js';
import { MessageLogController } from './message-log-controller.js';
import { type PreferenceChange, PreferencesController } from './preferences-controller.js';
import type { StoryImage } from './protocol.js';
import { StoryController } from './story-controller.js';
import { type DreamdeckStrings, type DreamdeckStringsOverride, loadLocale, resolveStrings } from './strings.js';
import { controlStyles, themeStyles } from './styles.js';
import { type PersistMode, ThreadPersistence } from './thread-persistence.js';
import { TurnController } from './turn-controller.js';

export type { ConnectionState, DreamdeckErrorDetail } from './connection-controller.js';
export type { PersistMode } from './thread-persistence.js';

/**
 * `<dreamdeck-chat>`: an AI game master's story chat for any page. It talks to a Dreamdeck server
 * over HTTP (see `docs/http.md`), streams narration as it arrives, and renders model and player
 * text as markdown that is safe by construction. Its state lives in controllers (connection,
 * thread persistence, the open story, preferences, turns); the thread list and the settings are
 * `<dreamdeck-thread-list>` and `<dreamdeck-settings>`.
 *
 * ```html
 * <script type="module" src="/dreamdeck-chat.js"></script>
 * <dreamdeck-chat endpoint="/api" theme="auto"></dreamdeck-chat>
 * ```
 *
 * @fires dreamdeck-message - a message finished (`detail: { message: StoryMessage }`), the player's own included
 * @fires dreamdeck-error - something failed (`detail: { code, message, retryable }`)
 * @fires dreamdeck-thread-change - another thread is open (`detail: { threadId, thread }`)
 *
 * @csspart container - the whole chat
 * @csspart header - the top bar
 * @csspart threads - the thread list panel (`<dreamdeck-thread-list>`)
 * @csspart settings - the settings panel (`<dreamdeck-settings>`)
 * @csspart memory - the Memory panel (`<dreamdeck-memory>`, loaded on demand: what the GM remembers)
 * @csspart world - the World panel (`<dreamdeck-world>`, loaded on demand: lore, author's note, imports)
 * @csspart connection - the connection state badge
 * @csspart messages - the scrolling message list
 * @csspart message - each `<dreamdeck-message>`
 * @csspart bubble - a message's box (exported from `<dreamdeck-message>`)
 * @csspart content - a message's markdown body
 * @csspart actions - a reply's action row
 * @csspart roll - a dice roll; `die` and `total` its chips
 * @csspart image - a storyboard image button
 * @csspart choice - a choice button
 * @csspart status - progress text ("Painting scene 2 of 3")
 * @csspart interrupt - the question the GM waits on, with its buttons
 * @csspart error - the error banner
 * @csspart composer - the input row
 * @csspart input - the text area
 * @csspart send-button - the send button
 * @csspart stop-button - the stop button
 * @csspart hints - the slash-command hints
 * @csspart manual-link - the player guide's link at the end of the hints (with `manual-url`)
 * @csspart search-results - a web search's result links (exported from `<dreamdeck-message>`)
 * @csspart lightbox - the enlarged image dialog
 *
 * @cssprop --dreamdeck-bg - background
 * @cssprop --dreamdeck-fg - text colour
 * @cssprop --dreamdeck-muted - secondary text
 * @cssprop --dreamdeck-surface - panels and buttons
 * @cssprop --dreamdeck-border - borders
 * @cssprop --dreamdeck-accent - accent (send button, totals, links)
 * @cssprop --dreamdeck-accent-fg - text on the accent
 * @cssprop --dreamdeck-player-bg - the player's bubbles
 * @cssprop --dreamdeck-gm-bg - the GM's bubbles
 * @cssprop --dreamdeck-danger - error text
 * @cssprop --dreamdeck-danger-bg - error banner background
 * @cssprop --dreamdeck-focus - focus ring
 * @cssprop --dreamdeck-font - font family
 * @cssprop --dreamdeck-font-mono - monospace font (dice, code)
 * @cssprop --dreamdeck-font-size - base font size
 * @cssprop --dreamdeck-radius - corner radius
 * @cssprop --dreamdeck-spacing - base spacing unit
 */
export class DreamdeckChat extends LitElement {
  /** Shadow-root styles; theme the element through the `--dreamdeck-*` custom properties and parts above. */
  static override styles = [themeStyles, controlStyles, chatStyles];

  static override properties: PropertyDeclarations = {
    endpoint: {},
    token: {},
    threadId: { attribute: 'thread-id', reflect: true },
    persona: {},
    theme: { reflect: true },
    locale: {},
    persist: {},
    manualUrl: { attribute: 'manual-url' },
    strings: { attribute: false },
    loading: { state: true, attribute: false },
    panel: { state: true, attribute: false },
    lightbox: { state: true, attribute: false },
  };

  /** Base URL of the Dreamdeck API, for example `/api` (required). */
  endpoint = '';
  /** A bearer token; without one the widget fetches a guest token (kept in `localStorage`). */
  token = '';
  /** Open this thread; else the last one opened here, else the newest, else a new one. */
  threadId = '';
  /** Persona for new threads (default: the user's preference, then the server's default). */
  persona = '';
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`). */
  theme: 'light' | 'dark' | 'auto' = 'auto';
  /** Language of the built-in strings (`en`, `de`; default the page's `lang`). */
  locale = '';
  /** Where the open thread id is kept: `local` (localStorage, default), `hash` (URL hash) or `none`. */
  persist: PersistMode = 'local';
  /** Address of the player guide (docs/user-manual.md as your site serves it): linked from the slash-command hints. */
  manualUrl = '';
  /** Replacement strings, merged over the locale's (`element.strings = { send: 'Go' }`). */
  strings: DreamdeckStringsOverride | undefined;

  private loading = true;
  private panel: ChatPanel | undefined;
  private lightbox: StoryImage | undefined;

  readonly #connection = new ConnectionController(
    this,
    () => this.text,
    () => void this.start(),
    () => void this.#story.reloadThread(),
  );
  readonly #persistence = new ThreadPersistence(this, (id) => {
    if (this.#connection.client && id !== this.threadId)
      void this.#story.openThread(id).catch((error) => this.#connection.fail(error, false));
  });
  readonly #story: StoryController = new StoryController(this, this.#connection, this.#persistence, () => this.stop());
  readonly #turns = new TurnController(
    this,
    this.#connection,
    this.#story,
    () => this.text,
    () => this.start(),
  );
  readonly #preferences = new PreferencesController(this, this.#connection, this.#story);
  readonly #composer = new ComposerController(this, this.#turns, this.#connection, this.#preferences);
  readonly #log = new MessageLogController(this, this.#story, this.#turns, this.#connection, this.#preferences, {
    choose: (text) => {
      void this.send(text);
      this.#composer.focusInput();
    },
    enlarge: (image) => {
      this.lightbox = image;
    },
  });
  private started = false;

  constructor() {
    super();
    this.addEventListener('keydown', this.onKeydown);
  }

  private get text(): DreamdeckStrings {
    return resolveStrings(this.localeTag, this.strings);
  }

  private get localeTag(): string {
    return this.locale || document.documentElement.lang || 'en';
  }

  override connectedCallback() {
    super.connectedCallback();
    if (this.started) return;
    this.started = true;
    // the markdown lexer is a file of its own: fetched now, beside the start-up requests
    void loadMarkdown();
    queueMicrotask(() => void this.start());
  }

  override willUpdate(changed: PropertyValues<this>) {
    // a shipped locale that is not built into this file (German) is loaded, then rendered
    if (changed.has('locale') || !this.hasUpdated)
      void loadLocale(this.localeTag).then((loaded) => loaded && this.requestUpdate());
  }

  override updated(changed: PropertyValues) {
    const dialog = this.renderRoot.querySelector('dialog');
    if (changed.has('lightbox') && this.lightbox && dialog && !dialog.open) dialog.showModal();
  }

  /**
   * Starts (or restarts) the session. Everything it needs goes out at once (issue 23: it was a chain
   * of round trips): with a stored token, the story to show (the `thread-id`, else the kept one),
   * the story list, personas, flags and input limit in parallel; a new guest first gets a token,
   * then starts its first story beside the rest (it has no stories to list). A stored guest token
   * the server refuses is replaced once and the start tried again.
   */
  private async start(renewed = false): Promise<void> {
    if (!this.endpoint) return;
    this.loading = true;
    const connection = this.#connection;
    const story = this.#story;
    try {
      const client = renewed ? connection.client! : await connection.connect({ check: false });
      const fresh = client.newGuest;
      const candidate = this.threadId || this.#persistence.readPersisted();
      const [threads, shown] = await Promise.all([
        fresh ? undefined : client.listThreads(),
        candidate ? story.openThread(candidate, { quiet: true }) : fresh && story.newThread().then(() => true),
        this.#preferences.loadPersonas(),
        this.#preferences.loadFlags(),
        connection.loadLimits(),
      ]);
      if (threads) story.set({ threads });
      if (!shown) {
        const first = threads?.find((thread) => thread.id !== candidate);
        if (!first || !(await story.openThread(first.id, { quiet: true }))) await story.newThread();
      }
      // the turn stream's parser, its own file: fetched now, before the player's first turn needs it
      void import('./turn-events.js').catch(() => undefined);
    } catch (error) {
      if (!renewed && (await connection.renew(error).catch(() => false))) return await this.start(true);
      connection.fail(error, true);
    } finally {
      this.loading = false;
    }
  }

  private onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    if (this.#turns.busy) {
      event.preventDefault();
      this.stop();
    } else if (this.renderRoot.querySelector<DreamdeckThreadList>('dreamdeck-thread-list')?.cancelEdit?.()) {
      // renaming or the delete question is left; the panel stays open
    } else if (this.panel) {
      this.panel = undefined;
    } else {
      this.#composer.clearCommand();
    }
  };

  /** Sends the player's text as a turn. Resolves when the turn's stream ends. */
  send(text: string): Promise<void> {
    return this.#turns.send(text);
  }

  /** Stops the running turn (Esc). The partial reply is kept, marked as stopped. */
  stop(): void {
    this.#turns.stop();
  }

  /** Runs `action` (a request whose failure goes to the banner without Retry), then focuses the input. */
  async #thenFocus(action: () => Promise<unknown>) {
    try {
      await action();
    } catch (error) {
      this.#connection.fail(error, false);
    }
    this.#composer.focusInput();
  }

  private togglePanel(panel: ChatPanel) {
    this.panel = this.panel === panel ? undefined : panel;
    if (this.panel === 'threads') void this.#story.refreshThreads();
    if (this.panel === 'settings') void this.#preferences.loadFlags();
    // its own file, fetched the first time the player opens it (the main bundle stays small)
    if (this.panel === 'memory') void import('./dreamdeck-memory.js');
    else if (this.panel === 'world') void import('./dreamdeck-world.js');
    // the story list and the settings likewise (one file for both)
    else if (this.panel) void import('./dreamdeck-panels.js');
  }

  private pickThread(event: CustomEvent<ThreadDetail>) {
    this.panel = undefined;
    void this.#thenFocus(() => this.#story.openThread(event.detail.threadId));
  }

  private startNewThread() {
    this.panel = undefined;
    this.stop();
    void this.#thenFocus(() => this.#story.newThread());
  }

  override render() {
    const s = this.text;
    const story = this.#story;
    const { thread, interrupt } = story;
    const { busy } = this.#turns;
    const { error, state } = this.#connection;
    const preferences = this.#preferences;
    return html`<div class="layout" part="container" lang=${this.locale || nothing}>
      <button class="skip" type="button" @click=${() => this.#composer.focusInput()}>${s.skipToInput}</button>
      ${renderHeader(s, thread?.title || s.untitled, state, this.panel, (panel) => this.togglePanel(panel))}
      ${renderThreadsPanel(s, story, this.panel === 'threads', busy, preferences.personas, {
        select: (event) => this.pickThread(event),
        create: () => this.startNewThread(),
        close: () => {
          this.panel = undefined;
        },
      })}
      <dreamdeck-settings
        part="settings"
        ?hidden=${this.panel !== 'settings'}
        .personas=${preferences.personas}
        .persona=${preferences.preferredPersona || thread?.persona || ''}
        .flags=${preferences.flags}
        .storyboards=${preferences.storyboards}
        .strings=${s}
        @dreamdeck-preference-change=${(event: CustomEvent<PreferenceChange>) => preferences.change(event.detail)}
      ></dreamdeck-settings>
      ${this.panel === 'memory' ? renderMemoryPanel(this.#connection.client, thread?.id, s, () => story.reloadThread()) : nothing}
      ${this.panel === 'world' ? renderWorldPanel(this.#connection.client, thread?.id, s, this.localeTag, () => this.#preferences.loadPersonas()) : nothing}
      ${this.#log.render(s, this.loading)}
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.#turns.announcement}</div>
      ${
        this.#turns.statusText
          ? html`<div class="status" part="status" role="status">${this.#turns.statusText}</div>`
          : nothing
      }
      ${
        interrupt
          ? renderInterrupt(
              interrupt,
              busy,
              s,
              (value) => {
                void this.#turns.answer(value);
                this.#composer.focusInput();
              },
              // dismissed: the question goes (writing on leaves it unanswered, as the server expects)
              () => {
                story.set({ interrupt: undefined });
                this.#composer.focusInput();
              },
            )
          : nothing
      }
      ${
        error
          ? renderErrorBanner(
              error,
              s,
              () => this.#turns.retry(),
              () => {
                this.#connection.set({ error: undefined });
                this.#composer.focusInput();
              },
            )
          : nothing
      }
      ${this.#composer.render(s, !!thread, this.loading)}
      ${renderLightbox(this.lightbox, s, () => {
        this.lightbox = undefined;
      })}
    </div>`;
  }
}

customElements.define('dreamdeck-chat', DreamdeckChat);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-chat': DreamdeckChat;
  }
}
