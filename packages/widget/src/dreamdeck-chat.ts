import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { DreamdeckApiError, DreamdeckClient } from './api-client.js';
import './dreamdeck-message.js';
import type { FeedbackDetail } from './dreamdeck-message.js';
import { apiPath, emit } from './events.js';
import { icon, iconButton, icons } from './icons.js';
import type {
  FlagsAnswer,
  InterruptEvent,
  LoadedMessage,
  PersonaInfo,
  StoryImage,
  StoryMessage,
  ThreadAnswer,
  ThreadRecord,
  TurnEvent,
} from './protocol.js';
import { applyTurnEvent, feedbackOf, regenerableId, settleStreaming } from './story-state.js';
import { type DreamdeckStrings, type DreamdeckStringsOverride, format, loadLocale, resolveStrings } from './strings.js';
import { controlStyles, themeStyles } from './styles.js';

/** Where `<dreamdeck-chat>` keeps the open thread id between visits. */
export type PersistMode = 'local' | 'hash' | 'none';

/** Connection state shown in the header. */
export type ConnectionState = 'online' | 'reconnecting' | 'offline';

/** Detail of `dreamdeck-error`. */
export interface DreamdeckErrorDetail {
  code: string;
  message: string;
  retryable: boolean;
}

/** How many messages are rendered at first and added per "older" step. */
const WINDOW_STEP = 40;
/** Messages fetched per page from the server. */
const PAGE_SIZE = 100;
const COMMAND_FLAGS: Record<string, string> = {
  '/roll': 'diceRolling',
  '/search': 'webSearch',
  '/storyboard': 'imageGeneration',
};

/** A thread being renamed or asked about before deleting, in the thread list. */
type ThreadEdit = { id: string; mode: 'rename' | 'delete' };

type LastAction =
  | { kind: 'send'; text: string }
  | { kind: 'resume'; interruptId: string; value: boolean | string }
  | { kind: 'regenerate'; messageId: string };

/**
 * `<dreamdeck-chat>`: an AI game master's story chat for any page. It talks to a Dreamdeck server
 * over HTTP (see `docs/http.md`), streams narration as it arrives, and renders model and player
 * text as markdown that is safe by construction.
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
 * @csspart threads - the thread list panel
 * @csspart settings - the settings panel
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
  static override styles = [
    themeStyles,
    controlStyles,
    css`
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
      header h2 {
        margin: 0;
        font-size: 1em;
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
      .panel {
        padding: var(--_space);
        border-bottom: 1px solid var(--_border);
        background: var(--_surface);
        max-height: 45%;
        overflow-y: auto;
      }
      .panel ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 4px;
      }
      .panel li,
      .panel form {
        display: flex;
        align-items: center;
        gap: 4px;
      }
      h2,
      .panel form,
      .panel span,
      .pick {
        flex: 1;
        min-width: 0;
      }
      h2,
      .pick {
        text-align: left;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      [aria-current='true'] {
        border-color: var(--_accent);
      }
      .panel label {
        display: flex;
        align-items: center;
        gap: 6px;
        margin: 4px 0;
      }
      .panel fieldset {
        border: 1px solid var(--_border);
        border-radius: 8px;
        margin: var(--_space) 0 0;
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
    `,
  ];

  static override properties: PropertyDeclarations = {
    endpoint: {},
    token: {},
    threadId: { attribute: 'thread-id', reflect: true },
    persona: {},
    theme: { reflect: true },
    locale: {},
    persist: {},
    strings: { attribute: false },
    messages: { state: true, attribute: false },
    windowStart: { state: true, attribute: false },
    hasMore: { state: true, attribute: false },
    thread: { state: true, attribute: false },
    threads: { state: true, attribute: false },
    personas: { state: true, attribute: false },
    flags: { state: true, attribute: false },
    preferredPersona: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    loading: { state: true, attribute: false },
    statusText: { state: true, attribute: false },
    interrupt: { state: true, attribute: false },
    error: { state: true, attribute: false },
    connection: { state: true, attribute: false },
    panel: { state: true, attribute: false },
    draft: { state: true, attribute: false },
    feedback: { state: true, attribute: false },
    lightbox: { state: true, attribute: false },
    announcement: { state: true, attribute: false },
    threadEdit: { state: true, attribute: false },
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
  /** Replacement strings, merged over the locale's (`element.strings = { send: 'Go' }`). */
  strings: DreamdeckStringsOverride | undefined;

  private messages: StoryMessage[] = [];
  private windowStart = 0;
  private hasMore = false;
  private thread: ThreadRecord | undefined;
  private threads: ThreadRecord[] = [];
  private personas: PersonaInfo[] = [];
  private flags: FlagsAnswer = { flags: {}, toggleable: [] };
  private preferredPersona = '';
  private busy = false;
  private loading = true;
  private statusText = '';
  private interrupt: InterruptEvent | undefined;
  private error: (DreamdeckErrorDetail & { retry: boolean }) | undefined;
  private connection: ConnectionState = 'online';
  private panel: 'threads' | 'settings' | undefined;
  private draft = '';
  private feedback = new Map<string, 1 | -1>();
  private lightbox: StoryImage | undefined;
  private announcement = '';
  private threadEdit: ThreadEdit | undefined;

  private get input(): HTMLTextAreaElement | null | undefined {
    return this.renderRoot?.querySelector<HTMLTextAreaElement>('textarea');
  }

  private get log(): HTMLElement | null | undefined {
    return this.renderRoot?.querySelector<HTMLElement>('.log');
  }

  private get dialog(): HTMLDialogElement | null | undefined {
    return this.renderRoot?.querySelector<HTMLDialogElement>('dialog');
  }

  private client: DreamdeckClient | undefined;
  private abort: AbortController | undefined;
  private lastAction: LastAction | undefined;
  private stickToBottom = true;
  private keepScroll: { height: number; top: number } | undefined;
  private loadingOlder = false;
  private started = false;

  private get text(): DreamdeckStrings {
    return resolveStrings(this.localeTag, this.strings);
  }

  private get localeTag(): string {
    return this.locale || document.documentElement.lang || 'en';
  }

  /** Loads a shipped locale that is not built into this file (German), then renders again. */
  private needLocale() {
    void loadLocale(this.localeTag).then((loaded) => loaded && this.requestUpdate());
  }

  override connectedCallback() {
    super.connectedCallback();
    this.needLocale();
    this.listen('addEventListener');
    if (this.started) return;
    this.started = true;
    queueMicrotask(() => void this.start());
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.listen('removeEventListener');
  }

  /** Adds or removes the element's keyboard listener and the window's network and hash listeners. */
  private listen(method: 'addEventListener' | 'removeEventListener') {
    this[method]('keydown', this.onKeydown as EventListener);
    window[method]('online', this.onOnline);
    window[method]('offline', this.onOffline);
    window[method]('hashchange', this.onHashChange);
  }

  override willUpdate(changed: PropertyValues<this>) {
    if (changed.has('locale')) this.needLocale();
    if ((changed.has('endpoint') || changed.has('token')) && this.started && this.client) {
      if (
        this.client.endpoint !== this.endpoint.replace(/\/+$/, '') ||
        (this.token && this.client.token !== this.token)
      )
        void this.start();
    }
  }

  override updated(changed: PropertyValues) {
    if (changed.has('messages') || changed.has('windowStart')) {
      const log = this.log;
      if (!log) return;
      if (this.keepScroll) {
        log.scrollTop = this.keepScroll.top + (log.scrollHeight - this.keepScroll.height);
        this.keepScroll = undefined;
      } else if (this.stickToBottom) {
        log.scrollTop = log.scrollHeight;
      }
    }
    if (changed.has('lightbox') && this.lightbox && this.dialog && !this.dialog.open) this.dialog.showModal();
    if (changed.has('threadEdit')) {
      // into the title field (selected, so typing replaces it) or onto Cancel; back to the story's
      // button once done (to the input when the story is gone)
      const before = changed.get('threadEdit') as ThreadEdit | undefined;
      const target = this.threadEdit
        ? this.renderRoot.querySelector<HTMLInputElement>('.editing input, .editing button:last-child')
        : before && this.renderRoot.querySelector<HTMLElement>(`[data-id="${CSS.escape(before.id)}"]`);
      (target ?? this.input)?.focus();
      if (this.threadEdit) (target as HTMLInputElement | null)?.select?.();
    }
  }

  /** Starts (or restarts) the session: token, thread, personas, flags. */
  private async start() {
    if (!this.endpoint) return;
    this.loading = true;
    this.client = new DreamdeckClient({
      endpoint: this.endpoint,
      token: this.token || undefined,
      onRetry: (attempt) => {
        this.connection = attempt === 0 ? 'online' : attempt < 0 ? 'offline' : 'reconnecting';
      },
    });
    try {
      await this.client.ensureToken();
      this.connection = 'online';
      const [threads] = await Promise.all([this.client.listThreads(), this.loadPersonas(), this.loadFlags()]);
      this.threads = threads;
      const wanted = this.threadId || this.readPersisted();
      const candidate = wanted || threads[0]?.id;
      if (!candidate || !(await this.openThread(candidate, { quiet: true }))) await this.newThread();
    } catch (error) {
      this.fail(error, true);
    } finally {
      this.loading = false;
    }
  }

  private async loadPersonas() {
    try {
      const answer = await this.client!.json<{ personas: PersonaInfo[] }>('GET', '/personas');
      this.personas = answer.personas ?? [];
    } catch {
      this.personas = [];
    }
  }

  private async loadFlags() {
    try {
      const answer = await this.client!.json<FlagsAnswer & { preferences?: { persona?: string } }>(
        'GET',
        '/preferences',
      );
      this.flags = { flags: answer.flags ?? {}, toggleable: answer.toggleable ?? [] };
      this.preferredPersona = answer.preferences?.persona ?? '';
    } catch {
      // flags are a nicety: the chat works without them (GET /preferences has what GET /flags has)
    }
  }

  /** Opens a thread by id; resolves false when it does not exist (or is not the caller's). */
  private async openThread(id: string, options: { quiet?: boolean } = {}): Promise<boolean> {
    if (this.busy) this.stop();
    try {
      const answer = await this.client!.json<ThreadAnswer>('GET', `${apiPath('threads', id)}?limit=${PAGE_SIZE * 2}`);
      this.thread = answer.thread;
      this.messages = answer.messages;
      this.feedback = feedbackOf(answer.messages);
      this.hasMore = answer.hasMore ?? false;
      this.windowStart = Math.max(0, answer.messages.length - WINDOW_STEP);
      // a question the GM still waits on (the page was reloaded before it was answered)
      this.interrupt = answer.interrupt ? { type: 'interrupt', ...answer.interrupt } : undefined;
      this.statusText = '';
      this.error = undefined;
      this.stickToBottom = true;
      this.setThreadId(answer.thread);
      return true;
    } catch (error) {
      if (error instanceof DreamdeckApiError && error.status === 404) {
        if (!options.quiet) this.fail(error, false);
        this.clearPersisted();
        return false;
      }
      throw error;
    }
  }

  private async newThread() {
    const persona = this.persona || undefined;
    const answer = await this.client!.json<{ thread: ThreadRecord }>('POST', '/threads', persona ? { persona } : {});
    this.thread = answer.thread;
    this.threads = [answer.thread, ...this.threads.filter((thread) => thread.id !== answer.thread.id)];
    this.messages = [];
    this.feedback = new Map();
    this.hasMore = false;
    this.windowStart = 0;
    this.interrupt = undefined;
    this.error = undefined;
    this.setThreadId(answer.thread);
  }

  private setThreadId(thread: ThreadRecord) {
    const changed = this.threadId !== thread.id;
    this.threadId = thread.id;
    this.writePersisted(thread.id);
    if (changed || !this.announcedThread) {
      this.announcedThread = true;
      emit(this, 'dreamdeck-thread-change', { threadId: thread.id, thread });
    }
  }
  private announcedThread = false;

  private get persistKey() {
    return `dreamdeck:thread:${this.endpoint}`;
  }

  private readPersisted(): string {
    try {
      if (this.persist === 'hash') return new URLSearchParams(location.hash.slice(1)).get('dreamdeck-thread') ?? '';
      if (this.persist === 'local') return localStorage.getItem(this.persistKey) ?? '';
    } catch {
      // storage blocked (private mode, sandboxed iframe)
    }
    return '';
  }

  private writePersisted(id: string) {
    try {
      if (this.persist === 'hash') {
        const params = new URLSearchParams(location.hash.slice(1));
        params.set('dreamdeck-thread', id);
        history.replaceState(history.state, '', `#${params.toString()}`);
      } else if (this.persist === 'local') {
        localStorage.setItem(this.persistKey, id);
      }
    } catch {
      // storage blocked
    }
  }

  private clearPersisted() {
    try {
      if (this.persist === 'local') localStorage.removeItem(this.persistKey);
    } catch {
      // storage blocked
    }
  }

  private onHashChange = () => {
    if (this.persist !== 'hash' || !this.client) return;
    const id = this.readPersisted();
    if (id && id !== this.threadId) void this.openThread(id).catch((error) => this.fail(error, false));
  };

  private onOnline = () => {
    if (this.connection !== 'online') {
      this.connection = 'online';
      if (this.thread) void this.reloadThread();
    }
  };

  private onOffline = () => {
    this.connection = 'offline';
  };

  private onKeydown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    if (this.busy) {
      event.preventDefault();
      this.stop();
    } else if (this.threadEdit) {
      this.threadEdit = undefined;
    } else if (this.panel) {
      this.panel = undefined;
    } else if (this.draft.startsWith('/')) {
      this.draft = '';
    }
  };

  /** Sends the player's text as a turn. Resolves when the turn's stream ends. */
  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed || this.busy || !this.thread) return;
    const local: StoryMessage = {
      id: `local-${Date.now().toString(36)}`,
      threadId: this.thread.id,
      role: 'user',
      kind: 'player',
      content: trimmed,
      createdAt: new Date().toISOString(),
      status: 'complete',
    };
    this.messages = [...this.messages, local];
    this.stickToBottom = true;
    emit(this, 'dreamdeck-message', { message: local });
    this.lastAction = { kind: 'send', text: trimmed };
    await this.run(apiPath('threads', this.thread.id, 'turns'), { text: trimmed });
  }

  /** Stops the running turn (Esc). The partial reply is kept, marked as stopped. */
  stop(): void {
    this.abort?.abort();
  }

  private async run(path: string, body: unknown) {
    const client = this.client;
    if (!client || !this.thread) return;
    const threadId = this.thread.id;
    const abort = new AbortController();
    this.abort = abort;
    this.busy = true;
    this.error = undefined;
    this.interrupt = undefined;
    this.statusText = this.text.thinking;
    try {
      await client.stream(path, body, (event) => this.onTurnEvent(event, threadId), abort.signal);
      this.connection = 'online';
    } catch (error) {
      if (!abort.signal.aborted) {
        const network = error instanceof DreamdeckApiError && error.status === 0;
        this.fail(error, true);
        if (network) void this.reloadThread();
      }
    } finally {
      this.messages = settleStreaming(this.messages);
      if (this.abort === abort) this.abort = undefined;
      this.busy = false;
      this.statusText = '';
    }
  }

  private onTurnEvent(event: TurnEvent, threadId: string) {
    if (this.thread?.id !== threadId) return;
    switch (event.type) {
      case 'status':
        this.statusText = event.text;
        return;
      case 'interrupt':
        this.interrupt = event;
        this.statusText = '';
        return;
      case 'error':
        this.fail(new DreamdeckApiError(event.code, event.message, event.retryable ? 503 : 400), event.retryable);
        return;
      case 'turn-end':
        this.statusText = '';
        if (this.thread && this.thread.title === '' && this.messages.length) void this.refreshThreads();
        return;
      case 'message-start':
        this.statusText = '';
        break;
      case 'message-end': {
        const message = event.message;
        if (message.role !== 'user' && message.content) this.announcement = message.content.slice(0, 600);
        emit(this, 'dreamdeck-message', { message });
        break;
      }
    }
    this.messages = applyTurnEvent(this.messages, event, threadId);
  }

  private async refreshThreads() {
    try {
      this.threads = await this.client!.listThreads();
      const current = this.threads.find((thread) => thread.id === this.thread?.id);
      if (current) this.thread = current;
    } catch {
      // the list is refreshed again next time
    }
  }

  /** Reloads the open thread from the server (after a dropped stream, or coming back online). */
  private async reloadThread() {
    if (!this.thread) return;
    try {
      await this.openThread(this.thread.id, { quiet: true });
      this.connection = 'online';
    } catch (error) {
      this.fail(error, true);
    }
  }

  private fail(error: unknown, retry: boolean) {
    const detail: DreamdeckErrorDetail =
      error instanceof DreamdeckApiError
        ? {
            code: error.code,
            message:
              error.code === 'RATE_LIMITED' && error.retryAfterMs
                ? format(this.text.errorRateLimited, { seconds: Math.ceil(error.retryAfterMs / 1000) })
                : error.code === 'NETWORK'
                  ? this.text.offline
                  : error.message || this.text.errorGeneric,
            retryable: error.retryable,
          }
        : { code: 'INTERNAL', message: this.text.errorGeneric, retryable: true };
    if (error instanceof DreamdeckApiError && error.status === 0) this.connection = 'offline';
    this.error = { ...detail, retry: retry && detail.retryable !== false };
    emit(this, 'dreamdeck-error', detail);
  }

  private async retry() {
    const action = this.lastAction;
    this.error = undefined;
    if (!this.client?.token || !this.thread) {
      await this.start();
      return;
    }
    await this.reloadThread();
    if (this.error || !action || !this.thread) return;
    if (action.kind === 'resume') {
      await this.run(apiPath('threads', this.thread.id, 'resume'), {
        interruptId: action.interruptId,
        value: action.value,
      });
      return;
    }
    // the server keeps the player's message of a failed turn: write the reply again instead of resending
    const last = this.messages[this.messages.length - 1];
    const replyId = regenerableId(this.messages);
    if (action.kind === 'send' && last?.role === 'user' && last.content === action.text) {
      this.lastAction = action;
      const previous = this.messages.slice(0, -1);
      this.messages = previous;
      await this.send(action.text);
    } else if (replyId) {
      await this.regenerate(replyId);
    } else if (action.kind === 'send') {
      await this.send(action.text);
    }
  }

  private async regenerate(messageId: string) {
    if (!this.thread || this.busy) return;
    this.lastAction = { kind: 'regenerate', messageId };
    await this.run(apiPath('threads', this.thread.id, 'messages', messageId, 'regenerate'), {});
  }

  private async answer(value: boolean | string) {
    const interrupt = this.interrupt;
    if (!interrupt || !this.thread) return;
    this.lastAction = { kind: 'resume', interruptId: interrupt.interruptId, value };
    const run = this.run(apiPath('threads', this.thread.id, 'resume'), {
      interruptId: interrupt.interruptId,
      value,
    });
    this.focusInput();
    await run;
  }

  private async onFeedback(event: CustomEvent<FeedbackDetail>) {
    const { messageId, value, comment } = event.detail;
    if (!this.thread) return;
    this.feedback = new Map(this.feedback).set(messageId, value);
    try {
      await this.client!.json(
        'POST',
        apiPath('threads', this.thread.id, 'messages', messageId, 'feedback'),
        comment ? { value, comment } : { value },
      );
    } catch (error) {
      this.fail(error, false);
    }
  }

  private focusInput() {
    void this.updateComplete.then(() => this.input?.focus());
  }

  private onSubmit(event: Event) {
    event.preventDefault();
    const text = this.draft;
    if (!text.trim() || this.busy) return;
    this.draft = '';
    if (this.input) this.input.value = '';
    this.focusInput();
    void this.send(text);
  }

  private onInputKeydown(event: KeyboardEvent) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.onSubmit(event);
    } else if (event.key === 'Tab' && !event.shiftKey) {
      // Tab completes the first hint (there are none once the draft has a space)
      const first = this.hintList()[0];
      if (first && first !== this.draft) {
        event.preventDefault();
        this.useHint(first);
      }
    }
  }

  private onInput(event: Event) {
    this.draft = (event.target as HTMLTextAreaElement).value;
  }

  private hintList(): string[] {
    const draft = this.draft;
    if (!draft.startsWith('/') || /\s/.test(draft)) return [];
    // the commands are the ones the strings describe (`strings.commands`), in their order
    return Object.keys(this.text.commands).filter((command) => {
      const flag = COMMAND_FLAGS[command];
      return command.startsWith(draft.toLowerCase()) && (!flag || this.flags.flags[flag] !== false);
    });
  }

  private useHint(command: string) {
    this.draft = `${command} `;
    if (this.input) this.input.value = this.draft;
    this.focusInput();
  }

  private onScroll() {
    const log = this.log;
    if (!log) return;
    this.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    if (log.scrollTop < 120) void this.showOlder();
  }

  /** Renders older messages: first the ones already loaded, then a page from the server. */
  private async showOlder() {
    if (this.loadingOlder) return;
    const log = this.log;
    if (this.windowStart > 0) {
      this.keepScroll = log ? { height: log.scrollHeight, top: log.scrollTop } : undefined;
      this.windowStart = Math.max(0, this.windowStart - WINDOW_STEP);
      return;
    }
    if (!this.hasMore || !this.thread || !this.client) return;
    const first = this.messages.find((message) => !message.id.startsWith('local-'));
    if (!first) return;
    this.loadingOlder = true;
    try {
      const answer = await this.client.json<{ messages: LoadedMessage[]; hasMore: boolean }>(
        'GET',
        `${apiPath('threads', this.thread.id, 'messages')}?limit=${PAGE_SIZE}&before=${encodeURIComponent(first.id)}`,
      );
      this.keepScroll = log ? { height: log.scrollHeight, top: log.scrollTop } : undefined;
      this.messages = [...answer.messages, ...this.messages];
      this.feedback = feedbackOf(answer.messages, this.feedback);
      this.hasMore = answer.hasMore;
      this.windowStart = Math.max(0, answer.messages.length - WINDOW_STEP);
    } catch (error) {
      this.fail(error, false);
    } finally {
      this.loadingOlder = false;
    }
  }

  private togglePanel(panel: 'threads' | 'settings') {
    this.panel = this.panel === panel ? undefined : panel;
    if (this.panel === 'threads') void this.refreshThreads();
    if (this.panel === 'settings') void this.loadFlags();
  }

  private async pickThread(id: string) {
    this.panel = undefined;
    try {
      await this.openThread(id);
    } catch (error) {
      this.fail(error, false);
    }
    this.focusInput();
  }

  private async renameThread(event: Event, id: string) {
    event.preventDefault();
    const title = String(new FormData(event.target as HTMLFormElement).get('title') ?? '').trim();
    this.threadEdit = undefined;
    if (!title) return;
    try {
      const { thread } = await this.client!.json<{ thread: ThreadRecord }>('PATCH', apiPath('threads', id), { title });
      this.threads = this.threads.map((other) => (other.id === id ? thread : other));
      if (this.thread?.id === id) this.thread = thread;
    } catch (error) {
      this.fail(error, false);
    }
  }

  private async deleteThread(id: string) {
    this.threadEdit = undefined;
    try {
      await this.client!.json('DELETE', apiPath('threads', id));
      this.threads = this.threads.filter((thread) => thread.id !== id);
      if (this.thread?.id === id) {
        this.clearPersisted();
        const next = this.threads[0];
        if (!next || !(await this.openThread(next.id, { quiet: true }))) await this.newThread();
      }
    } catch (error) {
      this.fail(error, false);
    }
  }

  private async startNewThread() {
    this.panel = undefined;
    if (this.busy) this.stop();
    try {
      await this.newThread();
    } catch (error) {
      this.fail(error, false);
    }
    this.focusInput();
  }

  private async setPersona(persona: string) {
    try {
      await this.client!.json('PATCH', '/preferences', { persona });
      this.preferredPersona = persona;
      if (this.thread && this.messages.length === 0) {
        const answer = await this.client!.json<{ thread: ThreadRecord }>('PATCH', apiPath('threads', this.thread.id), {
          persona,
        });
        this.thread = answer.thread;
      }
    } catch (error) {
      this.fail(error, false);
    }
  }

  private async setFlag(name: string, value: boolean) {
    try {
      const answer = await this.client!.json<FlagsAnswer>('PATCH', '/preferences', { flags: { [name]: value } });
      this.flags = { flags: answer.flags ?? this.flags.flags, toggleable: answer.toggleable ?? this.flags.toggleable };
    } catch (error) {
      this.fail(error, false);
      void this.loadFlags();
    }
  }

  private personaOf(id: string | undefined): PersonaInfo | undefined {
    return this.personas.find((persona) => persona.id === (id ?? this.thread?.persona));
  }

  override render() {
    const s = this.text;
    const visible = this.messages.slice(this.windowStart);
    const replyId = this.busy ? undefined : regenerableId(this.messages);
    const lastId = this.messages[this.messages.length - 1]?.id;
    const hints = this.hintList();
    // the states are named like their strings
    const connectionLabel = s[this.connection];
    return html`<div class="layout" part="container" lang=${this.locale || nothing}>
      <header part="header">
        ${iconButton(s.threads, icons.menu, () => this.togglePanel('threads'), { expanded: this.panel === 'threads' })}
        <h2>${this.thread?.title || s.untitled}</h2>
        <span class="connection ${this.connection}" part="connection" role="status">${connectionLabel}</span>
        ${iconButton(s.settings, icons.settings, () => this.togglePanel('settings'), {
          expanded: this.panel === 'settings',
        })}
      </header>
      <nav class="panel" part="threads" aria-label=${s.threads} ?hidden=${this.panel !== 'threads'}>
        <button class="primary" @click=${this.startNewThread}>${icon(icons.plus)} ${s.newThread}</button>
        <ul>
          ${this.threads.map((thread) => this.renderThread(thread, s))}
        </ul>
      </nav>
      <section class="panel" part="settings" aria-label=${s.settings} ?hidden=${this.panel !== 'settings'}>
        ${this.renderSettings(s)}
      </section>
      <div class="log" part="messages" role="region" aria-label=${s.title} tabindex="0" @scroll=${this.onScroll}>
        ${
          this.windowStart > 0 || this.hasMore
            ? html`<button class="older" @click=${() => this.showOlder()}>${s.loadOlder}</button>`
            : nothing
        }
        ${this.loading ? html`<p class="status">${s.loading}</p>` : nothing}
        ${visible.map(
          // an element may show another message after a re-render: it resets its own state then
          (message) =>
            html`<dreamdeck-message
              part="message"
              exportparts="bubble, speaker, content, actions, roll, die, total, image, choice"
              .message=${message}
              .strings=${s}
              .persona=${this.personaOf(message.persona)}
              .feedback=${this.feedback.get(message.id) ?? 0}
              ?regenerable=${message.id === replyId}
              ?interactive=${message.id === lastId && !this.interrupt}
              ?busy=${this.busy}
              @dreamdeck-feedback=${this.onFeedback}
              @dreamdeck-regenerate=${(event: CustomEvent<{ messageId: string }>) => this.regenerate(event.detail.messageId)}
              @dreamdeck-choose=${(event: CustomEvent<{ text: string }>) => {
                void this.send(event.detail.text);
                this.focusInput();
              }}
              @dreamdeck-enlarge=${(event: CustomEvent<{ image: StoryImage }>) => {
                this.lightbox = event.detail.image;
              }}
            ></dreamdeck-message>`,
        )}
      </div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">${this.announcement}</div>
      ${this.statusText ? html`<div class="status" part="status" role="status">${this.statusText}</div>` : nothing}
      ${this.interrupt ? this.renderInterrupt(this.interrupt, s) : nothing}
      ${
        this.error
          ? html`<div class="error" part="error" role="alert">
            <span>${this.error.message}</span>
            ${this.error.retry ? html`<button @click=${this.retry}>${s.retry}</button>` : nothing}
            ${iconButton(s.dismiss, icons.close, () => {
              this.error = undefined;
              this.focusInput();
            })}
          </div>`
          : nothing
      }
      <form class="composer" part="composer" @submit=${this.onSubmit}>
        ${
          hints.length
            ? html`<ul class="hints" part="hints" aria-label=${s.slashHints}>
              ${hints.map(
                (command) =>
                  html`<li>
                    <button type="button" @click=${() => this.useHint(command)}>
                      <code>${command}</code><span>${s.commands[command] ?? ''}</span>
                    </button>
                  </li>`,
              )}
            </ul>`
            : nothing
        }
        <textarea
          part="input"
          rows="1"
          maxlength="4000"
          aria-label=${s.inputLabel}
          placeholder=${s.inputPlaceholder}
          .value=${this.draft}
          ?disabled=${this.loading || !this.thread}
          @input=${this.onInput}
          @keydown=${this.onInputKeydown}
        ></textarea>
        ${
          this.busy
            ? html`<button type="button" part="stop-button" aria-label=${s.stop} title=${s.stop} @click=${() => {
                this.stop();
                this.focusInput();
              }}>${icon(icons.stop)}</button>`
            : html`<button type="submit" class="primary" part="send-button" aria-label=${s.send} title=${s.send} ?disabled=${!this.thread}>${icon(icons.send)}</button>`
        }
      </form>
      <dialog part="lightbox" aria-label=${this.lightbox?.prompt ?? ''} @close=${() => {
        this.lightbox = undefined;
      }}>
        ${
          this.lightbox
            ? html`<img src=${this.lightbox.url} alt=${this.lightbox.prompt} />
              <p>${this.lightbox.prompt}</p>`
            : nothing
        }
        <form method="dialog"><button autofocus>${s.close}</button></form>
      </dialog>
    </div>`;
  }

  private renderThread(thread: ThreadRecord, s: DreamdeckStrings) {
    const title = thread.title || s.untitled;
    const mode = this.threadEdit?.id === thread.id ? this.threadEdit.mode : undefined;
    const cancel = html`<button type="button" @click=${() => (this.threadEdit = undefined)}>${s.cancel}</button>`;
    if (mode === 'rename')
      return html`<li class="editing">
        <form @submit=${(event: Event) => this.renameThread(event, thread.id)}>
          <input name="title" required maxlength="200" aria-label=${s.threadTitle} .value=${thread.title} />
          <button type="submit" class="primary">${s.save}</button>
          ${cancel}
        </form>
      </li>`;
    if (mode === 'delete') {
      const question = format(s.deleteConfirm, { title });
      return html`<li class="editing" role="group" aria-label=${question}>
        <span>${question}</span>
        <button class="primary" @click=${() => this.deleteThread(thread.id)}>${s.delete}</button>
        ${cancel}
      </li>`;
    }
    const current = thread.id === this.thread?.id;
    return html`<li>
      <button class="pick" data-id=${thread.id} aria-current=${current} @click=${() => this.pickThread(thread.id)}>
        ${this.personaOf(thread.persona)?.icon ?? ''} ${title}
      </button>
      ${iconButton(`${s.rename}: ${title}`, icons.rename, () => (this.threadEdit = { id: thread.id, mode: 'rename' }))}
      ${iconButton(`${s.delete}: ${title}`, icons.delete, () => (this.threadEdit = { id: thread.id, mode: 'delete' }), {
        // the server refuses to delete a story while its turn runs
        disabled: current && this.busy,
      })}
    </li>`;
  }

  private renderInterrupt(interrupt: InterruptEvent, s: DreamdeckStrings) {
    const options = interrupt.options ?? [];
    return html`<div class="interrupt" part="interrupt" role="group" aria-label=${interrupt.prompt}>
      <p>${interrupt.prompt}</p>
      ${
        interrupt.kind === 'approve-storyboard'
          ? html`${options.length ? html`<ul>${options.map((option) => html`<li>${option}</li>`)}</ul>` : nothing}
            <div class="buttons">
              <button class="primary" ?disabled=${this.busy} @click=${() => this.answer(true)}>${s.approve}</button>
              <button ?disabled=${this.busy} @click=${() => this.answer(false)}>${s.skip}</button>
            </div>`
          : html`<div class="buttons">
            ${options.map((option) => html`<button ?disabled=${this.busy} @click=${() => this.answer(option)}>${option}</button>`)}
          </div>`
      }
    </div>`;
  }

  private renderSettings(s: DreamdeckStrings) {
    const current = this.preferredPersona || this.thread?.persona || '';
    return html`${
      this.personas.length
        ? html`<label
          >${s.persona}
          <select @change=${(event: Event) => this.setPersona((event.target as HTMLSelectElement).value)}>
            ${this.personas.map(
              (persona) =>
                html`<option value=${persona.id} ?selected=${persona.id === current}>
                  ${persona.icon ?? ''} ${persona.name}
                </option>`,
            )}
          </select></label
        >`
        : nothing
    }
      <fieldset>
        <legend>${s.flags}</legend>
        ${Object.entries(this.flags.flags).map(([name, value]) => {
          const toggleable = this.flags.toggleable.includes(name);
          return html`<label>
            <input
              type="checkbox"
              name=${name}
              .checked=${value}
              ?disabled=${!toggleable}
              @change=${(event: Event) => this.setFlag(name, (event.target as HTMLInputElement).checked)}
            />
            ${s.flagNames[name] ?? name}
          </label>`;
        })}
      </fieldset>`;
  }
}

customElements.define('dreamdeck-chat', DreamdeckChat);

declare global {
  interface HTMLElementTagNameMap {
    'dreamdeck-chat': DreamdeckChat;
  }
}
