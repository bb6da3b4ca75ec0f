/**
 * `@dreamdeck/core`: the Dreamdeck story engine. Start with {@link createDreamdeck}.
 * @packageDocumentation
 */

export type { DreamdeckConfig, DreamdeckConfigInput, FlagName, PersonaConfig } from './config/config-schema.js';
export { configSchema, FLAG_NAMES } from './config/config-schema.js';
export type { ConfigSources } from './config/load-config.js';
export { loadConfig, readConfigEnv, readConfigFile } from './config/load-config.js';
export { DICE_LIMITS, findDiceInText, formatRoll, rollDice } from './dice/roll-dice.js';
export type { Dreamdeck, DreamdeckOptions, OpenSessionOptions } from './dreamdeck.js';
export { createDreamdeck, missingStorageMethods } from './dreamdeck.js';
export type { DreamdeckErrorOptions, ErrorCode } from './errors.js';
export { DreamdeckError, ERROR_CODES, isAbortError } from './errors.js';
export type { DreamdeckEvents } from './events.js';
export type { Flags } from './flags/feature-flags.js';
export { FeatureFlags, isFlagName, USER_TOGGLEABLE_FLAGS } from './flags/feature-flags.js';
export type { LimitName } from './limits/rate-limiter.js';
export { RateLimiter } from './limits/rate-limiter.js';
export type { Logger, LoggerOptions, LogLevel } from './logging/logger.js';
export { createLogger, redact } from './logging/logger.js';
export { estimateTokens } from './memory/context-window.js';
export { createDemoImages, drawSceneCard } from './models/demo-images.js';
export type { DemoModelOptions } from './models/demo-model.js';
export { createDemoModel, DemoChatModel } from './models/demo-model.js';
export type { ImageAdapter, ImageRequest, ImageResult, ModelAdapter, SearchAdapter } from './models/model-adapter.js';
export { modelError, toModelAdapter } from './models/model-adapter.js';
export { streamReply } from './models/stream-reply.js';
export type { Persona } from './personas/personas.js';
export { BUILT_IN_PERSONAS } from './personas/personas.js';
export type { TurnOptions } from './session.js';
export { cleanText, StorySession } from './session.js';
export { fixedWindow, newId, utcDay } from './storage/ids.js';
export type { MemoryStorageRaw } from './storage/memory-storage.js';
export { createMemoryStorage } from './storage/memory-storage.js';
export type {
  AuditEvent,
  AuditType,
  ConsumeResult,
  FeedbackAggregate,
  FeedbackRecord,
  KnowledgeHit,
  ListMessagesOptions,
  ListThreadsOptions,
  MessagePatch,
  Page,
  StorageAdapter,
  StorageCapabilities,
  UsageRecord,
} from './storage/storage-adapter.js';
export { CAPABILITY_METHODS, REQUIRED_STORAGE_METHODS } from './storage/storage-adapter.js';
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
