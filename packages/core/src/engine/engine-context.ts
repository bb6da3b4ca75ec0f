import type { EventEmitter } from 'eventemitter3';
import type { DreamdeckConfig } from '../config/config-schema.js';
import type { DreamdeckEvents } from '../events.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../logging/logger.js';
import type { DreamdeckMemory } from '../memory/memory-types.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { StoryWorkflow } from '../workflow/story-workflow.js';
import type { TurnSink } from '../workflow/turn-sink.js';
import type { TurnJournals } from './turn-journals.js';
import type { TurnRegistry } from './turn-registry.js';

/**
 * What one engine shares with its sessions and their turns: built once by `createDreamdeck`,
 * handed to every `StorySession`. Lives apart from both so that neither imports the other.
 * Not public API.
 */
export interface EngineContext {
  storage: StorageAdapter;
  config: () => DreamdeckConfig;
  /** Long-term memory (`dd.memory`). */
  memory: DreamdeckMemory;
  /** The story workflow every turn runs. */
  workflow: StoryWorkflow;
  /** The running turn's sink per thread, where the workflow's tasks send events. */
  sinks: Map<string, TurnSink>;
  /** One turn per thread: which threads run a turn, here and (through storage leases) anywhere. */
  turns: TurnRegistry;
  /** Each turn's numbered events, for streams and rejoins (here and, through storage, elsewhere). */
  journals: TurnJournals;
  /** Finished turns per thread since its checkpoints were last pruned (this process). */
  unpruned: Map<string, number>;
  events: EventEmitter<DreamdeckEvents>;
  logger: Logger;
  limits: RateLimiter;
  flags: FeatureFlags;
}
