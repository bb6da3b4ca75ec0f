import { html, nothing, type TemplateResult } from 'lit';
import { ChatController, type ChatHost } from './chat-controller.js';
import { type CiteDetail, loadPassage } from './citations.js';
import type { ConnectionController } from './connection-controller.js';
import type { FeedbackDetail } from './dreamdeck-message.js';
import type { StoryControlDetail } from './dreamdeck-story-tools.js';
import type { PreferencesController } from './preferences-controller.js';
import type { PersonaInfo, StoryImage, StoryMessage } from './protocol.js';
import type { StoryController } from './story-controller.js';
import { regenerableId } from './story-state.js';
import type { DreamdeckStrings } from './strings.js';
import type { TurnController } from './turn-controller.js';

/** What {@link MessageLogController} reads from its element. */
export type MessageLogHost = ChatHost & {
  /** The open thread's id (the `thread-id` attribute): cited passages are fetched for it. */
  threadId: string;
};

/** What the log asks its element to do for a message's events. */
export interface MessageLogActions {
  /** The player picked one of a reply's choices. */
  choose(text: string): void;
  /** The player clicked a storyboard image. */
  enlarge(image: StoryImage): void;
}

/**
 * The message log (`part="messages"`): the window of rendered `<dreamdeck-message>`s with their
 * events, "Show older messages" and paging as the player scrolls up, keeping the log at its newest
 * message while it sticks there, and roving focus (issue 21: the list is one Tab stop; the arrow
 * keys, Home and End move between messages).
 */
export class MessageLogController extends ChatController<MessageLogController> {
  declare readonly host: MessageLogHost;
  readonly #story: StoryController;
  readonly #turns: TurnController;
  readonly #connection: ConnectionController;
  readonly #preferences: PreferencesController;
  readonly #actions: MessageLogActions;
  /** The message list and window the log was last scrolled for. */
  #scrolledFor: [StoryMessage[], number] = [[], 0];
  /** The message that is the list's Tab stop (roving focus); `undefined`: the newest. */
  #activeId: string | undefined;
  /** Where the chat last scrolled the log itself (to the newest message). */
  #pinnedTop: number | undefined;
  /** Follows the rendered messages' sizes: keeps the log at its newest message while it sticks there. */
  readonly #resizes =
    typeof ResizeObserver === 'function'
      ? new ResizeObserver(() => {
          const log = this.#log;
          if (log && this.#story.stickToBottom && !this.#story.keepScroll) this.#scrollToBottom(log);
        })
      : undefined;

  /**
   * @param host - the chat
   * @param story - the messages, their window and the scroll state
   * @param turns - regenerate, continue, send again; `busy`
   * @param connection - the client that fetches cited passages
   * @param preferences - the personas that speak
   * @param actions - what the chat does for a choice and an image
   */
  constructor(
    host: MessageLogHost,
    story: StoryController,
    turns: TurnController,
    connection: ConnectionController,
    preferences: PreferencesController,
    actions: MessageLogActions,
  ) {
    super(host);
    this.#story = story;
    this.#turns = turns;
    this.#connection = connection;
    this.#preferences = preferences;
    this.#actions = actions;
  }

  get #log(): HTMLElement | null | undefined {
    return this.host.shadowRoot?.querySelector<HTMLElement>('.log');
  }

  /** After each render: keeps the view still above older messages, or follows the newest one. */
  hostUpdated(): void {
    const { messages, windowStart, keepScroll, stickToBottom } = this.#story;
    const [scrolledMessages, scrolledStart] = this.#scrolledFor;
    const log = this.#log;
    if (!log || (messages === scrolledMessages && windowStart === scrolledStart)) return;
    this.#scrolledFor = [messages, windowStart];
    if (keepScroll) {
      log.scrollTop = keepScroll.top + (log.scrollHeight - keepScroll.height);
      this.#story.keepScroll = undefined;
    } else if (stickToBottom) {
      this.#scrollToBottom(log);
    }
    // each message draws itself after the chat has, and grows later still (markdown, images, an
    // action row): while the log sticks to its newest message, it follows (a story opened at the
    // top, and a one-shot reply sat below the fold; issue 21)
    for (const message of log.querySelectorAll('dreamdeck-message')) this.#resizes?.observe(message);
  }

  /** Scrolls the log to its newest message, remembering that the chat did it (not the player). */
  #scrollToBottom(log: HTMLElement) {
    log.scrollTop = log.scrollHeight;
    this.#pinnedTop = log.scrollTop;
  }

  #onScroll = () => {
    const log = this.#log;
    // a scroll the chat made itself (to the newest message) leaves the player's choice alone
    if (!log || log.scrollTop === this.#pinnedTop) return;
    this.#story.stickToBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 48;
    if (log.scrollTop < 120) void this.#story.showOlder(log);
  };

  /**
   * Roving focus in the message list (issue 21: keyboard users tabbed through every message's
   * buttons to reach the input): one message is a Tab stop (the last one focused, else the newest;
   * a shadow host with `tabindex="-1"` takes its buttons out of the Tab order too), and the arrow
   * keys, Home and End move between messages.
   */
  #onKeydown = (event: KeyboardEvent) => {
    const keys: Record<string, number> = { ArrowUp: -1, ArrowDown: 1, Home: -Infinity, End: Infinity };
    const step = keys[event.key];
    const inner = event.composedPath()[0];
    if (step === undefined || inner instanceof HTMLTextAreaElement || inner instanceof HTMLInputElement) return;
    if (inner instanceof HTMLSelectElement) return;
    const messages = [...(this.#log?.querySelectorAll<HTMLElement>('dreamdeck-message') ?? [])];
    const current = messages.findIndex((message) => message.contains(event.target as Node) || message === event.target);
    if (current < 0) return;
    event.preventDefault();
    const next = messages[Math.max(0, Math.min(messages.length - 1, current + step))];
    next?.focus();
  };

  /** Remembers the message focus is in: the list's one Tab stop. */
  #onFocus = (event: FocusEvent) => {
    const message = (event.target as HTMLElement).closest?.('dreamdeck-message') as
      | (HTMLElement & { message?: StoryMessage })
      | null;
    const id = message?.message?.id;
    if (id && id !== this.#activeId) {
      this.#activeId = id;
      this.host.requestUpdate();
    }
  };

  /** A story tool's choice (edit, send again, rewind, branch): see `<dreamdeck-message-tools>`. */
  #onStoryControl = async (event: CustomEvent<StoryControlDetail>) => {
    const { action, text = '' } = event.detail;
    const messageId = await this.#story.storedId(event.detail.messageId);
    if (!messageId) return;
    if (action === 'rerun') await this.#turns.rerun(messageId, text);
    else await this.#story.control(action === 'edit' ? { action, messageId, text } : { action, messageId });
  };

  #personaOf(id: string | undefined): PersonaInfo | undefined {
    const wanted = id ?? this.#story.thread?.persona;
    return this.#preferences.personas.find((persona) => persona.id === wanted);
  }

  /**
   * The log.
   *
   * @param strings - the strings
   * @param loading - the chat is (re)starting: "Loading…" shows
   */
  render(strings: DreamdeckStrings, loading: boolean): TemplateResult {
    const s = strings;
    const story = this.#story;
    const { messages, interrupt } = story;
    const { busy } = this.#turns;
    const replyId = busy ? undefined : regenerableId(messages);
    const lastId = messages[messages.length - 1]?.id;
    // the message list's one Tab stop (roving focus): the message last focused, else the newest
    const tabStop = messages.some((message) => message.id === this.#activeId) ? this.#activeId : lastId;
    return html`<div
      class="log"
      part="messages"
      role="region"
      aria-label=${s.title}
      tabindex="0"
      @scroll=${this.#onScroll}
      @keydown=${this.#onKeydown}
      @focusin=${this.#onFocus}
    >
      ${
        story.windowStart > 0 || story.hasMore
          ? html`<button class="older" @click=${() => story.showOlder(this.#log)}>${s.loadOlder}</button>`
          : nothing
      }
      ${loading ? html`<p class="status">${s.loading}</p>` : nothing}
      ${messages.slice(story.windowStart).map(
        // an element may show another message after a re-render: it resets its own state then
        (message) =>
          html`<dreamdeck-message
            part="message"
            exportparts="bubble, speaker, remembered, content, actions, roll, die, total, image, choice, search-results"
            .message=${message}
            tabindex=${message.id === tabStop ? 0 : -1}
            .strings=${s}
            .persona=${this.#personaOf(message.persona)}
            .feedback=${story.feedback.get(message.id) ?? 0}
            ?regenerable=${message.id === replyId}
            ?interactive=${message.id === lastId && (!interrupt || interrupt.kind === 'approve-storyboard')}
            ?busy=${busy}
            @dreamdeck-feedback=${(event: CustomEvent<FeedbackDetail>) =>
              story.rate(event.detail.messageId, event.detail.value, event.detail.comment)}
            @dreamdeck-regenerate=${(event: CustomEvent<{ messageId: string }>) =>
              this.#turns.regenerate(event.detail.messageId)}
            @dreamdeck-choose=${(event: CustomEvent<{ text: string }>) => this.#actions.choose(event.detail.text)}
            @dreamdeck-enlarge=${(event: CustomEvent<{ image: StoryImage }>) => this.#actions.enlarge(event.detail.image)}
            @dreamdeck-select=${(event: CustomEvent<{ messageId: string; index: number }>) =>
              story.control({ action: 'select', ...event.detail })}
            @dreamdeck-continue=${() => this.#turns.continueReply()}
            @dreamdeck-cite=${(event: CustomEvent<CiteDetail>) =>
              void loadPassage(this.#connection.client, this.host.threadId, event.detail.citation).then(
                event.detail.show,
              )}
            @dreamdeck-story-control=${this.#onStoryControl}
          ></dreamdeck-message>`,
      )}
    </div>`;
  }
}
