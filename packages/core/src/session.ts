import type { EngineContext } from './engine/engine-context.js';
import { runTurn, type TurnRequest } from './engine/run-turn.js';
import { replayOf, type TurnReplay } from './engine/turn-event-source.js';
import { DreamdeckError } from './errors.js';
import { forgetThreadLore } from './lore/lore-book.js';
import { cleanAuthorsNote, readAuthorsNote, writeAuthorsNote } from './lore/lore-slots.js';
import type { StorySummary } from './memory/memory-types.js';
import type { PromptContext } from './memory/prompt-assembly.js';
import { promptContext, threadSummary } from './memory/session-memory.js';
import { recordFeedback, recoverInterrupted } from './session-messages.js';
import {
  checkedText,
  pendingInterrupt,
  prepareContinue,
  prepareRegenerate,
  prepareResume,
  prepareSend,
} from './session-turns.js';
import type { StorageAdapter } from './storage/storage-adapter.js';
import {
  branchThread,
  type ControlTarget,
  editMessageText,
  replyToContinue,
  rewindFrom,
  rewindStory,
  selectAlternative,
  storyMessageOf,
} from './story-controls/story-controls.js';
import type { StoryMessage, ThreadRecord, Turn } from './types.js';
import { exportStory } from './workflow/export-story.js';
import type { InterruptRequest } from './workflow/turn-context.js';

/** Options for {@link StorySession.rejoin}. */
export interface RejoinOptions {
  /** The sequence number of the last event already seen (default 0: from the start). */
  after?: number;
  /** Aborting ends the iteration (the turn itself goes on). */
  signal?: AbortSignal;
}

/** Options for a single turn. */
export interface TurnOptions {
  /** Aborting ends the turn with status `aborted`; partial narration is kept as `aborted`. */
  signal?: AbortSignal;
}

/** Options for {@link StorySession.edit}. */
export interface EditOptions extends TurnOptions {
  /** Rewind the story after the player's message and have the GM answer the edited text again. */
  rerun?: boolean;
}

/**
 * One story thread for one user. Get it from `dd.openSession`. One turn runs per thread at a time:
 * starting another on this session while its turn runs throws `INVALID_INPUT`; a turn started
 * while another session (or another server instance on the same storage) runs one on the thread
 * ends at once with an `error` event of code `CONFLICT`.
 */
export class StorySession {
  /**
   * Use `dd.openSession`.
   * @internal
   */
  constructor(
    private readonly engine: EngineContext,
    /** The thread as it was when the session opened. */
    readonly thread: ThreadRecord,
  ) {}

  /** The thread id. */
  get threadId(): string {
    return this.thread.id;
  }

  /** The user id. */
  get userId(): string {
    return this.thread.userId;
  }

  /** True while a turn runs on this thread in this engine, started from any session. */
  get turnRunning(): boolean {
    return this.engine.turns.running(this.threadId) !== undefined;
  }

  private get storage(): StorageAdapter {
    return this.engine.storage;
  }

  /**
   * Sends the player's text and runs a turn. Iterate the returned turn for {@link TurnEvent}s;
   * await `turn.result` for the outcome. Throws `INVALID_INPUT` at once for empty or over-long
   * text (control characters are stripped first; the length is counted in characters as a person
   * sees them, so an emoji counts once).
   */
  send(text: string, options: TurnOptions = {}): Turn {
    return this.sendText(checkedText(this.engine, text), options);
  }

  /** `send` of checked text; `first` runs once the thread is held, before the player's message is stored. */
  private sendText(clean: string, options: TurnOptions, first?: () => Promise<unknown>): Turn {
    return this.run(options, async (turnId) => {
      await first?.();
      return prepareSend(this.engine, this, turnId, clean);
    });
  }

  /**
   * Answers an `interrupt` event: `true`/`false` for `approve-storyboard`, one of the event's
   * `options` for `choice`, and for `survey` answers by question id (or `null` to skip it; see
   * docs/surveys.md), stored once per user before the turn goes on. Unknown or stale interrupt
   * ids end the turn with `NOT_FOUND`; a wrong answer with `INVALID_INPUT` (nothing stored), and
   * the question stays open.
   */
  resume(interruptId: string, value: unknown, options: TurnOptions = {}): Turn {
    return this.run(options, () => prepareResume(this.engine, this, interruptId, value), false);
  }

  /**
   * Writes the latest GM reply again. The replaced text is kept in the message's
   * `alternatives`. `messageId` defaults to the latest narration and must be it.
   */
  regenerate(messageId?: string, options: TurnOptions = {}): Turn {
    return this.run(options, (turnId) => prepareRegenerate(this.engine, this, turnId, messageId));
  }

  /**
   * Rejoins a turn of this thread that runs (or ended within `turnRetentionMs`, 60 s by default):
   * iterate the result for `{ seq, event }` entries after `options.after` up to and including
   * `turn-end`. Every reader gets the same entries with the same `seq` (1, 2, 3 … per turn), so a
   * client whose stream broke off asks for the events after the last `seq` it saw and receives
   * each missing one once. Works for a turn running on this engine and, when the storage shares
   * turns between instances (PostgreSQL), for one running on another instance.
   *
   * Rejects with `NOT_FOUND` for a turn that is unknown, of another thread, or over and freed, and
   * when the events after `after` are no longer kept (a turn past its journal's cap); iterating
   * throws `NOT_FOUND` when they are dropped meanwhile. Reload the thread then.
   *
   * @example
   * ```ts
   * for await (const { seq, event } of await session.rejoin(turnId, { after: lastSeq })) {
   *   lastSeq = seq;
   * }
   * ```
   */
  async rejoin(turnId: string, options: RejoinOptions = {}): Promise<TurnReplay> {
    const after = options.after ?? 0;
    if (!Number.isSafeInteger(after) || after < 0)
      throw new DreamdeckError('INVALID_INPUT', 'after is the sequence number of an event: a whole number from 0.');
    const source = await this.engine.journals.source(this.threadId, turnId, after);
    return replayOf(source, after, options.signal);
  }

  /**
   * Stops a running turn of this thread, whichever session or instance runs it (through storage
   * notifications when it runs on another instance): it ends with `turn-end` status `aborted`,
   * keeping the partial reply. Resolves false when no such turn is known (here, and on a storage
   * that cannot reach other instances); stopping a turn that already ended does nothing.
   */
  async stop(turnId: string): Promise<boolean> {
    return this.engine.journals.stop(this.threadId, turnId, new DOMException('Stopped by the player.', 'AbortError'));
  }

  /**
   * The thread's messages in order. `limit` gives the newest ones (before `before`). A reply a
   * stopped process left `streaming` is marked `aborted` as it is read. `includeRewound` adds the
   * messages rewound out of the story (each with `rewoundAt`), in their place.
   */
  async history(options: { limit?: number; before?: string; includeRewound?: boolean } = {}): Promise<StoryMessage[]> {
    return recoverInterrupted(this.engine, this.threadId, await this.storage.listMessages(this.threadId, options));
  }

  /**
   * Edits a message of the story (see docs/story-controls.md). Without `rerun`: the text of a player
   * message or a GM reply changes in place; resolves the message as stored. With `rerun` (a player
   * message only): the story from that message on is rewound (kept for `history({ includeRewound })`),
   * the edited message is sent again and the GM answers: returns the turn, as `send` does.
   * Text is checked as `send` checks it (`INVALID_INPUT` at once); `NOT_FOUND` for a message not in
   * the story; `CONFLICT` while a turn runs.
   */
  edit(messageId: string, text: string, options: EditOptions & { rerun: true }): Turn;
  edit(messageId: string, text: string, options?: EditOptions & { rerun?: false }): Promise<StoryMessage>;
  edit(messageId: string, text: string, options?: EditOptions): Turn | Promise<StoryMessage>;
  edit(messageId: string, text: string, options: EditOptions = {}): Turn | Promise<StoryMessage> {
    const clean = checkedText(this.engine, text);
    if (!options.rerun) return editMessageText(this.engine, this.controlTarget, messageId, clean);
    return this.sendText(clean, options, async () => {
      const message = await storyMessageOf(this.engine, this.threadId, messageId);
      if (message.role !== 'user')
        throw new DreamdeckError('INVALID_INPUT', 'Only your own messages can be sent again; edit a reply in place.');
      await rewindFrom(this.engine, this.threadId, messageId);
    });
  }

  /**
   * Undoes the story back to and including `messageId`: it and every later message leave the story
   * (kept for `history({ includeRewound: true })`). Resolves how many left. `NOT_FOUND` for a
   * message not in the story; `CONFLICT` while a turn runs.
   */
  rewind(messageId: string): Promise<number> {
    return rewindStory(this.engine, this.controlTarget, messageId);
  }

  /**
   * A new story on a new thread holding this story up to and including `messageId` (copies; this
   * story is unchanged). Its thread has `parentThreadId` and `branchedFromMessageId`.
   * `NOT_FOUND` for a message not in the story; `CONFLICT` while a turn runs.
   */
  async branch(messageId: string): Promise<StorySession> {
    return new StorySession(this.engine, await branchThread(this.engine, this.controlTarget, messageId));
  }

  /**
   * Writes on the latest GM reply in place: a turn whose `message-start` names that reply and whose
   * `message-delta`s extend it. The turn ends with `INVALID_INPUT` when the story's latest message
   * is not a GM reply.
   */
  continue(options: TurnOptions = {}): Turn {
    return this.run(options, async (turnId) => {
      const reply = await replyToContinue(this.engine, this.threadId);
      return prepareContinue(this.engine, this, turnId, reply.id);
    });
  }

  /**
   * Shows version `index` of a regenerated reply (0 = the first written; the versions are its
   * `alternatives` with the shown one at `alternativeIndex`). Resolves the message as stored.
   * `INVALID_INPUT` for an index out of range; `NOT_FOUND` for a message not in the story.
   */
  selectAlternative(messageId: string, index: number): Promise<StoryMessage> {
    return selectAlternative(this.engine, this.controlTarget, messageId, index);
  }

  /**
   * Exports the story as markdown or JSON (`{ thread, messages }`). `/save` turns are left out (an
   * export never holds an earlier one) and each message's content is cut at 100,000 characters.
   */
  async export(format: 'markdown' | 'json' = 'markdown'): Promise<string> {
    const thread = (await this.storage.getThread(this.threadId)) ?? this.thread;
    const messages = await recoverInterrupted(
      this.engine,
      this.threadId,
      await this.storage.listMessages(this.threadId),
    );
    return exportStory(thread, messages, format);
  }

  /**
   * The exact prompt the next narration would send for `text` (without it: for `/write`), as
   * `{ messages, tokens, sections }`; sections per DESIGN, in prompt order (see docs/memory.md).
   */
  context(text?: string): Promise<PromptContext> {
    return promptContext(this.engine.workflow.context, this.thread, text);
  }

  /**
   * Sets the story's author's note (`null` or empty text clears it): a short instruction the
   * prompt holds near its end, in the `authors-note` section, every turn until changed (at most
   * 1,000 characters; hostile markup refused with `INVALID_INPUT`). Resolves the note as stored.
   */
  async setAuthorsNote(text: string | null): Promise<string | null> {
    const note = cleanAuthorsNote(text);
    if (!(await this.storage.getThread(this.threadId)))
      throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.');
    await writeAuthorsNote(this.storage, this.threadId, note);
    return note;
  }

  /** The story's author's note, or null. */
  authorsNote(): Promise<string | null> {
    return readAuthorsNote(this.storage, this.threadId);
  }

  /** The rolling summary of the story (`{ text, throughMessageId, updatedAt }`), or null before the first. */
  summary(): Promise<StorySummary | null> {
    return threadSummary(this.engine.storage, this.threadId);
  }

  /**
   * Deletes the story: its messages and thread data, and what memory keeps of it (its thread-scoped
   * memories and its summary; the player's user-wide memories stay). Throws `CONFLICT` while a turn
   * runs on it in this engine.
   */
  async delete(): Promise<void> {
    if (this.turnRunning)
      throw new DreamdeckError('CONFLICT', 'A turn is running in this story. Stop it before deleting the story.');
    await this.engine.memory.forgetThread(this.userId, this.threadId);
    await forgetThreadLore(this.storage.store, this.userId, this.threadId);
    await this.storage.deleteThread(this.threadId);
  }

  /** Records the player's thumbs up (1) or down (-1), with an optional comment, on a message. */
  feedback(messageId: string, value: 1 | -1, comment?: string): Promise<void> {
    return recordFeedback(this.engine, this, messageId, value, comment);
  }

  /**
   * The interrupt the thread is waiting on, if any. Only the thread's latest turn can wait: a
   * question from an earlier turn (the player wrote on instead of answering) has expired.
   */
  pendingInterrupt(): Promise<InterruptRequest | undefined> {
    return pendingInterrupt(this.engine, this.threadId);
  }

  /** Who this session is to the story controls: its thread, its user, and itself as the lock's owner. */
  private get controlTarget(): ControlTarget {
    return { threadId: this.threadId, userId: this.userId, owner: this };
  }

  /** Runs one turn on this session's thread (see {@link runTurn}). */
  private run(options: TurnOptions, prepare: TurnRequest['prepare'], countsAsTurn = true): Turn {
    return runTurn(this.engine, {
      threadId: this.threadId,
      userId: this.userId,
      owner: this,
      signal: options.signal,
      prepare,
      countsAsTurn,
    });
  }
}
