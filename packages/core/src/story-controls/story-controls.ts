import type { EngineContext } from '../engine/engine-context.js';
import { DreamdeckError } from '../errors.js';
import { clearThreadMemory, readThreadMemory } from '../memory/summary-state.js';
import { newId } from '../storage/ids.js';
import type { MessagePart, StoryMessage, ThreadRecord } from '../types.js';
import { versionsOf } from './message-versions.js';
import { withThreadLock } from './thread-lock.js';

/** The thread a story control works on, and who asks (a `StorySession`, the owner of its lock). */
export interface ControlTarget {
  readonly threadId: string;
  readonly userId: string;
  /** Who holds the thread's lock meanwhile. */
  readonly owner: object;
}

/** A message of the thread that is still in the story, or `NOT_FOUND`. */
export async function storyMessageOf(
  engine: EngineContext,
  threadId: string,
  messageId: string,
): Promise<StoryMessage> {
  if (typeof messageId !== 'string' || !messageId)
    throw new DreamdeckError('INVALID_INPUT', 'Say which message: its id.');
  const message = await engine.storage.getMessage(messageId);
  if (!message || message.threadId !== threadId || message.rewoundAt !== undefined)
    throw new DreamdeckError('NOT_FOUND', 'That message is not in this story.');
  return message;
}

/** The choices a reply offers as a numbered list (2 to 5), as the narrate task reads them. */
function choicesOf(text: string): string[] {
  return [...text.matchAll(/^\s*\d+\.\s+(.+)$/gm)].map((m) => (m[1] as string).replace(/\*\*/g, '').trim());
}

/**
 * Changes the text of a player message or a GM reply in place (no turn runs), under the thread's
 * lock. A reply's numbered choices are read again from the new text. `text` is already cleaned.
 */
export async function editMessageText(
  engine: EngineContext,
  target: ControlTarget,
  messageId: string,
  text: string,
): Promise<StoryMessage> {
  return withThreadLock(engine, target.threadId, target.owner, async () => {
    const message = await storyMessageOf(engine, target.threadId, messageId);
    if (message.role !== 'user' && message.kind !== 'narration')
      throw new DreamdeckError('INVALID_INPUT', 'Only your messages and the GM’s replies can be edited.');
    let parts: MessagePart[] | undefined;
    if (message.kind === 'narration') {
      const choices = choicesOf(text);
      const others = (message.parts ?? []).filter((part) => part.type !== 'choices');
      parts = choices.length >= 2 ? [...others, { type: 'choices', options: choices.slice(0, 5) }] : others;
    }
    return engine.storage.updateMessage(message.id, { content: text, ...(parts && { parts }) });
  });
}

/**
 * Rewinds the story back to and including `messageId` (see {@link rewindFrom}), under the
 * thread's lock. Resolves how many messages left the story.
 */
export function rewindStory(engine: EngineContext, target: ControlTarget, messageId: string): Promise<number> {
  return withThreadLock(engine, target.threadId, target.owner, () => rewindFrom(engine, target.threadId, messageId));
}

/**
 * Marks `messageId` and every later message rewound (they stay stored, out of the story). What
 * memory kept of the story past the rewind goes too: a rolling summary or a fact-extraction cursor
 * that reached a rewound message is cleared (the summary is written again as the story grows).
 * Call it holding the thread (a story control's lock, or a turn's prepare).
 */
export async function rewindFrom(engine: EngineContext, threadId: string, messageId: string): Promise<number> {
  await storyMessageOf(engine, threadId, messageId);
  const count = await engine.storage.rewindMessages(threadId, messageId);
  const state = await readThreadMemory(engine.storage, threadId);
  const rewound = async (id: string | undefined) =>
    id !== undefined && (await engine.storage.getMessage(id))?.rewoundAt !== undefined;
  const [summaryGone, cursorGone] = await Promise.all([
    rewound(state.summary?.throughMessageId),
    rewound(state.extractedThrough),
  ]);
  if (cursorGone) await clearThreadMemory(engine.storage, threadId);
  else if (summaryGone) await clearThreadMemory(engine.storage, threadId, { keepCursor: true });
  return count;
}

/**
 * Shows version `index` of a regenerated reply (0 = the first written; see `versionsOf`), under the
 * thread's lock. The other versions stay as its `alternatives`, in order.
 */
export async function selectAlternative(
  engine: EngineContext,
  target: ControlTarget,
  messageId: string,
  index: number,
): Promise<StoryMessage> {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new DreamdeckError('INVALID_INPUT', 'index is the number of a version: a whole number from 0.');
  return withThreadLock(engine, target.threadId, target.owner, async () => {
    const message = await storyMessageOf(engine, target.threadId, messageId);
    const versions = versionsOf(message);
    if (versions.length < 2) throw new DreamdeckError('INVALID_INPUT', 'That reply has no other versions.');
    const chosen = versions[index];
    if (!chosen)
      throw new DreamdeckError(
        'INVALID_INPUT',
        `That reply has ${versions.length} versions: index 0 to ${versions.length - 1}.`,
      );
    return engine.storage.updateMessage(message.id, {
      content: chosen.content,
      status: chosen.status,
      parts: chosen.parts ?? [],
      alternatives: versions.filter((_, i) => i !== index),
      alternativeIndex: index,
    });
  });
}

/** The reply `session.continue()` writes on: the latest message of the story, a GM reply. */
export async function replyToContinue(engine: EngineContext, threadId: string): Promise<StoryMessage> {
  const [latest] = await engine.storage.listMessages(threadId, { limit: 1 });
  if (latest?.kind !== 'narration')
    throw new DreamdeckError('INVALID_INPUT', 'Only the GM’s latest reply can be continued: write something first.');
  return latest;
}

/**
 * A copy of a message for another thread (a branch, an import): a new id, no rewind mark, and no
 * `remembered` parts (the memories belong to the story they were taken from).
 */
export function copyForThread(message: StoryMessage, threadId: string): StoryMessage {
  const { rewoundAt: _rewound, ...rest } = message;
  const parts = message.parts?.filter((part) => part.type !== 'remembered');
  const copy: StoryMessage = { ...rest, id: newId('msg'), threadId };
  if (parts) copy.parts = parts;
  return copy;
}

/**
 * A new thread holding the story of `target` up to and including `messageId` (copies, with new
 * ids, in one all-or-none write), branched from it: `parentThreadId` and `branchedFromMessageId`
 * say where from. Takes the parent's lock while it reads (`CONFLICT` while a turn runs there).
 * The branch starts without the parent's rolling summary; memory writes a new one as it grows.
 */
export async function branchThread(
  engine: EngineContext,
  target: ControlTarget,
  messageId: string,
): Promise<ThreadRecord> {
  return withThreadLock(engine, target.threadId, target.owner, async () => {
    const { storage } = engine;
    await storyMessageOf(engine, target.threadId, messageId);
    const [parent, story] = await Promise.all([
      storage.getThread(target.threadId),
      storage.listMessages(target.threadId),
    ]);
    if (!parent) throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.');
    const end = story.findIndex((message) => message.id === messageId);
    const thread = await storage.createThread({
      userId: target.userId,
      persona: parent.persona,
      title: `${parent.title.slice(0, 190)} (branch)`,
      parentThreadId: parent.id,
      branchedFromMessageId: messageId,
    });
    try {
      await storage.appendMessages(story.slice(0, end + 1).map((message) => copyForThread(message, thread.id)));
    } catch (error) {
      // nothing half-made: a branch whose story could not be written is removed again
      await storage.deleteThread(thread.id).catch(() => undefined);
      throw error;
    }
    return thread;
  });
}
