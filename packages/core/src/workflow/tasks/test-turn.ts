import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { Command, entrypoint, MemorySaver } from '@langchain/langgraph';
import { EventEmitter } from 'eventemitter3';
import type { DreamdeckConfigInput } from '../../config/config-schema.js';
import { loadConfig } from '../../config/load-config.js';
import type { DreamdeckEvents } from '../../events.js';
import { FeatureFlags } from '../../flags/feature-flags.js';
import { RateLimiter } from '../../limits/rate-limiter.js';
import { createLogger } from '../../logging/logger.js';
import { createDemoImages } from '../../models/demo-images.js';
import { createDemoModel } from '../../models/demo-model.js';
import { type ImageAdapter, type SearchAdapter, toModelAdapter } from '../../models/model-adapter.js';
import { resolvePersonas } from '../../personas/personas.js';
import { newId } from '../../storage/ids.js';
import { createMemoryStorage } from '../../storage/memory-storage.js';
import type { TurnEvent } from '../../types.js';
import type { TurnContext } from '../turn-context.js';
import type { TurnSink } from '../turn-sink.js';

/** What a task test may change about the engine behind its context. */
export interface TestTurnOptions {
  /** Config given in code (no env, no file; logs silent). */
  config?: DreamdeckConfigInput;
  /** Default: the zero-latency demo model. */
  model?: BaseChatModel;
  /** Default: the demo images; `undefined` for an engine without an image adapter. */
  images?: ImageAdapter | undefined;
  /** A web search adapter (default: none). */
  search?: SearchAdapter;
}

/** One run of {@link TestTurn.run}: what the body returned, and what LangGraph reported. */
export interface TaskRun<T> {
  /** The body's result (undefined when the run stopped at an interrupt). */
  result: T | undefined;
  /** The names of the tasks that ran, in the order they finished. */
  tasks: string[];
  /** The names of the tasks replayed from the checkpoint (on resume) instead of run again. */
  replayed: string[];
  /** The values the run passed to `interrupt()`. */
  interrupts: unknown[];
}

/** A turn running on a fresh thread, for testing tasks one at a time with the real engine parts. */
export interface TestTurn {
  context: TurnContext;
  storage: ReturnType<typeof createMemoryStorage>;
  /** The turn's sink, registered in `context.sinks` for `threadId`. */
  sink: TurnSink;
  /** Every event the sink received, in order. */
  events: TurnEvent[];
  /** Aborts the turn (its sink's signal). */
  abort(): void;
  userId: string;
  threadId: string;
  turnId: string;
  /**
   * Runs `body` as a one-off entrypoint on the turn's thread, checkpointed in memory (a task can
   * only be called inside one). With `resume`, answers the interrupt the last run stopped at; the
   * body runs again from the top and the tasks it finished before are replayed, not re-run.
   */
  run<T>(body: () => Promise<T>, resume?: { value: unknown }): Promise<TaskRun<Awaited<T>>>;
}

const RUNNER = 'task-test';

/**
 * A {@link TurnContext} over memory storage, the demo model and the demo images (as
 * `createDreamdeck` builds one), with a user, a thread and a running turn whose sink records its
 * events. For the tasks' own tests.
 */
export async function createTestTurn(options: TestTurnOptions = {}): Promise<TestTurn> {
  const config = loadConfig({ env: false, config: { logging: { level: 'silent' }, ...options.config } });
  const getConfig = () => config;
  const logger = createLogger({ level: 'silent' });
  const storage = createMemoryStorage();
  await storage.init();
  const events = new EventEmitter<DreamdeckEvents>();
  const userId = 'u1';
  await storage.upsertUser({ id: userId });
  const thread = await storage.createThread({ userId, persona: config.defaultPersona });
  const personas = resolvePersonas(config.personas);
  const model = toModelAdapter(options.model ?? createDemoModel({ latencyMs: 0 }));
  const images = 'images' in options ? options.images : createDemoImages();
  const controller = new AbortController();
  const recorded: TurnEvent[] = [];
  const sink: TurnSink = {
    signal: controller.signal,
    tokens: 0,
    settling: [],
    emit: (event) => recorded.push(event),
  };
  const context: TurnContext = {
    storage,
    model: () => model,
    images: () => images,
    search: () => options.search,
    config: getConfig,
    personas: () => personas,
    flags: new FeatureFlags(storage, getConfig, events, logger),
    limits: new RateLimiter(storage, getConfig, events),
    events,
    logger,
    sinks: new Map([[thread.id, sink]]),
  };
  const checkpointer = new MemorySaver();
  return {
    context,
    storage,
    sink,
    events: recorded,
    abort: () => controller.abort(new DOMException('The turn was stopped.', 'AbortError')),
    userId,
    threadId: thread.id,
    turnId: newId('turn'),
    async run<T>(body: () => Promise<T>, resume?: { value: unknown }): Promise<TaskRun<Awaited<T>>> {
      const flow = entrypoint({ name: RUNNER, checkpointer }, body);
      const input = resume ? new Command({ resume: resume.value }) : {};
      const outcome: TaskRun<Awaited<T>> = { result: undefined, tasks: [], replayed: [], interrupts: [] };
      const stream = await flow.stream(input, { configurable: { thread_id: thread.id }, streamMode: 'updates' });
      for await (const update of stream) {
        const { __metadata__: metadata, ...writes } = update as Record<string, unknown>;
        const cached = (metadata as { cached?: boolean } | undefined)?.cached === true;
        for (const [name, value] of Object.entries(writes)) {
          if (name === RUNNER) outcome.result = value as Awaited<T>;
          else if (name === '__interrupt__')
            outcome.interrupts.push(...(value as Array<{ value: unknown }>).map((i) => i.value));
          else (cached ? outcome.replayed : outcome.tasks).push(name);
        }
      }
      return outcome;
    },
  };
}
