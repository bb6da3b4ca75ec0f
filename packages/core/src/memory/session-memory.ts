import { DreamdeckError } from '../errors.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StorySummary } from './memory-types.js';
import { assemblePrompt, type PromptContext, type PromptDeps } from './prompt-assembly.js';
import { readThreadMemory } from './summary-state.js';

// What `session.context()` and `session.summary()` do, kept here so the session only delegates.

/** The prompt of `/write` with no topic: the next narration when the player writes nothing. */
export const CONTINUE_PROMPT = 'Continue the story with the next passage.';

// C0 and C1 control characters except tab, newline and carriage return (as the session cleans input).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * The exact prompt the thread's next narration would send for `text` (the player's next message),
 * or, without it, for `/write` with no topic: the same assembly `narrate` runs. Reads the thread's
 * current persona; `NOT_FOUND` when the thread is gone.
 */
export async function promptContext(
  deps: PromptDeps,
  thread: { id: string; userId: string },
  text?: string,
): Promise<PromptContext> {
  if (text !== undefined && typeof text !== 'string')
    throw new DreamdeckError('INVALID_INPUT', 'The text to preview is a string.');
  const current = await deps.storage.getThread(thread.id);
  if (!current) throw new DreamdeckError('NOT_FOUND', 'This story no longer exists.');
  const clean = text?.replace(CONTROL, '').replace(/\r\n?/g, '\n').trim();
  const prompt = await assemblePrompt(deps, {
    userId: thread.userId,
    threadId: thread.id,
    persona: current.persona,
    prompt: clean || CONTINUE_PROMPT,
  });
  return { messages: prompt.messages, tokens: prompt.tokens, sections: prompt.sections };
}

/** The thread's rolling summary, or null before the first fold (and after a `/reset`). */
export async function threadSummary(storage: StorageAdapter, threadId: string): Promise<StorySummary | null> {
  return (await readThreadMemory(storage, threadId)).summary ?? null;
}
