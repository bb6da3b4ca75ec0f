import { createExportStoryTask, createSwitchPersonaTask } from './tasks/commands.js';
import { createDiceTask } from './tasks/dice.js';
import { createKnowledgeTask } from './tasks/knowledge.js';
import { createNarrateTask } from './tasks/narrate.js';
import { createPaintTask } from './tasks/paint.js';
import { createReplyTask } from './tasks/reply.js';
import { createRouteTask } from './tasks/route.js';
import { createStoryboardPromptsTask } from './tasks/storyboard.js';
import type { TurnContext } from './turn-context.js';

/**
 * Every task a turn can run, each a LangGraph `task` built once per engine. Their names (in
 * brackets) are written into checkpoints, so a paused turn resumes only if they never change.
 */
export interface TurnTasks {
  /** [`route`] The model router, for input the rules cannot settle. */
  route: ReturnType<typeof createRouteTask>;
  /** [`reply`] A reply the engine writes itself. */
  reply: ReturnType<typeof createReplyTask>;
  /** [`roll-dice`] A dice roll and its message. */
  rollDice: ReturnType<typeof createDiceTask>;
  /** [`narrate`] The GM's streamed reply. */
  narrate: ReturnType<typeof createNarrateTask>;
  /** [`storyboard-prompts`] Image prompts for a scene. */
  storyboardPrompts: ReturnType<typeof createStoryboardPromptsTask>;
  /** [`paint`] The storyboard's images and message. */
  paint: ReturnType<typeof createPaintTask>;
  /** [`switch-persona`] `/persona`. */
  switchPersona: ReturnType<typeof createSwitchPersonaTask>;
  /** [`export-story`] `/save`. */
  exportStory: ReturnType<typeof createExportStoryTask>;
  /** [`lookup-knowledge`] Lore lines for the narration. */
  lookupKnowledge: ReturnType<typeof createKnowledgeTask>;
}

/** Builds every task of a turn over one shared context (once per engine). */
export function createTurnTasks(context: TurnContext): TurnTasks {
  return {
    route: createRouteTask(context),
    reply: createReplyTask(context),
    rollDice: createDiceTask(context),
    narrate: createNarrateTask(context),
    storyboardPrompts: createStoryboardPromptsTask(context),
    paint: createPaintTask(context),
    switchPersona: createSwitchPersonaTask(context),
    exportStory: createExportStoryTask(context),
    lookupKnowledge: createKnowledgeTask(context),
  };
}

/** The shared context and the tasks built over it: what the turn body and its steps work with. */
export interface TurnKit {
  context: TurnContext;
  tasks: TurnTasks;
}
