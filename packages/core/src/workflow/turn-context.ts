import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import type { EventEmitter } from 'eventemitter3';
import type { DreamdeckConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { DreamdeckEvents } from '../events.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../logging/logger.js';
import type { PromptSlots } from '../memory/prompt-assembly.js';
import type { ImageAdapter, ModelAdapter, SearchAdapter } from '../models/model-adapter.js';
import type { Persona } from '../personas/personas.js';
import type { VariantPromotions } from '../personas/prompt-variants.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { SurveyDefinition } from '../surveys/survey-types.js';
import type { TurnSink } from './turn-sink.js';

/**
 * What every task of the story workflow shares: the engine's storage, model, flags and limits,
 * and the sinks of the turns now running. One per engine; a task reaches its turn's sink by the
 * thread id in its input ({@link sinkFor}), so a task's input stays small and serializable.
 */
export interface TurnContext {
  storage: StorageAdapter;
  model: () => ModelAdapter;
  images: () => ImageAdapter | undefined;
  /** The web search adapter, when one is configured (`createDreamdeck({ search })`). */
  search?: (() => SearchAdapter | undefined) | undefined;
  config: () => DreamdeckConfig;
  personas: () => Map<string, Persona>;
  flags: FeatureFlags;
  limits: RateLimiter;
  events: EventEmitter<DreamdeckEvents>;
  logger: Logger;
  /** The running turn of each thread, by thread id. */
  sinks: Map<string, TurnSink>;
  /** Embeddings for memory recall by meaning (optional: recall is lexical without). */
  embeddings?: EmbeddingsInterface | undefined;
  /** Fillers of the prompt's per-turn sections (lore, knowledge, author's note), when features provide them. */
  promptSlots?: PromptSlots | undefined;
  /** Promoted prompt variants (`dd.variants`), read when a persona with variants narrates. */
  variants?: VariantPromotions | undefined;
}

/** The sink of the turn running on `threadId`; throws `INTERNAL` when none runs. */
export function sinkFor(context: TurnContext, threadId: string): TurnSink {
  const sink = context.sinks.get(threadId);
  if (!sink) throw new DreamdeckError('INTERNAL', `[dreamdeck] no running turn for thread ${threadId}`);
  return sink;
}

/** The input of one turn of the story entrypoint. */
export interface TurnInput {
  turnId: string;
  threadId: string;
  userId: string;
  persona: string;
  /** `send` carries the id of the player's message, stored before the turn starts. */
  action:
    | { type: 'send'; text: string; playerId: string }
    | { type: 'regenerate'; messageId: string }
    /** `session.continue()`: the reply `messageId` written on in place. */
    | { type: 'continue'; messageId: string };
  /** The thread still has its default title: the turn names it from the first GM reply (issue 21). */
  nameStory?: boolean;
  /**
   * The storyboard flags as a `send` started: its storyboard steps follow them (a replay after a
   * resume too), and they decide whether the turn may pause ({@link mayPause}). A regenerate, which
   * never paints, has none.
   */
  storyboard?: StoryboardFlags;
  /** A `send` after which a survey is due: its id (the turn ends with a `survey` interrupt). */
  survey?: string;
}

/** The flags that decide whether a turn paints a storyboard and asks the player first. */
export interface StoryboardFlags {
  imageGeneration: boolean;
  storyboardReview: boolean;
  /** `false`: no storyboard after a reply (the player's `storyboards` preference); `/storyboard` still paints. */
  auto?: boolean;
}

/**
 * When the GM offers to paint scenes, a player's preference (`storyboards`, `PATCH /preferences`):
 * `every-reply` (the default: after each reply, asking first when `storyboardReview` is on),
 * `on-command` (only for `/storyboard`), `never` (never asked: no storyboard after a reply, and
 * `/storyboard` paints without a question).
 */
export type StoryboardPreference = 'every-reply' | 'on-command' | 'never';

/** The values of {@link StoryboardPreference}. */
export const STORYBOARD_PREFERENCES: readonly StoryboardPreference[] = ['every-reply', 'on-command', 'never'];

/**
 * A turn's storyboard flags: the player's effective flags as the player's `storyboards`
 * preference narrows them (see {@link StoryboardPreference}).
 *
 * @param flags - the effective flags
 * @param preference - the stored preference (anything else counts as `every-reply`)
 */
export function storyboardFlagsFor(
  flags: { imageGeneration: boolean; storyboardReview: boolean },
  preference: unknown,
): StoryboardFlags {
  return {
    imageGeneration: flags.imageGeneration,
    storyboardReview: flags.storyboardReview && preference !== 'never',
    ...((preference === 'on-command' || preference === 'never') && { auto: false }),
  };
}

/**
 * True when a turn may stop at an `interrupt` (a storyboard awaiting approval, a survey): a `send`
 * whose storyboard flags ask for review or after which a survey is due. Only such turns (and
 * resumes) need the checkpointed entrypoint.
 */
export function mayPause(input: TurnInput): boolean {
  return (
    input.action.type === 'send' &&
    (input.survey !== undefined || (input.storyboard?.imageGeneration === true && input.storyboard.storyboardReview))
  );
}

/** What a turn returns (small: it is checkpointed). */
export interface TurnOutput {
  turnId: string;
  messageIds: string[];
}

/**
 * The value passed to `interrupt()` and shown to the player.
 * @inline
 */
export interface InterruptRequest {
  /** Pass to `session.resume` to answer. */
  interruptId: string;
  /** The turn that asked (only the thread's latest turn can still be answered). */
  turnId: string;
  /** What is asked: approve a storyboard (`true` or `false`), pick one of `options`, or answer a survey. */
  kind: 'approve-storyboard' | 'choice' | 'survey';
  /** The question to show the player. */
  prompt: string;
  /** For `choice`, the answers to offer; for `approve-storyboard`, the scene prompts to paint. */
  options?: string[];
  /** For `survey`: its id, title and questions. */
  survey?: SurveyDefinition;
}
