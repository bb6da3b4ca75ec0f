import { interrupt } from '@langchain/langgraph';
import { memoryUpkeep } from './memory-upkeep.js';
import type { NarrationRequest } from './tasks/narrate.js';
import type { SceneSource } from './tasks/storyboard.js';
import type { InterruptRequest, StoryboardFlags, TurnInput } from './turn-context.js';
import type { TurnKit } from './turn-tasks.js';

// Steps of the turn body, not tasks: they call tasks and `interrupt()`, and run again on resume
// (the tasks they called are replayed from the checkpoint, not re-run).

/** The storyboard flags the turn started with (read now only for a turn without them). */
export async function storyboardFlags(kit: TurnKit, input: TurnInput): Promise<StoryboardFlags> {
  return input.storyboard ?? (await kit.context.flags.effective({ userId: input.userId }));
}

/**
 * Narration and its memory upkeep, then (when `imageGeneration` is on and `storyboard.auto`) a storyboard of it,
 * reviewed by the player first when `storyboardReview` is on. Resolves to the new messages' ids.
 */
export async function narrateAndIllustrate(
  kit: TurnKit,
  input: TurnInput,
  request: NarrationRequest,
): Promise<string[]> {
  const narration = await kit.tasks.narrate(request);
  await memoryUpkeep(kit, input, narration);
  // named before the storyboard: its question pauses the turn, and a player may never answer it
  if (input.nameStory) await kit.tasks.nameStory({ threadId: input.threadId, messageIds: [narration.messageId] });
  const ids = [narration.messageId];
  const flags = await storyboardFlags(kit, input);
  if (flags.imageGeneration && kit.context.config().storyboard.auto && flags.auto !== false) {
    ids.push(...(await storyboard(kit, input, { messageId: narration.messageId }, flags.storyboardReview)));
  }
  return ids;
}

/**
 * A storyboard of a scene: prompts, then (with `review`) an `approve-storyboard` interrupt that
 * pauses the turn until the player answers, then the painting. Skipped (no ids) unless approved.
 */
export async function storyboard(
  kit: TurnKit,
  input: TurnInput,
  source: SceneSource,
  review: boolean,
): Promise<string[]> {
  const prompts = await kit.tasks.storyboardPrompts({ threadId: input.threadId, source });
  if (review) {
    const request: InterruptRequest = {
      interruptId: `int_${input.turnId}_storyboard`,
      turnId: input.turnId,
      kind: 'approve-storyboard',
      prompt: `Paint ${prompts.length === 1 ? 'this scene' : `these ${prompts.length} scenes`}?`,
      options: prompts,
    };
    const approved = interrupt(request);
    if (approved !== true) return [];
  }
  return [await kit.tasks.paint({ threadId: input.threadId, turnId: input.turnId, userId: input.userId, prompts })];
}
