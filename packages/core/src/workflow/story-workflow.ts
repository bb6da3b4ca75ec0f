import { entrypoint } from '@langchain/langgraph';
import { createTurn } from './turn.js';
import type { TurnContext } from './turn-context.js';
import { createTurnTasks } from './turn-tasks.js';

/**
 * Builds the story workflow: one LangGraph `entrypoint` per turn with a `task` for every side
 * effect (storing messages, routing, dice, narration, storyboard prompts, painting; see
 * `tasks/`), and `interrupt()` for storyboard review. History lives in storage, not in the
 * checkpoint. The tasks are built here, once per engine, over one shared context.
 */
export function createStoryWorkflow(context: TurnContext) {
  const turn = createTurn({ context, tasks: createTurnTasks(context) });
  // No `store` here: LangGraph JS wraps a run's store in an AsyncBatchedStore that polls with
  // setTimeout(0) for the whole run (a timer a millisecond per waiting turn; 1,000 open streams kept
  // 70% of a core busy). Tasks that need long-term memory use `storage.store` directly.
  return {
    pausable: entrypoint({ name: 'dreamdeck-turn', checkpointer: context.storage.checkpointer }, turn),
    straight: entrypoint({ name: 'dreamdeck-turn' }, turn),
    /** The context the tasks share (what `session.context()` assembles a prompt from). */
    context,
  };
}

/**
 * The story workflow: one body, two entrypoints. A turn that may pause at an `interrupt` (its
 * storyboard flags ask for review) and every resume run `pausable`, checkpointed when the turn
 * ends or pauses, which is what `interrupt()` needs. A turn that cannot pause (storyboards off or
 * unreviewed, a regenerate) runs `straight`, with no checkpoint to read or write: nothing would
 * ever resume it, and its history is in storage.
 */
export type StoryWorkflow = ReturnType<typeof createStoryWorkflow>;
