// How a StorySession prepares its turns: the player's text checked, the turn's input built, the
// player's message stored, an interrupt's answer checked; run by `runTurn` as the turn's `prepare`.
import { cleanText } from './clean-text.js';
import type { EngineContext } from './engine/engine-context.js';
import type { TurnPlan } from './engine/run-turn.js';
import { DreamdeckError } from './errors.js';
import { newId } from './storage/ids.js';
import { DEFAULT_TITLE } from './story-controls/story-title.js';
import { storeSurveyResponse, surveyDue } from './surveys/dreamdeck-surveys.js';
import { graphemeLength } from './text-length.js';
import type { StoryMessage, ThreadRecord } from './types.js';
import { type InterruptRequest, storyboardFlagsFor, type TurnInput } from './workflow/turn-context.js';

/** The thread a session's turns run on, and its player. */
export interface SessionThread {
  readonly threadId: string;
  readonly userId: string;
}

/** The player's text cleaned (control characters stripped, trimmed); `INVALID_INPUT` when empty or too long. */
export function checkedText(engine: EngineContext, text: string): string {
  if (typeof text !== 'string') throw new DreamdeckError('INVALID_INPUT', 'Write something for your character to do.');
  const clean = cleanText(text);
  const max = engine.config().input.maxLength;
  if (!clean) throw new DreamdeckError('INVALID_INPUT', 'Write something for your character to do.');
  const length = clean.length > max ? graphemeLength(clean) : clean.length;
  if (length > max) {
    throw new DreamdeckError(
      'INVALID_INPUT',
      `That is ${length} characters; the limit is ${max}. Try splitting it up.`,
    );
  }
  return clean;
}

/** A turn's input for `thread` as stored: its persona, and whether the story still wants a title. */
function inputFor(
  session: SessionThread,
  thread: ThreadRecord,
  turnId: string,
  action: TurnInput['action'],
): TurnInput {
  return {
    turnId,
    threadId: session.threadId,
    userId: session.userId,
    persona: thread.persona,
    action,
    ...(thread.title === DEFAULT_TITLE && { nameStory: true }),
  };
}

/** A turn's input, the thread read first; `NOT_FOUND` when the story was deleted. */
async function turnInput(
  engine: EngineContext,
  session: SessionThread,
  turnId: string,
  action: TurnInput['action'],
): Promise<TurnInput> {
  const thread = await engine.storage.getThread(session.threadId);
  if (!thread) throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.');
  return inputFor(session, thread, turnId, action);
}

/** Prepares a `send` of checked text: touches the thread, reads the player's settings, stores their message. */
export async function prepareSend(
  engine: EngineContext,
  session: SessionThread,
  turnId: string,
  clean: string,
): Promise<TurnPlan> {
  const { storage } = engine;
  const playerId = newId('msg');
  // Touching the thread (it sorts first in the thread list) also reads its current persona, and
  // fails with NOT_FOUND when it was deleted: one storage call instead of a read and a write.
  const thread = await storage.updateThread(session.threadId, {}).catch((error: unknown) => {
    if (DreamdeckError.isInstance(error) && error.code === 'NOT_FOUND')
      throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.', { cause: error });
    throw error;
  });
  const [flags, survey, preferences] = await Promise.all([
    engine.flags.effective({ userId: session.userId }),
    surveyDue(engine, session.userId),
    storage.getPreferences(session.userId),
  ]);
  const input: TurnInput = {
    ...inputFor(session, thread, turnId, { type: 'send', text: clean, playerId }),
    // the player's `storyboards` preference: after every reply, only on /storyboard, or never asked
    storyboard: storyboardFlagsFor(flags, preferences.storyboards),
    ...(survey && { survey: survey.id }),
  };
  // The player's words are stored before the workflow starts (so they survive whatever the turn
  // does) and are not a task: that would cost every turn a LangGraph task for one insert.
  const player: StoryMessage = {
    id: playerId,
    threadId: session.threadId,
    turnId,
    role: 'user',
    kind: 'player',
    content: clean,
    createdAt: new Date().toISOString(),
    status: 'complete',
  };
  await storage.appendMessage(player);
  return { kind: 'input', input, player };
}

/** Prepares a `resume`: checks `value` against the pending interrupt (a survey's answers are stored). */
export async function prepareResume(
  engine: EngineContext,
  session: SessionThread,
  interruptId: string,
  value: unknown,
): Promise<TurnPlan> {
  const pending = await pendingInterrupt(engine, session.threadId);
  if (!pending || pending.interruptId !== interruptId) {
    throw new DreamdeckError('NOT_FOUND', 'That question has already been answered or has expired.');
  }
  if (pending.kind === 'approve-storyboard' && typeof value !== 'boolean') {
    throw new DreamdeckError('INVALID_INPUT', 'Answer a storyboard review with true (paint) or false (skip).');
  }
  if (pending.kind === 'choice' && !pending.options?.includes(value as string)) {
    throw new DreamdeckError('INVALID_INPUT', `Choose one of: ${pending.options?.join(', ')}.`);
  }
  if (pending.kind === 'survey' && pending.survey) {
    const response = await storeSurveyResponse(engine, pending.survey, session.userId, session.threadId, value);
    // LangGraph cannot resume with null: a skip goes on as `false`
    return { kind: 'resume', value: response.answers ?? false };
  }
  return { kind: 'resume', value };
}

/** Prepares a `regenerate` of the latest narration, which `messageId` (when given) must be. */
export async function prepareRegenerate(
  engine: EngineContext,
  session: SessionThread,
  turnId: string,
  messageId: string | undefined,
): Promise<TurnPlan> {
  const { storage } = engine;
  const recent = await storage.listMessages(session.threadId, { limit: 30 });
  const latest = [...recent].reverse().find((m) => m.kind === 'narration');
  if (!latest) throw new DreamdeckError('NOT_FOUND', 'There is no reply to regenerate yet.');
  if (messageId && messageId !== latest.id) {
    const exists = await storage.getMessage(messageId);
    if (!exists || exists.threadId !== session.threadId)
      throw new DreamdeckError('NOT_FOUND', 'That message does not exist.');
    throw new DreamdeckError('INVALID_INPUT', 'Only the latest reply can be regenerated.');
  }
  return {
    kind: 'input',
    input: await turnInput(engine, session, turnId, { type: 'regenerate', messageId: latest.id }),
  };
}

/** Prepares a `continue` of the reply `messageId` (the story's latest GM reply). */
export async function prepareContinue(
  engine: EngineContext,
  session: SessionThread,
  turnId: string,
  messageId: string,
): Promise<TurnPlan> {
  return { kind: 'input', input: await turnInput(engine, session, turnId, { type: 'continue', messageId }) };
}

/**
 * The interrupt the thread is waiting on, if any. Only the thread's latest turn can wait: a
 * question from an earlier turn (the player wrote on instead of answering) has expired.
 */
export async function pendingInterrupt(engine: EngineContext, threadId: string): Promise<InterruptRequest | undefined> {
  const [state, [latest]] = await Promise.all([
    engine.workflow.pausable.getState({ configurable: { thread_id: threadId } }),
    engine.storage.listMessages(threadId, { limit: 1 }),
  ]);
  for (const task of state.tasks) {
    for (const pending of task.interrupts ?? []) {
      const value = pending.value as InterruptRequest | undefined;
      if (value?.interruptId && value.turnId === latest?.turnId) return value;
    }
  }
  return undefined;
}
