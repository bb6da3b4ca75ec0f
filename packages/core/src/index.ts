/**
 * `@dreamdeck/core`: the Dreamdeck story engine. Start with {@link createDreamdeck}.
 *
 * This entry holds what an app developer uses: the engine, its sessions and turns, the built-in
 * demo model, demo images and memory storage, errors, config and the wire types. Helpers for people
 * writing their own storage or model adapters live at `@dreamdeck/core/adapter-kit`; conformance
 * suites at `@dreamdeck/core/testing`; the HTTP API at `@dreamdeck/core/http`.
 * @packageDocumentation
 */

export type {
  DreamdeckConfig,
  DreamdeckConfigInput,
  FlagName,
  PersonaConfig,
  PromptVariant,
  SurveyConfig,
  SurveyQuestion,
} from './config/config-schema.js';
export { configSchema, FLAG_NAMES } from './config/config-schema.js';
export type { Dreamdeck, DreamdeckOptions, OpenSessionOptions } from './dreamdeck.js';
export { createDreamdeck } from './dreamdeck.js';
export type { TurnReplay } from './engine/turn-event-source.js';
export type { DreamdeckErrorOptions, ErrorCode } from './errors.js';
export { DreamdeckError, ERROR_CODES } from './errors.js';
export type { DreamdeckEvents } from './events.js';
export type { FeatureFlags, Flags } from './flags/feature-flags.js';
export type {
  DreamdeckKnowledge,
  KnowledgeAddInput,
  KnowledgeAddOptions,
  KnowledgeAddResult,
  KnowledgeProgress,
  KnowledgeSearchOptions,
  KnowledgeSearchResult,
} from './knowledge/knowledge-types.js';
export type { LimitName, RateLimiter } from './limits/rate-limiter.js';
export type { Logger, LogLevel } from './logging/logger.js';
export type {
  CardImport,
  DreamdeckLore,
  ListLoreOptions,
  LoreEntry,
  LoreEntryPatch,
  LoreScope,
  NewLoreEntry,
  StoredLoreEntry,
  WorldInfoImport,
} from './lore/lore-types.js';
export type { PromptMessage } from './memory/context-window.js';
export type {
  DreamdeckMemory,
  ListMemoriesOptions,
  MemoryRecord,
  MemoryScope,
  RememberInput,
  StorySummary,
} from './memory/memory-types.js';
export type {
  PromptContext,
  PromptSectionName,
  PromptSlots,
  SlotEntry,
  SlotFiller,
  SlotRequest,
} from './memory/prompt-assembly.js';
export { createDemoImages } from './models/demo-images.js';
export type { DemoModelOptions } from './models/demo-model.js';
export { createDemoModel, DemoChatModel } from './models/demo-model.js';
export type { ImageAdapter, ImageRequest, ImageResult, ModelAdapter, SearchAdapter } from './models/model-adapter.js';
export type {
  DreamdeckVariants,
  PersonaExperiment,
  VariantStats,
} from './personas/dreamdeck-variants.js';
export type { Persona } from './personas/personas.js';
export { BUILT_IN_PERSONAS } from './personas/personas.js';
export type { VariantPromotion } from './personas/prompt-variants.js';
export { assignVariant, wilsonInterval } from './personas/prompt-variants.js';
export type { EditOptions, RejoinOptions, StorySession, TurnOptions } from './session.js';
export { createMemoryStorage } from './storage/memory-storage.js';
export type {
  AuditEvent,
  AuditType,
  FeedbackAggregate,
  FeedbackRecord,
  KnowledgeChunkInput,
  KnowledgeDocument,
  KnowledgeHit,
  KnowledgePassage,
  KnowledgeVisibility,
  ListMessagesOptions,
  ListThreadsOptions,
  Page,
  StorageAdapter,
  StorageCapabilities,
  TurnEventEntry,
  UsageRecord,
} from './storage/storage-adapter.js';
export type {
  DreamdeckSurveys,
  QuestionReport,
  SurveyAnswer,
  SurveyAnswers,
  SurveyDefinition,
  SurveyReport,
  SurveyReportOptions,
  SurveyResponse,
} from './surveys/survey-types.js';
export { MAX_TODO_LENGTH, MAX_TODOS, TodoBook } from './todos/todo-book.js';
export type { DailyReport, TodoItem, TodoListOptions, TodoPage, TodoStatus } from './todos/todo-types.js';
export type {
  DiceRoll,
  InterruptKind,
  MessageAlternative,
  MessageKind,
  MessagePart,
  MessageRole,
  MessageStatus,
  StoryImage,
  StoryMessage,
  ThreadRecord,
  Turn,
  TurnEvent,
  TurnResult,
  TurnStatus,
  UserRecord,
} from './types.js';
export type { CommandName } from './workflow/router.js';
export { COMMANDS } from './workflow/router.js';
export { STORYBOARD_PREFERENCES, type StoryboardPreference } from './workflow/turn-context.js';
