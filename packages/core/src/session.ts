import { Command } from '@langchain/langgraph';
import type { DreamdeckInternals } from './dreamdeck.js';
import { DreamdeckError, isAbortError } from './errors.js';
import { newId } from './storage/ids.js';
import type { StorageAdapter } from './storage/storage-adapter.js';
import type { StoryMessage, ThreadRecord, Turn, TurnEvent, TurnResult, TurnStatus } from './types.js';
import { exportMarkdown } from './workflow/export-story.js';
import {
  type InterruptRequest,
  mayPause,
  type StoryWorkflow,
  streamRun,
  type TurnInput,
} from './workflow/story-workflow.js';
import { EventQueue, TURN_EVENTS, type TurnSink } from './workflow/turn-sink.js';

/** Options for a single turn. */
export interface TurnOptions {
  /** Aborting ends the turn with status `aborted`; partial narration is kept as `aborted`. */
  signal?: AbortSignal;
}

// C0 and C1 control characters except tab, newline and carriage return.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Strips control characters (keeping tabs and newlines) and trims. */
export function cleanText(text: string): string {
  return text.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
}

/**
 * One story thread for one user. Get it from `dd.openSession`. Only one turn runs per session
 * at a time; starting another while one runs throws `INVALID_INPUT`.
 */
export class StorySession {
  private running: string | undefined;

  /** Use `dd.openSession`. */
  constructor(
    private readonly internals: DreamdeckInternals,
    private readonly workflow: StoryWorkflow,
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

  private get storage(): StorageAdapter {
    return this.internals.storage;
  }

  /**
   * Sends the player's text and runs a turn. Iterate the returned turn for {@link TurnEvent}s;
   * await `turn.result` for the outcome. Throws `INVALID_INPUT` at once for empty or over-long
   * text (control characters are stripped first).
   */
  send(text: string, options: TurnOptions = {}): Turn {
    if (typeof text !== 'string')
      throw new DreamdeckError('INVALID_INPUT', 'Write something for your character to do.');
    const clean = cleanText(text);
    const max = this.internals.config().input.maxLength;
    if (!clean) throw new DreamdeckError('INVALID_INPUT', 'Write something for your character to do.');
    if (clean.length > max) {
      throw new DreamdeckError(
        'INVALID_INPUT',
        `That is ${clean.length} characters; the limit is ${max}. Try splitting it up.`,
      );
    }
    return this.run(options, async (turnId) => {
      const playerId = newId('msg');
      // Touching the thread (it sorts first in the thread list) also reads its current persona, and
      // fails with NOT_FOUND when it was deleted: one storage call instead of a read and a write.
      const thread = await this.storage.updateThread(this.threadId, {}).catch((error: unknown) => {
        if (DreamdeckError.isInstance(error) && error.code === 'NOT_FOUND')
          throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.', { cause: error });
        throw error;
      });
      const flags = await this.internals.flags.effective({ userId: this.userId });
      const input: TurnInput = {
        ...this.inputFor(thread, turnId, { type: 'send', text: clean, playerId }),
        storyboard: { imageGeneration: flags.imageGeneration, storyboardReview: flags.storyboardReview },
      };
      // The player's words are stored before the workflow starts (so they survive whatever the turn
      // does) and are not a task: that would cost every turn a LangGraph task for one insert.
      const player: StoryMessage = {
        id: playerId,
        threadId: this.threadId,
        turnId,
        role: 'user',
        kind: 'player',
        content: clean,
        createdAt: new Date().toISOString(),
        status: 'complete',
      };
      await this.storage.appendMessage(player);
      return { kind: 'input', input, player };
    });
  }

  /**
   * Answers an `interrupt` event: `true`/`false` for `approve-storyboard`, one of the event's
   * `options` for `choice`. Unknown or stale interrupt ids end the turn with `NOT_FOUND`.
   */
  resume(interruptId: string, value: unknown, options: TurnOptions = {}): Turn {
    return this.run(
      options,
      async () => {
        const pending = await this.pendingInterrupt();
        if (!pending || pending.interruptId !== interruptId) {
          throw new DreamdeckError('NOT_FOUND', 'That question has already been answered or has expired.');
        }
        if (pending.kind === 'approve-storyboard' && typeof value !== 'boolean') {
          throw new DreamdeckError('INVALID_INPUT', 'Answer a storyboard review with true (paint) or false (skip).');
        }
        if (pending.kind === 'choice' && !pending.options?.includes(value as string)) {
          throw new DreamdeckError('INVALID_INPUT', `Choose one of: ${pending.options?.join(', ')}.`);
        }
        return { kind: 'resume', value };
      },
      false,
    );
  }

  /**
   * Writes the latest GM reply again. The replaced text is kept in the message's
   * `alternatives`. `messageId` defaults to the latest narration and must be it.
   */
  regenerate(messageId?: string, options: TurnOptions = {}): Turn {
    return this.run(options, async (turnId) => {
      const recent = await this.storage.listMessages(this.threadId, { limit: 30 });
      const latest = [...recent].reverse().find((m) => m.kind === 'narration');
      if (!latest) throw new DreamdeckError('NOT_FOUND', 'There is no reply to regenerate yet.');
      if (messageId && messageId !== latest.id) {
        const exists = await this.storage.getMessage(messageId);
        if (!exists || exists.threadId !== this.threadId)
          throw new DreamdeckError('NOT_FOUND', 'That message does not exist.');
        throw new DreamdeckError('INVALID_INPUT', 'Only the latest reply can be regenerated.');
      }
      return { kind: 'input', input: await this.input(turnId, { type: 'regenerate', messageId: latest.id }) };
    });
  }

  /**
   * The thread's messages in order. `limit` gives the newest ones (before `before`). A reply a
   * stopped process left `streaming` is marked `aborted` as it is read.
   */
  async history(options: { limit?: number; before?: string } = {}): Promise<StoryMessage[]> {
    return this.recoverInterrupted(await this.storage.listMessages(this.threadId, options));
  }

  /** Exports the story as markdown or JSON. */
  async export(format: 'markdown' | 'json' = 'markdown'): Promise<string> {
    const thread = (await this.storage.getThread(this.threadId)) ?? this.thread;
    const messages = await this.recoverInterrupted(await this.storage.listMessages(this.threadId));
    return format === 'json' ? JSON.stringify({ thread, messages }, null, 2) : exportMarkdown(thread.title, messages);
  }

  /** Records the player's thumbs up (1) or down (-1), with an optional comment, on a message. */
  async feedback(messageId: string, value: 1 | -1, comment?: string): Promise<void> {
    const message = await this.storage.getMessage(messageId);
    if (!message || message.threadId !== this.threadId)
      throw new DreamdeckError('NOT_FOUND', 'That message does not exist.');
    if (value !== 1 && value !== -1) throw new DreamdeckError('INVALID_INPUT', 'Feedback is 1 (up) or -1 (down).');
    const clean = comment === undefined ? undefined : cleanText(comment).slice(0, 2000);
    await this.storage.setFeedback({
      messageId,
      threadId: this.threadId,
      userId: this.userId,
      value,
      ...(clean && { comment: clean }),
      ...(message.persona && { persona: message.persona }),
    });
  }

  /**
   * The interrupt the thread is waiting on, if any. Only the thread's latest turn can wait: a
   * question from an earlier turn (the player wrote on instead of answering) has expired.
   */
  async pendingInterrupt(): Promise<InterruptRequest | undefined> {
    const [state, [latest]] = await Promise.all([
      this.workflow.pausable.getState({ configurable: { thread_id: this.threadId } }),
      this.storage.listMessages(this.threadId, { limit: 1 }),
    ]);
    for (const task of state.tasks) {
      for (const pending of task.interrupts ?? []) {
        const value = pending.value as InterruptRequest | undefined;
        if (value?.interruptId && value.turnId === latest?.turnId) return value;
      }
    }
    return undefined;
  }

  /**
   * Marks `aborted` the replies among `messages` that a process which died mid-turn left
   * `streaming`, so the story reads cleanly, and returns the messages as stored now. Done where the
   * story is read rather than when a session opens, so a turn pays no extra read for it. If another
   * instance is in fact still streaming such a reply, its final write wins (`ifStatus`).
   */
  private async recoverInterrupted(messages: StoryMessage[]): Promise<StoryMessage[]> {
    if (this.internals.sinks.has(this.threadId) || !messages.some((m) => m.status === 'streaming')) return messages;
    return Promise.all(
      messages.map(async (message) => {
        if (message.status !== 'streaming') return message;
        try {
          const stored = await this.storage.updateMessage(message.id, { status: 'aborted', ifStatus: 'streaming' });
          if (stored.status === 'aborted') {
            this.internals.logger.warn(
              { threadId: this.threadId, messageId: message.id },
              'reply left streaming by a stopped process marked aborted',
            );
          }
          return stored;
        } catch (error) {
          // housekeeping only: a failure here surfaces on the next real write instead
          this.internals.logger.warn({ err: error, threadId: this.threadId }, 'could not mark an interrupted reply');
          return message;
        }
      }),
    );
  }

  private async input(turnId: string, action: TurnInput['action']): Promise<TurnInput> {
    const thread = await this.storage.getThread(this.threadId);
    if (!thread) throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.');
    return this.inputFor(thread, turnId, action);
  }

  private inputFor(thread: ThreadRecord, turnId: string, action: TurnInput['action']): TurnInput {
    return { turnId, threadId: this.threadId, userId: this.userId, persona: thread.persona, action };
  }

  /** Runs one turn: limits, the workflow stream, events, and the final status. */
  private run(
    options: TurnOptions,
    prepare: (
      turnId: string,
    ) => Promise<{ kind: 'input'; input: TurnInput; player?: StoryMessage } | { kind: 'resume'; value: unknown }>,
    countsAsTurn = true,
  ): Turn {
    if (this.running)
      throw new DreamdeckError(
        'INVALID_INPUT',
        'A turn is already running in this story. Wait for it or stop it first.',
      );
    const turnId = newId('turn');
    this.running = turnId;
    const { storage, sinks, events, logger, limits } = this.internals;
    const queue = new EventQueue<TurnEvent>();
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const stored = new Map<string, StoryMessage>();
    let interrupt: Extract<TurnEvent, { type: 'interrupt' }> | undefined;
    let resumed = false;
    let checkpointed = false;
    let error: Extract<TurnEvent, { type: 'error' }> | undefined;
    const sink: TurnSink = {
      signal: controller.signal,
      tokens: 0,
      settling: [],
      emit: (event) => {
        if (event.type === 'message-end') stored.set(event.message.id, event.message);
        queue.push(event);
      },
    };
    const started = Date.now();
    const context = { turnId, threadId: this.threadId, userId: this.userId };

    const result = (async (): Promise<TurnResult> => {
      let status: TurnStatus = 'complete';
      queue.push({ type: 'turn-start', turnId, threadId: this.threadId });
      events.emit('turn-start', context);
      sinks.set(this.threadId, sink);
      try {
        if (countsAsTurn) {
          await limits.consume(this.userId, 'turnsPerMinute');
        }
        const prepared = await prepare(turnId);
        if (prepared.kind === 'input' && prepared.player) sink.player = prepared.player;
        resumed = prepared.kind === 'resume';
        // a turn that may pause needs a checkpoint, and a resume continues a paused run
        checkpointed = resumed || (prepared.kind === 'input' && mayPause(prepared.input));
        const workflow = checkpointed ? this.workflow.pausable : this.workflow.straight;
        const config = {
          configurable: { thread_id: this.threadId },
          signal: controller.signal,
          streamMode: 'updates' as const,
          // Checkpoint once, when the turn ends or pauses: a turn is not resumed after a crash
          // (its reply is marked aborted when read), so per-task checkpoints would be wasted writes.
          durability: 'exit' as const,
        };
        const stream = await streamRun(
          workflow,
          prepared.kind === 'input' ? prepared.input : new Command({ resume: prepared.value }),
          config,
        );
        for await (const update of stream) {
          const pending = (update as { __interrupt__?: Array<{ value?: InterruptRequest }> }).__interrupt__;
          const request = pending?.[0]?.value;
          if (request?.interruptId) {
            const { turnId: _asker, ...question } = request;
            interrupt = { type: 'interrupt', ...question };
            queue.push(interrupt);
            status = 'interrupted';
          }
        }
        if (controller.signal.aborted) status = 'aborted';
        if (countsAsTurn) await storage.addUsage?.(this.userId, 'turns');
      } catch (caught) {
        if (controller.signal.aborted || isAbortError(caught)) {
          status = 'aborted';
        } else {
          status = 'error';
          const failure = DreamdeckError.from(caught);
          const safe =
            failure.code === 'INTERNAL'
              ? 'Something went wrong on our side. Your message is saved; try again.'
              : failure.message;
          error = { type: 'error', code: failure.code, message: safe, retryable: failure.retryable };
          if (failure.retryAfterMs !== undefined) Object.assign(error, { retryAfterMs: failure.retryAfterMs });
          queue.push(error);
          if (failure.code === 'INTERNAL' || failure.code === 'STORAGE_ERROR' || failure.code === 'MODEL_UNAVAILABLE') {
            logger.error({ err: caught, ...context }, 'turn failed');
          }
          events.emit('error', { error: failure, ...context });
        }
      } finally {
        await settle(sink.settling);
        sinks.delete(this.threadId);
        options.signal?.removeEventListener('abort', onAbort);
        this.running = undefined;
      }
      queue.push({ type: 'turn-end', turnId, status });
      queue.close();
      events.emit('turn-end', { ...context, status, durationMs: Date.now() - started, tokens: sink.tokens });
      // only checkpointed turns write checkpoints; a resumed turn leaves the interrupted run's
      // checkpoints behind: those are pruned at once
      if (
        checkpointed &&
        status !== 'interrupted' &&
        storage.pruneCheckpoints &&
        (resumed || dueForPruning(this.internals.unpruned, this.threadId))
      ) {
        await storage
          .pruneCheckpoints(this.threadId)
          .catch((pruneError: unknown) => logger.warn({ err: pruneError }, 'checkpoint pruning failed'));
      }
      const messages = [...(sink.player ? [sink.player] : []), ...stored.values()];
      return {
        turnId,
        status,
        messages,
        ...(interrupt && { interrupt }),
        ...(error && { error }),
      };
    })();

    const turn: Turn & { [TURN_EVENTS]: EventQueue<TurnEvent> } = {
      turnId,
      result,
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      [TURN_EVENTS]: queue,
    };
    return turn;
  }
}

/** Finished turns of a thread between two checkpoint prunes (each prune is a write transaction). */
export const PRUNE_EVERY = 8;

/** Threads whose unpruned turns are counted at once; past it the counts start over (pruning only waits longer). */
const MAX_COUNTED_THREADS = 10_000;

/** Counts a finished turn of `threadId`; true (and the count starts over) every {@link PRUNE_EVERY}th. */
function dueForPruning(unpruned: Map<string, number>, threadId: string): boolean {
  const count = (unpruned.get(threadId) ?? 0) + 1;
  if (count < PRUNE_EVERY) {
    if (unpruned.size >= MAX_COUNTED_THREADS && count === 1) unpruned.clear();
    unpruned.set(threadId, count);
    return false;
  }
  unpruned.delete(threadId);
  return true;
}

/** How long a finished turn waits for its tasks' last writes (a model that ignores abort must not hang it). */
const SETTLE_MS = 10_000;

/** Waits for `work` to settle, at most {@link SETTLE_MS}. */
async function settle(work: Promise<unknown>[]): Promise<void> {
  if (work.length === 0) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    Promise.allSettled(work),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SETTLE_MS);
      timer.unref?.();
    }),
  ]);
  clearTimeout(timer);
}
