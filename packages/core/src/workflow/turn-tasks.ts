import { createNameStoryTask } from '../story-controls/story-title.js';
import { createExportStoryTask, createSwitchPersonaTask } from './tasks/commands.js';
import { createDiceTask } from './tasks/dice.js';
import { createKnowledgeTask } from './tasks/knowledge.js';
import {
  createForgetCommandTask,
  createListMemoriesTask,
  createRememberCommandTask,
  createResetMemoryTask,
} from './tasks/memory-commands.js';
import { createNarrateTask } from './tasks/narrate.js';
import { createPaintTask } from './tasks/paint.js';
import { createRememberTask } from './tasks/remember.js';
import { createReplyTask } from './tasks/reply.js';
import { createRouteTask } from './tasks/route.js';
import { createStoryboardPromptsTask } from './tasks/storyboard.js';
import { createSummarizeTask } from './tasks/summarize.js';
import { createDailyReportTask, createHelpTask, createTodoCommandTask } from './tasks/tool-commands.js';
import { createWebSearchTask } from './tasks/web-search.js';
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
  /** [`summarize`] Folds what leaves the window into the rolling summary. */
  summarize: ReturnType<typeof createSummarizeTask>;
  /** [`remember`] Facts from the new messages into long-term memory. */
  remember: ReturnType<typeof createRememberTask>;
  /** [`remember-command`] `/remember`. */
  rememberCommand: ReturnType<typeof createRememberCommandTask>;
  /** [`forget-command`] `/forget`. */
  forgetCommand: ReturnType<typeof createForgetCommandTask>;
  /** [`list-memories`] `/memory`. */
  listMemories: ReturnType<typeof createListMemoriesTask>;
  /** [`reset-memory`] `/reset`: a new chapter starts a new summary. */
  resetMemory: ReturnType<typeof createResetMemoryTask>;
  /** [`help`] `/help [command]`: the commands that work for the player, or one explained. */
  help: ReturnType<typeof createHelpTask>;
  /** [`web-search`] `/search` and the router's search route. */
  webSearch: ReturnType<typeof createWebSearchTask>;
  /** [`todo-command`] `/todo add|done|list|clear`. */
  todoCommand: ReturnType<typeof createTodoCommandTask>;
  /** [`daily-report`] `/report`. */
  dailyReport: ReturnType<typeof createDailyReportTask>;
  /** [`name-story`] A story's title from its first GM reply (issue 21). */
  nameStory: ReturnType<typeof createNameStoryTask>;
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
    summarize: createSummarizeTask(context),
    remember: createRememberTask(context),
    rememberCommand: createRememberCommandTask(context),
    forgetCommand: createForgetCommandTask(context),
    listMemories: createListMemoriesTask(context),
    resetMemory: createResetMemoryTask(context),
    help: createHelpTask(context),
    webSearch: createWebSearchTask(context),
    todoCommand: createTodoCommandTask(context),
    dailyReport: createDailyReportTask(context),
    nameStory: createNameStoryTask(context),
  };
}

/** The shared context and the tasks built over it: what the turn body and its steps work with. */
export interface TurnKit {
  context: TurnContext;
  tasks: TurnTasks;
}
