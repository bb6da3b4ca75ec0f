import { type FSWatcher, watch } from 'node:fs';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { EventEmitter } from 'eventemitter3';
import type { DreamdeckConfig, DreamdeckConfigInput } from './config/config-schema.js';
import { type ConfigSources, loadConfig } from './config/load-config.js';
import type { EngineContext } from './engine/engine-context.js';
import { announceConfigReload, listenToInstances } from './engine/instance-channels.js';
import { DEFAULT_TURN_RETENTION_MS, TurnJournals } from './engine/turn-journals.js';
import { DEFAULT_TURN_LEASE_MS } from './engine/turn-leases.js';
import { TurnRegistry } from './engine/turn-registry.js';
import { DreamdeckError } from './errors.js';
import type { DreamdeckEvents } from './events.js';
import { FeatureFlags } from './flags/feature-flags.js';
import { createDreamdeckKnowledge } from './knowledge/dreamdeck-knowledge.js';
import { createKnowledgeSlots } from './knowledge/knowledge-slots.js';
import type { DreamdeckKnowledge } from './knowledge/knowledge-types.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { createLogger, type Logger, type LogLevel } from './logging/logger.js';
import { createDreamdeckLore } from './lore/dreamdeck-lore.js';
import { readUserPersona } from './lore/lore-book.js';
import { createLoreSlots } from './lore/lore-slots.js';
import type { DreamdeckLore } from './lore/lore-types.js';
import { createDreamdeckMemory } from './memory/dreamdeck-memory.js';
import type { DreamdeckMemory } from './memory/memory-types.js';
import { createDemoImages } from './models/demo-images.js';
import { createDemoModel } from './models/demo-model.js';
import { type ImageAdapter, type ModelAdapter, type SearchAdapter, toModelAdapter } from './models/model-adapter.js';
import { createDreamdeckVariants, type DreamdeckVariants } from './personas/dreamdeck-variants.js';
import { type Persona, resolvePersonas } from './personas/personas.js';
import { VariantPromotions } from './personas/prompt-variants.js';
import { StorySession } from './session.js';
import { createMemoryStorage } from './storage/memory-storage.js';
import { missingStorageMethods, type StorageAdapter } from './storage/storage-adapter.js';
import { importStory } from './story-controls/import-story.js';
import { createDreamdeckSurveys } from './surveys/dreamdeck-surveys.js';
import type { DreamdeckSurveys } from './surveys/survey-types.js';
import { TodoBook } from './todos/todo-book.js';
import { createStoryWorkflow } from './workflow/story-workflow.js';
import type { TurnSink } from './workflow/turn-sink.js';

/** Options for {@link createDreamdeck}. */
export interface DreamdeckOptions {
  /** Where stories live (default: `createMemoryStorage()`, lost on exit). */
  storage?: StorageAdapter;
  /** The storyteller (default: the offline demo model). Any LangChain chat model works as it is. */
  model?: ModelAdapter | BaseChatModel;
  /** The storyboard painter (default: the offline SVG demo painter). */
  images?: ImageAdapter;
  /** Optional web search. */
  search?: SearchAdapter;
  /** Any LangChain `Embeddings`: memory recall and knowledge search rank by meaning too (lexical BM25 without). */
  embeddings?: EmbeddingsInterface;
  /** Configuration given in code; wins over the file and `DREAMDECK_*` env. */
  config?: DreamdeckConfigInput;
  /** A JSON or YAML config file (default: `DREAMDECK_CONFIG`). */
  configFile?: string;
  /** Environment to read `DREAMDECK_*` from (default `process.env`; `false` ignores it). */
  env?: ConfigSources['env'];
  /** A pino-compatible logger (default: JSON lines to stderr at the configured level). */
  logger?: Logger;
  /** Reload config when the config file changes (default `false`). Invalid edits are logged and ignored. */
  watchConfig?: boolean;
  /**
   * How long, in milliseconds, a thread stays locked after the server instance running its turn
   * died (default 30,000). Each running turn holds a lease this long in storage and renews it every
   * third of it; a lower value frees a dead instance's threads sooner for one more storage write
   * per turn that outlives a third of it. For storage adapters with leases (all built-in ones).
   */
  turnLeaseMs?: number;
  /**
   * How long, in milliseconds, a finished turn's events stay readable for a client that rejoins it
   * late (`session.rejoin`, `GET /threads/:id/turns/:turnId/events`; default 60,000). A turn every
   * reader read to its end is freed after 5 s already (at most this long). Each engine also keeps
   * at most 32 MB of finished turns in memory; on PostgreSQL, stored turn events are pruned after
   * this long.
   */
  turnRetentionMs?: number;
}

/** Options for {@link Dreamdeck.openSession}. */
export interface OpenSessionOptions {
  /** The player; created on first use when opening a new thread. */
  userId: string;
  /** Resume this thread; it must belong to `userId` (else `NOT_FOUND`). Omit for a new thread. */
  threadId?: string;
  /** Persona for a new thread (default: config's `defaultPersona`). */
  persona?: string;
  /** Title for a new thread. */
  title?: string;
}

/** A running Dreamdeck: open sessions, read flags and limits, listen to events. */
export interface Dreamdeck {
  /** The validated configuration now in effect. */
  readonly config: DreamdeckConfig;
  /** Where stories live. */
  readonly storage: StorageAdapter;
  /** The storyteller. */
  readonly model: ModelAdapter;
  /** The storyboard painter, if any. */
  readonly images: ImageAdapter | undefined;
  /** Web search, if configured. */
  readonly search: SearchAdapter | undefined;
  /** Each player's to-do list and daily report (`/todo`, `/report`, `GET /todos`; see docs/user-manual.md). */
  readonly todos: TodoBook;
  /** Feature flags: config defaults, global and per-user overrides. */
  readonly flags: FeatureFlags;
  /** Per-user rate limits and the image concurrency cap. */
  readonly limits: RateLimiter;
  /** Long-term memory per user: list, remember, update, forget (see docs/memory.md). */
  readonly memory: DreamdeckMemory;
  /** The knowledge base: documents the GM draws on and cites, global, per user or per story (see docs/knowledge.md). */
  readonly knowledge: DreamdeckKnowledge;
  /** The lorebook per user: world-info entries, character card and world-info imports (see docs/lore.md). */
  readonly lore: DreamdeckLore;
  /** Surveys asked after a number of turns: responses and their aggregates (see docs/surveys.md). */
  readonly surveys: DreamdeckSurveys;
  /** Prompt experiments: thumbs per persona variant, and promoting one (see docs/prompt-experiments.md). */
  readonly variants: DreamdeckVariants;
  /** Typed events: `turn-start`, `turn-end`, `error`, `rate-limited`, `flag-change`, … */
  readonly events: EventEmitter<DreamdeckEvents>;
  /** Where the engine logs. */
  readonly logger: Logger;
  /** The personas available (built-in plus configured). */
  personas(): Persona[];
  /** Opens a new thread, or resumes one the user owns. */
  openSession(options: OpenSessionOptions): Promise<StorySession>;
  /**
   * Imports a story as a new thread of `userId`: `session.export('json')` output (its text or the
   * parsed object) or a SillyTavern chat `.jsonl` (see docs/story-controls.md). Resolves a session
   * on the new thread. Anything else fails with `INVALID_INPUT` and nothing is stored.
   */
  importThread(userId: string, exported: unknown): Promise<StorySession>;
  /**
   * Reads config sources again (file, env) and applies the result. On an invalid config the old
   * one stays and the error is thrown (and emitted as `config-reload`). When the storage has
   * notifications (PostgreSQL), every other instance on it is told to reload its own sources too
   * (`config` given here is not sent: it applies to this instance only).
   */
  reloadConfig(config?: DreamdeckConfigInput): Promise<DreamdeckConfig>;
  /** Stops everything and closes storage. */
  close(): Promise<void>;
}

/**
 * Creates a Dreamdeck engine. Validates config (throws `CONFIG_INVALID` naming every bad path),
 * checks the storage adapter (throws `CONFIG_INVALID` naming every missing method) and runs its
 * migrations.
 */
export async function createDreamdeck(options: DreamdeckOptions = {}): Promise<Dreamdeck> {
  const sources: ConfigSources = {
    ...(options.configFile && { file: options.configFile }),
    ...(options.env !== undefined && { env: options.env }),
    ...(options.config && { config: options.config }),
  };
  let config = loadConfig(sources);
  const leaseMs = options.turnLeaseMs ?? DEFAULT_TURN_LEASE_MS;
  if (!Number.isFinite(leaseMs) || leaseMs < 100) {
    throw new DreamdeckError('CONFIG_INVALID', `[dreamdeck] turnLeaseMs must be at least 100 (got ${leaseMs}).`);
  }
  const retentionMs = options.turnRetentionMs ?? DEFAULT_TURN_RETENTION_MS;
  if (!Number.isFinite(retentionMs) || retentionMs < 0) {
    throw new DreamdeckError('CONFIG_INVALID', `[dreamdeck] turnRetentionMs must be 0 or more (got ${retentionMs}).`);
  }
  const logger = options.logger ?? createLogger({ level: config.logging.level });
  const storage = options.storage ?? createMemoryStorage();
  const missing = missingStorageMethods(storage);
  if (missing.length) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] storage adapter "${storage.name}" is missing: ${missing.join(', ')}`,
    );
  }
  await storage.init();
  const model = toModelAdapter(options.model ?? { name: 'demo', model: createDemoModel() });
  const images = options.images ?? createDemoImages();
  const events = new EventEmitter<DreamdeckEvents>();
  let personas = resolvePersonas(config.personas);
  const getConfig = () => config;
  const flags = new FeatureFlags(storage, getConfig, events, logger);
  const limits = new RateLimiter(storage, getConfig, events);
  const sinks = new Map<string, TurnSink>();
  const promotions = new VariantPromotions(storage.store);
  const workflow = createStoryWorkflow({
    storage,
    model: () => model,
    images: () => images,
    search: () => options.search,
    config: getConfig,
    personas: () => personas,
    flags,
    limits,
    events,
    logger,
    sinks,
    embeddings: options.embeddings,
    // the lorebook and the author's note fill their prompt sections
    promptSlots: {
      ...createLoreSlots({ storage, config: getConfig }),
      ...createKnowledgeSlots({ storage, embeddings: options.embeddings, flags }),
    },
    variants: promotions,
  });
  const memory = createDreamdeckMemory({ storage, config: getConfig, embeddings: options.embeddings });
  const lore = createDreamdeckLore({ storage });
  const context: EngineContext = {
    storage,
    config: getConfig,
    memory,
    workflow,
    sinks,
    turns: new TurnRegistry({ storage, leaseMs, logger }),
    journals: new TurnJournals({ storage, logger, retentionMs }),
    unpruned: new Map(),
    events,
    logger,
    limits,
    flags,
  };
  let closed = false;
  let watcher: FSWatcher | undefined;
  if (!personas.has(config.defaultPersona)) {
    throw new DreamdeckError(
      'CONFIG_INVALID',
      `[dreamdeck] invalid config:\n  defaultPersona: no persona "${config.defaultPersona}"`,
    );
  }

  /** Applies config from the sources (and `override`); `announce` asks the other instances to reload too. */
  const reload = async (override: DreamdeckConfigInput | undefined, announce: boolean) => {
    try {
      const next = loadConfig({ ...sources, ...(override && { config: override }) });
      if (closed) return config;
      const nextPersonas = resolvePersonas(next.personas);
      if (!nextPersonas.has(next.defaultPersona)) {
        throw new DreamdeckError(
          'CONFIG_INVALID',
          `[dreamdeck] invalid config:\n  defaultPersona: no persona "${next.defaultPersona}"`,
        );
      }
      if (override) sources.config = override;
      config = next;
      personas = nextPersonas;
      if ('level' in logger) (logger as { level: LogLevel }).level = next.logging.level;
      events.emit('config-reload', { ok: true });
      logger.info('config reloaded');
    } catch (error) {
      const failure = DreamdeckError.from(error, 'CONFIG_INVALID');
      events.emit('config-reload', { ok: false, error: failure });
      throw failure;
    }
    if (announce) await announceConfigReload(storage, context.turns.instanceId, logger);
    return config;
  };
  // other instances on the same storage: their flag changes and config reloads reach this one at once
  await context.journals.start();
  const stopListening = await listenToInstances({
    storage,
    flags,
    instanceId: context.turns.instanceId,
    reloadConfig: () => reload(undefined, false),
    logger,
  });

  const dd: Dreamdeck = {
    get config() {
      return config;
    },
    storage,
    model,
    images,
    search: options.search,
    todos: new TodoBook(storage),
    lore,
    knowledge: createDreamdeckKnowledge({ storage, embeddings: options.embeddings }),
    flags,
    limits,
    memory,
    surveys: createDreamdeckSurveys({ storage, config: getConfig }),
    variants: createDreamdeckVariants({ storage, personas: () => personas, promotions }),
    events,
    logger,
    personas: () => [...personas.values()],
    async openSession(open) {
      if (closed) throw new DreamdeckError('INTERNAL', '[dreamdeck] this Dreamdeck is closed');
      if (!open?.userId || typeof open.userId !== 'string')
        throw new DreamdeckError('INVALID_INPUT', 'openSession needs a userId.');
      if (open.threadId) {
        const thread = await storage.getThread(open.threadId);
        if (!thread || thread.userId !== open.userId)
          throw new DreamdeckError('NOT_FOUND', 'That story does not exist.');
        return new StorySession(context, thread);
      }
      const persona = open.persona ?? config.defaultPersona;
      if (!personas.has(persona) && !(await readUserPersona(storage.store, open.userId, persona)))
        throw new DreamdeckError('INVALID_INPUT', `There is no persona "${persona}".`);
      if (!(await storage.getUser(open.userId))) await storage.upsertUser({ id: open.userId });
      const thread = await storage.createThread({
        userId: open.userId,
        persona,
        ...(open.title && { title: open.title.slice(0, 200) }),
      });
      return new StorySession(context, thread);
    },
    async importThread(userId, exported) {
      if (closed) throw new DreamdeckError('INTERNAL', '[dreamdeck] this Dreamdeck is closed');
      if (!userId || typeof userId !== 'string')
        throw new DreamdeckError('INVALID_INPUT', 'importThread needs a userId.');
      const thread = await importStory(
        { storage, hasPersona: (id) => personas.has(id), defaultPersona: config.defaultPersona },
        userId,
        exported,
      );
      return new StorySession(context, thread);
    },
    reloadConfig: (override) => reload(override, true),
    async close() {
      if (closed) return;
      closed = true;
      watcher?.close();
      events.removeAllListeners();
      await stopListening();
      await context.journals.close();
      await context.turns.close();
      await storage.close();
    },
  };
  const file = sources.file ?? (sources.env === false ? undefined : (sources.env ?? process.env).DREAMDECK_CONFIG);
  if (options.watchConfig && file) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    watcher = watch(file, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        dd.reloadConfig().catch((error: unknown) =>
          logger.warn({ err: error, file }, 'config file change ignored: invalid'),
        );
      }, 50);
    });
    watcher.unref();
  }
  return dd;
}
