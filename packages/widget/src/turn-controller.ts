import { DreamdeckApiError } from './api-client.js';
import { ChatController, type ChatHost } from './chat-controller.js';
import type { ConnectionController } from './connection-controller.js';
import { apiPath, emit } from './events.js';
import type { InterruptAnswer, StoryMessage, TurnEvent } from './protocol.js';
import type { StoryController } from './story-controller.js';
import { applyTurnEvent, regenerableId, settleStreaming } from './story-state.js';
import type { DreamdeckStrings } from './strings.js';

/** What a turn was started with, so Retry can do it again. */
export type TurnAction =
  | { kind: 'send'; text: string }
  | { kind: 'resume'; interruptId: string; value: InterruptAnswer }
  | { kind: 'regenerate'; messageId: string }
  /** The latest reply written on (`POST …/continue`). */
  | { kind: 'continue' }
  /** A player message edited and sent again (`PATCH …/messages/:mid` with `rerun`). */
  | { kind: 'rerun'; messageId: string; text: string };

/**
 * Runs turns: sends the player's text, answers the GM's question, regenerates a reply, streams
 * each turn's events into the story, stops a running turn (the partial reply stays, marked
 * stopped), and retries what failed. Fires `dreamdeck-message` for the player's message and for
 * each message that ends.
 */
export class TurnController extends ChatController<TurnController> {
  /** Whether a turn runs. */
  busy = false;
  /** Progress text ("The game master is thinking…", "Painting scene 2 of 3"). */
  statusText = '';
  /** The latest finished GM or tool message, for the `aria-live` region. */
  announcement = '';
  /** The latest action, which Retry repeats. */
  lastAction: TurnAction | undefined;
  /**
   * The player's words of a message that never reached the server (sent while offline): taken
   * back out of the story for the composer to put back in the input (issue 21: they were lost).
   */
  returned: string | undefined;
  readonly #connection: ConnectionController;
  readonly #story: StoryController;
  readonly #strings: () => DreamdeckStrings;
  readonly #restart: () => Promise<void>;
  #abort: AbortController | undefined;
  /** The running turn, once its `turn-start` arrived. */
  #turnId: string | undefined;
  /** A fact came from a message known here only by its local id: the story loads again at the turn's end to mark it. */
  #marksPending = false;

  /**
   * @param host - the chat
   * @param connection - requests and failures
   * @param story - the open story, which the turn's events update
   * @param strings - the strings (for "thinking…")
   * @param restart - starts the chat over (token, threads, thread): Retry's way when there is no token or thread yet
   */
  constructor(
    host: ChatHost,
    connection: ConnectionController,
    story: StoryController,
    strings: () => DreamdeckStrings,
    restart: () => Promise<void>,
  ) {
    super(host);
    this.#connection = connection;
    this.#story = story;
    this.#strings = strings;
    this.#restart = restart;
  }

  /**
   * Sends the player's text as a turn. Resolves when the turn's stream ends.
   *
   * @param text - the player's input (trimmed; nothing happens when empty or while a turn runs)
   */
  async send(text: string): Promise<void> {
    const trimmed = text.trim();
    const thread = this.#story.thread;
    if (!trimmed || this.busy || !thread) return;
    const local: StoryMessage = {
      id: `local-${Date.now().toString(36)}`,
      threadId: thread.id,
      role: 'user',
      kind: 'player',
      content: trimmed,
      createdAt: new Date().toISOString(),
      status: 'complete',
    };
    this.#story.append(local);
    emit(this.host, 'dreamdeck-message', { message: local });
    await this.#run({ kind: 'send', text: trimmed });
  }

  /**
   * Stops the running turn: asks the server to stop it (`POST …/turns/:turnId/stop`, so it stops
   * on whichever instance runs it; a dropped connection alone leaves it running for a rejoin) and
   * stops reading. The partial reply is kept, marked as stopped. Before the turn's first event the
   * request is simply dropped: the server stops a turn whose client left before it answered.
   */
  stop(): void {
    if (!this.#abort) return;
    if (this.#turnId) this.#askStop(this.#turnId);
    this.#abort.abort();
  }

  /** Tells the server to stop `turnId` (best effort: an older server without the route just drops the stream). */
  #askStop(turnId: string) {
    const client = this.#connection.client;
    const thread = this.#story.thread;
    if (!client || !thread) return;
    client
      .request('POST', apiPath('threads', thread.id, 'turns', turnId, 'stop'), undefined, { retry: false })
      .catch(() => {});
  }

  /**
   * Asks for a new version of a reply.
   *
   * @param messageId - the reply (the latest narration)
   */
  async regenerate(messageId: string): Promise<void> {
    if (!this.busy) await this.#run({ kind: 'regenerate', messageId });
  }

  /** Has the GM write on its latest reply, in place. */
  async continueReply(): Promise<void> {
    if (!this.busy) await this.#run({ kind: 'continue' });
  }

  /**
   * Sends an edited player message again: the story after it leaves (the server keeps it aside)
   * and the GM answers the new text. The story is loaded again once the turn ends.
   *
   * @param messageId - the player's message
   * @param text - its new text
   */
  async rerun(messageId: string, text: string): Promise<void> {
    const story = this.#story;
    const index = story.messages.findIndex((message) => message.id === messageId);
    if (this.busy || index < 0 || !text.trim()) return;
    story.set({
      messages: [...story.messages.slice(0, index), { ...story.messages[index]!, content: text.trim() }],
      stickToBottom: true,
    });
    await this.#run({ kind: 'rerun', messageId, text: text.trim() });
    await story.reloadThread();
  }

  /**
   * Answers the question the GM waits on.
   *
   * @param value - `true`/`false` for a storyboard, one of the options for a choice
   */
  async answer(value: InterruptAnswer): Promise<void> {
    const interrupt = this.#story.interrupt;
    if (interrupt) await this.#run({ kind: 'resume', interruptId: interrupt.interruptId, value });
  }

  /**
   * Does the failed action again, after loading the thread as the server has it: a turn whose
   * player message the server kept gets its reply written again rather than the message resent.
   */
  async retry(): Promise<void> {
    const connection = this.#connection;
    const story = this.#story;
    const action = this.lastAction;
    connection.set({ error: undefined });
    if (!connection.client?.token || !story.thread) {
      await this.#restart();
      return;
    }
    await story.reloadThread();
    if (connection.error || !action || !story.thread) return;
    if (action.kind === 'resume') {
      await this.#run(action);
      return;
    }
    const messages = story.messages;
    const last = messages[messages.length - 1];
    const replyId = regenerableId(messages);
    if (action.kind === 'send' && last?.role === 'user' && last.content === action.text) {
      story.set({ messages: messages.slice(0, -1) });
      await this.send(action.text);
    } else if (replyId) {
      await this.regenerate(replyId);
    } else if (action.kind === 'send') {
      await this.send(action.text);
    }
  }

  /** Streams the turn `action` starts into the story; failures go to the banner (with Retry). */
  async #run(action: TurnAction) {
    const connection = this.#connection;
    const story = this.#story;
    const client = connection.client;
    this.lastAction = action;
    if (!client || !story.thread) return;
    const threadId = story.thread.id;
    const { kind, ...body } = action;
    const path =
      kind === 'send'
        ? apiPath('threads', threadId, 'turns')
        : kind === 'resume'
          ? apiPath('threads', threadId, 'resume')
          : kind === 'continue'
            ? apiPath('threads', threadId, 'continue')
            : kind === 'rerun'
              ? apiPath('threads', threadId, 'messages', action.messageId)
              : apiPath('threads', threadId, 'messages', action.messageId, 'regenerate');
    const abort = new AbortController();
    this.#abort = abort;
    this.#turnId = undefined;
    this.set({ busy: true, statusText: this.#strings().thinking });
    connection.set({ error: undefined });
    story.set({ interrupt: undefined });
    try {
      await client.stream(
        path,
        kind === 'regenerate' || kind === 'continue'
          ? {}
          : kind === 'rerun'
            ? { text: action.text, rerun: true }
            : body,
        (event) => {
          if (event.type === 'turn-start' && this.#abort === abort) this.#turnId = event.turnId;
          this.#onTurnEvent(event, threadId);
        },
        // a stream that drops mid-turn is rejoined on its own, after the last event seen
        {
          signal: abort.signal,
          rejoinPath: (turnId) => apiPath('threads', threadId, 'turns', turnId, 'events'),
          ...(kind === 'rerun' && { method: 'PATCH' }),
        },
      );
      connection.set({ state: 'online' });
    } catch (error) {
      if (!abort.signal.aborted) {
        const api = error instanceof DreamdeckApiError ? error : undefined;
        // the turn can no longer be rejoined (over and freed): the story as stored is the truth
        if (api?.code === 'TURN_GONE') void story.reloadThread();
        else {
          const unsent = api?.status === 0 && kind === 'send' && !this.#turnId;
          // unsent words come back to the input (sent again from there), so no Retry
          connection.fail(error, !unsent);
          if (unsent) {
            // never reached the server: the words go back to the input, not into a lost message
            story.set({ messages: story.messages.filter((message) => !message.id.startsWith('local-')) });
            this.returned = action.text;
          } else if (api?.status === 0) void story.reloadThread();
        }
      }
    } finally {
      story.set({ messages: settleStreaming(story.messages) });
      if (this.#abort === abort) {
        this.#abort = undefined;
        this.#turnId = undefined;
      }
      this.set({ busy: false, statusText: '' });
    }
  }

  #onTurnEvent(event: TurnEvent, threadId: string) {
    const story = this.#story;
    if (story.thread?.id !== threadId) return;
    switch (event.type) {
      case 'status':
        this.set({ statusText: event.text });
        return;
      case 'interrupt':
        story.set({ interrupt: event });
        this.set({ statusText: '' });
        return;
      case 'error':
        this.#connection.fail(
          new DreamdeckApiError(event.code, event.message, event.retryable ? 503 : 400),
          event.retryable,
        );
        return;
      case 'turn-end':
        this.set({ statusText: '' });
        if (this.#marksPending) {
          this.#marksPending = false;
          void story.reloadThread();
        }
        // a new story is named after the GM's first reply (the server's default title is "New story")
        if ((!story.thread?.title || story.thread.title === 'New story') && story.messages.length)
          void story.refreshThreads();
        return;
      case 'message-start':
        this.set({ statusText: '' });
        // a continued reply keeps its text: the new text streams onto it
        if (this.lastAction?.kind === 'continue') {
          story.set({
            messages: story.messages.map((message) =>
              message.id === event.messageId ? { ...message, status: 'streaming' } : message,
            ),
          });
          return;
        }
        break;
      case 'memory-added':
        if (!story.messages.some((message) => message.id === event.messageId)) this.#marksPending = true;
        break;
      case 'message-end': {
        const message = event.message;
        if (message.role !== 'user' && message.content) this.set({ announcement: message.content.slice(0, 600) });
        emit(this.host, 'dreamdeck-message', { message });
        break;
      }
    }
    story.set({ messages: applyTurnEvent(story.messages, event, threadId) });
  }
}
