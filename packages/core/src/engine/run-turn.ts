import { Command } from '@langchain/langgraph';
import { DreamdeckError, isAbortError, publicMessage } from '../errors.js';
import { newId } from '../storage/ids.js';
import type { StoryMessage, Turn, TurnEvent, TurnResult, TurnStatus } from '../types.js';
import { streamRun } from '../workflow/stream-run.js';
import { type InterruptRequest, mayPause, type TurnInput } from '../workflow/turn-context.js';
import { EventQueue, TURN_EVENTS, type TurnSink } from '../workflow/turn-sink.js';
import { pruneAfterTurn } from './checkpoint-pruning.js';
import type { EngineContext } from './engine-context.js';
import { TURN_JOURNAL, type TurnJournal } from './turn-journal.js';

/** What a turn runs: new input for the workflow, or the answer to the interrupt it paused at. */
export type TurnPlan = { kind: 'input'; input: TurnInput; player?: StoryMessage } | { kind: 'resume'; value: unknown };

/** One turn to run on a thread (see {@link runTurn}). */
export interface TurnRequest {
  threadId: string;
  userId: string;
  /** Who starts it (a `StorySession`): the same owner starting a second turn while one runs is refused at once. */
  owner: object;
  /** Aborting ends the turn with status `aborted`. */
  signal?: AbortSignal | undefined;
  /**
   * Reads and writes what the turn needs (the player's message, the interrupt it answers) once the
   * thread is held and the rate limit passed. A `DreamdeckError` it throws ends the turn with that code.
   */
  prepare: (turnId: string) => Promise<TurnPlan>;
  /** Counts against `turnsPerMinute` and usage (a resume does not). */
  countsAsTurn: boolean;
}

const BUSY_ELSEWHERE = 'Another turn is running in this story. Try again when it has ended.';
const BUSY_MESSAGE = 'A turn is already running in this story. Wait for it or stop it first.';

/**
 * Runs one turn: takes the thread ({@link EngineContext.turns}), checks the rate limit, streams
 * the workflow, and reports events and the final status. A thread that already runs a turn (from
 * another session here, or another instance on the same storage) ends the new turn at once with
 * an `error` event of code `CONFLICT` and `turn-end` status `error`, as a rate-limited turn ends;
 * the running turn is untouched. The same owner starting a second turn throws `INVALID_INPUT` at once.
 */
export function runTurn(context: EngineContext, request: TurnRequest): Turn {
  const { threadId, userId, signal } = request;
  const { storage, sinks, events, logger, limits, turns, journals } = context;
  if (turns.running(threadId)?.owner === request.owner) throw new DreamdeckError('INVALID_INPUT', BUSY_MESSAGE);
  const turnId = newId('turn');
  // synchronous, so two turns started in the same tick cannot both pass
  const claim = turns.claim(threadId, turnId, request.owner);
  const queue = new EventQueue<TurnEvent>();
  // every event goes into the turn's journal (numbered, for streams and rejoins), which also
  // hands it to the queue behind the public iterator
  const journal = journals.open(turnId, threadId);
  journal.attachRaw(queue);
  const controller = new AbortController();
  journal.setStopper((reason) => controller.abort(reason));
  const onAbort = () => controller.abort(signal?.reason);
  if (signal?.aborted) controller.abort(signal.reason);
  else signal?.addEventListener('abort', onAbort, { once: true });
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
      journal.push(event);
    },
  };
  const started = Date.now();
  const eventContext = { turnId, threadId, userId };
  const lost = () =>
    controller.abort(new DreamdeckError('CONFLICT', 'Another server took over this story; this turn stopped.'));

  const result = (async (): Promise<TurnResult> => {
    let status: TurnStatus = 'complete';
    let usage: Promise<unknown> | undefined;
    journal.push({ type: 'turn-start', turnId, threadId });
    events.emit('turn-start', eventContext);
    try {
      // the lease first: a turn refused with CONFLICT (and retried by its client) spends no rate limit
      if (!claim || !(await turns.lease(claim, lost))) throw new DreamdeckError('CONFLICT', BUSY_ELSEWHERE);
      sinks.set(threadId, sink);
      if (request.countsAsTurn) await limits.consume(userId, 'turnsPerMinute');
      const prepared = await request.prepare(turnId);
      // the turn runs for real: from now on other instances can read it (a refused turn never writes)
      journals.share(journal);
      if (prepared.kind === 'input' && prepared.player) sink.player = prepared.player;
      // tool messages carry the turn's persona (a resume reads the story's)
      sink.persona = prepared.kind === 'input' ? prepared.input.persona : (await storage.getThread(threadId))?.persona;
      resumed = prepared.kind === 'resume';
      // a turn that may pause needs a checkpoint, and a resume continues a paused run
      checkpointed = resumed || (prepared.kind === 'input' && mayPause(prepared.input));
      const workflow = checkpointed ? context.workflow.pausable : context.workflow.straight;
      const config = {
        configurable: { thread_id: threadId },
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
        const asked = pending?.[0]?.value;
        if (asked?.interruptId) {
          const { turnId: _asker, ...question } = asked;
          interrupt = { type: 'interrupt', ...question };
          journal.push(interrupt);
          status = 'interrupted';
        }
      }
      if (controller.signal.aborted) status = 'aborted';
      // counted while the turn settles and the lease is released (a failed count is logged, not the turn's failure)
      if (request.countsAsTurn)
        usage = storage
          .addUsage?.(userId, 'turns')
          .catch((usageError: unknown) => logger.warn({ err: usageError, ...eventContext }, 'usage count failed'));
    } catch (caught) {
      if (controller.signal.aborted || isAbortError(caught)) {
        status = 'aborted';
      } else {
        status = 'error';
        const failure = DreamdeckError.from(caught);
        error = { type: 'error', code: failure.code, message: publicMessage(failure), retryable: failure.retryable };
        if (failure.retryAfterMs !== undefined) Object.assign(error, { retryAfterMs: failure.retryAfterMs });
        journal.push(error);
        if (failure.code === 'INTERNAL' || failure.code === 'STORAGE_ERROR' || failure.code === 'MODEL_UNAVAILABLE') {
          logger.error({ err: caught, ...eventContext }, 'turn failed');
        }
        events.emit('error', { error: failure, ...eventContext });
      }
    } finally {
      await settle(sink.settling);
      if (sinks.get(threadId) === sink) sinks.delete(threadId);
      // the thread is free (here and for other instances) before `turn-end` tells anyone
      await Promise.all([claim && turns.release(claim), usage]);
      signal?.removeEventListener('abort', onAbort);
    }
    journal.push({ type: 'turn-end', turnId, status });
    queue.close();
    journals.finish(journal);
    events.emit('turn-end', { ...eventContext, status, durationMs: Date.now() - started, tokens: sink.tokens });
    // only checkpointed turns write checkpoints. A paused turn counts too: the question it left
    // stays answerable (a prune keeps the thread's latest checkpoint), and once the player writes
    // on, the question before it can never be answered, so its checkpoint may go. A resumed turn
    // leaves the interrupted run's checkpoints behind: those are pruned at once.
    if (checkpointed) await pruneAfterTurn(context, threadId, resumed);
    const messages = [...(sink.player ? [sink.player] : []), ...stored.values()];
    return {
      turnId,
      status,
      messages,
      ...(interrupt && { interrupt }),
      ...(error && { error }),
    };
  })();

  const turn: Turn & { [TURN_EVENTS]: EventQueue<TurnEvent>; [TURN_JOURNAL]: TurnJournal } = {
    turnId,
    result,
    [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
    [TURN_EVENTS]: queue,
    [TURN_JOURNAL]: journal,
  };
  return turn;
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
