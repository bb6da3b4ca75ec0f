import { DreamdeckApiError } from './api-client.js';
import { ChatController, type ChatHost } from './chat-controller.js';
import type { ConnectionController } from './connection-controller.js';
import type { StoryControlRequest } from './dreamdeck-story-tools.js';
import { apiPath, emit } from './events.js';
import type { InterruptEvent, LoadedMessage, StoryMessage, ThreadAnswer, ThreadRecord } from './protocol.js';
import { feedbackOf } from './story-state.js';
import type { ThreadPersistence } from './thread-persistence.js';

/** How many messages are rendered at first and added per "older" step. */
const WINDOW_STEP = 40;
/** Messages fetched per page from the server. */
const PAGE_SIZE = 100;

/** What {@link StoryController} reads from and writes to its element. */
export type StoryHost = ChatHost & {
  /** The open thread's id (the `thread-id` attribute), kept in step with {@link StoryController.thread}. */
  threadId: string;
  /** Persona for new threads (`''`: the user's preference, then the server's default). */
  persona: string;
};

/**
 * The open story and the player's list of stories: loading a thread with its newest messages (and
 * the question it waits on), starting one, renaming and deleting, paging older messages into a
 * window of rendered ones, ratings, and `dreamdeck-thread-change` when another thread opens.
 * The turn controller streams into {@link StoryController.messages}.
 */
export class StoryController extends ChatController<StoryController> {
  /** The open thread. */
  thread: ThreadRecord | undefined;
  /** The player's threads, newest first. */
  threads: ThreadRecord[] = [];
  /** The open thread's loaded messages, oldest first. */
  messages: StoryMessage[] = [];
  /** The player's own rating per message id. */
  feedback = new Map<string, 1 | -1>();
  /** Whether the server has messages older than the first loaded one. */
  hasMore = false;
  /** Index of the first rendered message. */
  windowStart = 0;
  /** The question the GM waits on, if any. */
  interrupt: InterruptEvent | undefined;
  /** Keep the log scrolled to the newest message when it changes. */
  stickToBottom = true;
  /** The log's size and position before older messages were added above (to keep the view still). */
  keepScroll: { height: number; top: number } | undefined;
  /** Whether an older page is being fetched. */
  loadingOlder = false;
  declare readonly host: StoryHost;
  readonly #connection: ConnectionController;
  readonly #persistence: ThreadPersistence;
  readonly #stop: () => void;
  #announced = false;

  /**
   * @param host - the chat
   * @param connection - requests and failures
   * @param persistence - where the open thread's id is kept
   * @param stop - stops the running turn: called before another thread opens
   */
  constructor(host: StoryHost, connection: ConnectionController, persistence: ThreadPersistence, stop: () => void) {
    super(host);
    this.#connection = connection;
    this.#persistence = persistence;
    this.#stop = stop;
  }

  /**
   * Opens a thread by id; resolves `false` when it does not exist or is not the caller's (and
   * forgets it as the kept thread). Other failures reject.
   *
   * @param id - the thread's id
   * @param options - `quiet`: no error banner for a missing thread
   */
  async openThread(id: string, options: { quiet?: boolean } = {}): Promise<boolean> {
    this.#stop();
    try {
      const answer = await this.#connection.client!.json<ThreadAnswer>(
        'GET',
        `${apiPath('threads', id)}?limit=${PAGE_SIZE * 2}`,
      );
      this.#opened(answer);
      return true;
    } catch (error) {
      if (error instanceof DreamdeckApiError && error.status === 404) {
        if (!options.quiet) this.#connection.fail(error, false);
        this.#persistence.clearPersisted();
        return false;
      }
      throw error;
    }
  }

  /** Starts a new thread with the element's `persona` (else the server picks) and opens it. */
  async newThread(): Promise<void> {
    const persona = this.host.persona || undefined;
    const answer = await this.#connection.client!.json<{ thread: ThreadRecord }>(
      'POST',
      '/threads',
      persona ? { persona } : {},
    );
    this.set({ threads: [answer.thread, ...this.threads.filter((thread) => thread.id !== answer.thread.id)] });
    this.#opened({ thread: answer.thread, messages: [] });
  }

  /**
   * Shows a thread with its newest messages (a question it waits on included), keeps its id,
   * mirrors it in `thread-id`, and fires `dreamdeck-thread-change` (always on the first load).
   */
  #opened({ thread, messages, hasMore, interrupt }: ThreadAnswer) {
    this.set({
      thread,
      messages,
      feedback: feedbackOf(messages),
      hasMore: hasMore ?? false,
      windowStart: Math.max(0, messages.length - WINDOW_STEP),
      // a question the GM still waits on (the page was reloaded before it was answered)
      interrupt: interrupt && { type: 'interrupt', ...interrupt },
      stickToBottom: true,
    });
    this.#connection.set({ error: undefined });
    const changed = this.host.threadId !== thread.id;
    this.host.threadId = thread.id;
    this.#persistence.writePersisted(thread.id);
    if (changed || !this.#announced) {
      this.#announced = true;
      emit(this.host, 'dreamdeck-thread-change', { threadId: thread.id, thread });
    }
  }

  /** Loads the open thread again (after a dropped stream, or coming back online); failures go to the banner. */
  async reloadThread(): Promise<void> {
    if (!this.thread) return;
    try {
      await this.openThread(this.thread.id, { quiet: true });
      this.#connection.set({ state: 'online' });
    } catch (error) {
      this.#connection.fail(error, true);
    }
  }

  /** Lists the player's threads again (quietly: a failure keeps the old list) and updates the open one. */
  async refreshThreads(): Promise<void> {
    try {
      const threads = await this.#connection.client!.listThreads();
      const current = threads.find((thread) => thread.id === this.thread?.id);
      this.set({ threads, ...(current && { thread: current }) });
    } catch {
      // the list is refreshed again next time
    }
  }

  /**
   * Renames a thread (`PATCH /threads/:id`).
   *
   * @param id - the thread's id
   * @param title - the new title (ignored when empty)
   */
  async renameThread(id: string, title: string): Promise<void> {
    if (!title) return;
    try {
      const { thread } = await this.#connection.client!.json<{ thread: ThreadRecord }>(
        'PATCH',
        apiPath('threads', id),
        {
          title,
        },
      );
      this.set({
        threads: this.threads.map((other) => (other.id === id ? thread : other)),
        ...(this.thread?.id === id && { thread }),
      });
    } catch (error) {
      this.#connection.fail(error, false);
    }
  }

  /**
   * Deletes a thread (`DELETE /threads/:id`); when it was the open one, the newest other thread
   * opens, else a new one.
   *
   * @param id - the thread's id
   */
  async deleteThread(id: string): Promise<void> {
    try {
      await this.#connection.client!.json('DELETE', apiPath('threads', id));
      this.set({ threads: this.threads.filter((thread) => thread.id !== id) });
      if (this.thread?.id === id) {
        this.#persistence.clearPersisted();
        const next = this.threads[0];
        if (!next || !(await this.openThread(next.id, { quiet: true }))) await this.newThread();
      }
    } catch (error) {
      this.#connection.fail(error, false);
    }
  }

  /**
   * A story control on the open thread (see docs/story-controls.md and `runStoryControl`, loaded
   * on demand): edit, select a version, rewind, branch, import, download. A new story (a branch,
   * an import) opens; a rewound story loads again. Failures go to the banner.
   *
   * @param request - what to do
   */
  async control(request: StoryControlRequest): Promise<void> {
    const client = this.#connection.client;
    if (!client) return;
    try {
      const { runStoryControl } = await import('./dreamdeck-story-tools.js');
      const answer = await runStoryControl(client, this.thread?.id ?? '', request);
      const { thread, message } = answer;
      if (thread) {
        this.set({ threads: [thread, ...this.threads] });
        await this.openThread(thread.id);
      } else if (message)
        this.set({ messages: this.messages.map((other) => (other.id === message.id ? message : other)) });
      else if (request.action === 'rewind') await this.reloadThread();
    } catch (error) {
      this.#connection.fail(error, false);
    }
  }

  /**
   * The stored id of a message: a player message sent from here carries a local id until the
   * story loads again, so for one the story is loaded and the same words found (newest first).
   *
   * @param messageId - a message id, maybe local
   */
  async storedId(messageId: string): Promise<string | undefined> {
    if (!messageId.startsWith('local-')) return messageId;
    const local = this.messages.find((message) => message.id === messageId);
    await this.reloadThread();
    return this.messages.findLast((message) => message.role === 'user' && message.content === local?.content)?.id;
  }

  /**
   * Adds a message the player just sent (before the server has stored it) and sticks to the bottom.
   *
   * @param message - the player's message
   */
  append(message: StoryMessage): void {
    this.set({ messages: [...this.messages, message], stickToBottom: true });
  }

  /**
   * Renders older messages: first the loaded ones outside the window, then a page from the server.
   *
   * @param log - the scrolling element, measured so the view stays where it was
   */
  async showOlder(log: HTMLElement | null | undefined): Promise<void> {
    const measure = () => (log ? { height: log.scrollHeight, top: log.scrollTop } : undefined);
    if (this.loadingOlder) return;
    if (this.windowStart > 0) {
      this.set({ keepScroll: measure(), windowStart: Math.max(0, this.windowStart - WINDOW_STEP) });
      return;
    }
    const client = this.#connection.client;
    if (!this.hasMore || !this.thread || !client) return;
    const first = this.messages.find((message) => !message.id.startsWith('local-'));
    if (!first) return;
    this.loadingOlder = true;
    try {
      const answer = await client.json<{ messages: LoadedMessage[]; hasMore: boolean }>(
        'GET',
        `${apiPath('threads', this.thread.id, 'messages')}?limit=${PAGE_SIZE}&before=${encodeURIComponent(first.id)}`,
      );
      this.set({
        keepScroll: measure(),
        messages: [...answer.messages, ...this.messages],
        feedback: feedbackOf(answer.messages, this.feedback),
        hasMore: answer.hasMore,
        windowStart: Math.max(0, answer.messages.length - WINDOW_STEP),
      });
    } catch (error) {
      this.#connection.fail(error, false);
    } finally {
      this.loadingOlder = false;
    }
  }

  /**
   * Rates a message (`POST …/feedback`), showing the rating at once.
   *
   * @param messageId - the rated message
   * @param value - thumbs up (`1`) or down (`-1`)
   * @param comment - an optional comment
   */
  async rate(messageId: string, value: 1 | -1, comment?: string): Promise<void> {
    if (!this.thread) return;
    this.set({ feedback: new Map(this.feedback).set(messageId, value) });
    try {
      await this.#connection.client!.json(
        'POST',
        apiPath('threads', this.thread.id, 'messages', messageId, 'feedback'),
        comment ? { value, comment } : { value },
      );
    } catch (error) {
      this.#connection.fail(error, false);
    }
  }
}
