import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { entrypoint, interrupt, task } from '@langchain/langgraph';
import type { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import type { DreamdeckConfig } from '../config/config-schema.js';
import { diceLine, formatRoll, rollDice } from '../dice/roll-dice.js';
import { DreamdeckError, isAbortError } from '../errors.js';
import type { DreamdeckEvents } from '../events.js';
import type { FeatureFlags } from '../flags/feature-flags.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { Logger } from '../logging/logger.js';
import { recentWindow } from '../memory/context-window.js';
import { type ImageAdapter, type ModelAdapter, modelError } from '../models/model-adapter.js';
import { streamReply } from '../models/stream-reply.js';
import { type Persona, renderPersonaPrompt } from '../personas/personas.js';
import { newId } from '../storage/ids.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { MessageKind, MessagePart, StoryImage, StoryMessage } from '../types.js';
import { exportMarkdown } from './export-story.js';
import { COMMANDS, type Route, routeByModel, routeByRules } from './router.js';
import type { TurnSink } from './turn-sink.js';

/** What the workflow needs from the Dreamdeck instance. */
export interface WorkflowDeps {
  storage: StorageAdapter;
  model: () => ModelAdapter;
  images: () => ImageAdapter | undefined;
  config: () => DreamdeckConfig;
  personas: () => Map<string, Persona>;
  flags: FeatureFlags;
  limits: RateLimiter;
  events: EventEmitter<DreamdeckEvents>;
  logger: Logger;
  sinks: Map<string, TurnSink>;
}

/** The input of one turn of the story entrypoint. */
export interface TurnInput {
  turnId: string;
  threadId: string;
  userId: string;
  persona: string;
  /** `send` carries the id of the player's message, stored before the turn starts. */
  action: { type: 'send'; text: string; playerId: string } | { type: 'regenerate'; messageId: string };
  /**
   * The storyboard flags as a `send` started: its storyboard steps follow them (a replay after a
   * resume too), and they decide whether the turn may pause ({@link mayPause}). A regenerate, which
   * never paints, has none.
   */
  storyboard?: StoryboardFlags;
}

/** The flags that decide whether a turn paints a storyboard and asks the player first. */
export interface StoryboardFlags {
  imageGeneration: boolean;
  storyboardReview: boolean;
}

/**
 * True when a turn may stop at an `interrupt` (a storyboard awaiting approval): a `send` whose
 * storyboard flags ask for review. Only such turns (and resumes) need the checkpointed entrypoint.
 */
export function mayPause(input: TurnInput): boolean {
  return (
    input.action.type === 'send' && input.storyboard?.imageGeneration === true && input.storyboard.storyboardReview
  );
}

/** What a turn returns (small: it is checkpointed). */
export interface TurnOutput {
  turnId: string;
  messageIds: string[];
}

/** The value passed to `interrupt()` and shown to the player. */
export interface InterruptRequest {
  interruptId: string;
  /** The turn that asked (only the thread's latest turn can still be answered). */
  turnId: string;
  kind: 'approve-storyboard' | 'choice';
  prompt: string;
  options?: string[];
}

const storyboardSchema = z.object({ prompts: z.array(z.string().min(3).max(600)).min(1).max(3) });

/** A narration request. */
interface NarrationRequest {
  threadId: string;
  turnId: string;
  persona: string;
  /** The player's words and tool lines, as the final human message. */
  prompt: string;
  /** Window messages are taken from before this message id. */
  before: string;
  /** Regenerate: the reply to replace (its old text becomes an alternative). */
  replace?: string;
}

/**
 * Builds the story workflow: one LangGraph `entrypoint` per turn with a `task` for every side
 * effect (storing messages, routing, dice, narration, storyboard prompts, painting), and
 * `interrupt()` for storyboard review. History lives in storage, not in the checkpoint.
 */
export function createStoryWorkflow(deps: WorkflowDeps) {
  const { storage, logger } = deps;
  const sinkFor = (threadId: string): TurnSink => {
    const sink = deps.sinks.get(threadId);
    if (!sink) throw new DreamdeckError('INTERNAL', `[dreamdeck] no running turn for thread ${threadId}`);
    return sink;
  };
  const persona = (id: string): Persona => {
    const all = deps.personas();
    return all.get(id) ?? all.get(deps.config().defaultPersona) ?? ([...all.values()][0] as Persona);
  };

  const newMessage = (
    threadId: string,
    turnId: string,
    fields: Pick<StoryMessage, 'role' | 'kind' | 'content'> & Partial<StoryMessage>,
  ): StoryMessage => ({
    id: newId('msg'),
    threadId,
    turnId,
    createdAt: new Date().toISOString(),
    status: 'complete',
    ...fields,
  });

  /** Stores a finished tool/system reply and emits start + end. */
  const storeReply = async (threadId: string, message: StoryMessage): Promise<string> => {
    const sink = sinkFor(threadId);
    await storage.appendMessage(message);
    sink.emit({
      type: 'message-start',
      messageId: message.id,
      role: message.role === 'assistant' ? 'assistant' : 'tool',
      kind: message.kind as Exclude<MessageKind, 'player'>,
      ...(message.persona && { persona: message.persona }),
    });
    if (message.content) sink.emit({ type: 'message-delta', messageId: message.id, text: message.content });
    sink.emit({ type: 'message-end', message });
    return message.id;
  };

  const routeWithModel = task('route', async (input: { threadId: string; text: string }): Promise<Route> => {
    if (!deps.config().router.useModel) return { type: 'narrate', via: 'rules' };
    return routeByModel(deps.model().model, input.text, {
      signal: sinkFor(input.threadId).signal,
      onError: (error) => logger.warn({ err: error, threadId: input.threadId }, 'router failed; narrating instead'),
    });
  });

  type ReplyInput = {
    threadId: string;
    turnId: string;
    kind: MessageKind;
    content: string;
    parts?: MessagePart[];
    role?: 'tool' | 'system';
  };
  const replyNow = (input: ReplyInput) =>
    storeReply(
      input.threadId,
      newMessage(input.threadId, input.turnId, {
        role: input.role ?? 'tool',
        kind: input.kind,
        content: input.content,
        ...(input.parts && { parts: input.parts }),
      }),
    );
  const reply = task('reply', replyNow);

  const diceTask = task(
    'roll-dice',
    async (input: { threadId: string; turnId: string; userId: string; notation: string; reason?: string }) => {
      if (!(await deps.flags.isEnabled('diceRolling', { userId: input.userId }))) {
        const message = 'Dice rolling is switched off for this story.';
        await replyNow({
          ...input,
          kind: 'dice',
          content: message,
          parts: [{ type: 'error', code: 'FEATURE_DISABLED', message }],
        });
        return { line: undefined };
      }
      try {
        const roll = rollDice(input.notation, input.reason);
        const message = newMessage(input.threadId, input.turnId, {
          role: 'tool',
          kind: 'dice',
          content: formatRoll(roll),
          parts: [{ type: 'dice', roll }],
        });
        sinkFor(input.threadId).emit({ type: 'dice-roll', messageId: message.id, roll });
        await storeReply(input.threadId, message);
        return { line: diceLine(roll) };
      } catch (error) {
        if (!DreamdeckError.isInstance(error) || error.code !== 'INVALID_INPUT') throw error;
        await storeReply(
          input.threadId,
          newMessage(input.threadId, input.turnId, {
            role: 'tool',
            kind: 'dice',
            content: error.message,
            parts: [{ type: 'error', code: error.code, message: error.message }],
          }),
        );
        return { line: undefined };
      }
    },
  );

  const narrate = task('narrate', (request: NarrationRequest) => {
    const work = narrateNow(request);
    sinkFor(request.threadId).settling.push(work);
    return work;
  });
  async function narrateNow(request: NarrationRequest): Promise<{ messageId: string }> {
    const sink = sinkFor(request.threadId);
    const config = deps.config();
    const who = persona(request.persona);
    const flags = await deps.flags.effective();
    const tools = [
      flags.diceRolling && 'roll dice (the engine rolls; you narrate the result)',
      flags.imageGeneration && 'storyboard images of the scene',
      flags.knowledge && 'lore from the knowledge base',
    ].filter(Boolean);
    const window = await recentWindow(storage, request.threadId, {
      budgetTokens: config.memory.windowTokens,
      maxMessages: config.memory.windowMessages,
      before: request.before,
    });
    const messages = [
      new SystemMessage(renderPersonaPrompt(who, { tools: tools.join(', ') || 'tell the story' })),
      ...window,
      new HumanMessage(request.prompt),
    ];
    let message: StoryMessage;
    let previous: StoryMessage | undefined;
    if (request.replace) {
      previous = (await storage.getMessage(request.replace)) ?? undefined;
      if (!previous) throw new DreamdeckError('NOT_FOUND', 'That reply no longer exists.');
      message = { ...previous, content: '', status: 'streaming', turnId: request.turnId };
      await storage.updateMessage(message.id, { status: 'streaming' });
    } else {
      message = newMessage(request.threadId, request.turnId, {
        role: 'assistant',
        kind: 'narration',
        persona: who.id,
        content: '',
        status: 'streaming',
      });
      await storage.appendMessage(message);
    }
    sink.emit({ type: 'message-start', messageId: message.id, role: 'assistant', kind: 'narration', persona: who.id });
    const adapter = deps.model();
    let text = '';
    const finish = async (status: StoryMessage['status']) => {
      const alternatives = previous
        ? [
            ...(previous.alternatives ?? []),
            {
              content: previous.content,
              createdAt: previous.createdAt,
              status: previous.status,
              ...(previous.parts && { parts: previous.parts }),
            },
          ]
        : undefined;
      const choices = [...text.matchAll(/^\s*\d+\.\s+(.+)$/gm)].map((m) =>
        (m[1] as string).replace(/\*\*/g, '').trim(),
      );
      const parts: MessagePart[] | undefined =
        choices.length >= 2 ? [{ type: 'choices', options: choices.slice(0, 5) }] : undefined;
      return storage.updateMessage(message.id, {
        content: text,
        status,
        ...(parts && { parts }),
        ...(alternatives && { alternatives }),
      });
    };
    try {
      await streamReply(adapter.model, messages, {
        signal: sink.signal,
        onText: (delta) => {
          text += delta;
          sink.tokens++;
          sink.emit({ type: 'message-delta', messageId: message.id, text: delta });
        },
      });
    } catch (error) {
      const aborted = sink.signal.aborted || isAbortError(error);
      const stored = await finish(aborted ? 'aborted' : 'error');
      sink.emit({ type: 'message-end', message: stored });
      if (aborted) throw error;
      throw modelError(adapter, error);
    }
    if (!text.trim()) {
      await finish('error');
      throw new DreamdeckError('MODEL_UNAVAILABLE', 'The model returned an empty reply. Try again.', {
        retryable: true,
      });
    }
    const stored = await finish('complete');
    sink.emit({ type: 'message-end', message: stored });
    return { messageId: message.id };
  }

  /** The scene is the text of `messageId` (read from storage, so the checkpoint stays small) or `scene`. */
  type SceneSource = { messageId: string } | { scene: string };
  const storyboardPrompts = task('storyboard-prompts', async (input: { threadId: string; source: SceneSource }) => {
    const scene =
      'scene' in input.source
        ? input.source.scene
        : ((await storage.getMessage(input.source.messageId))?.content ?? '');
    const max = deps.config().storyboard.maxImages;
    sinkFor(input.threadId).emit({ type: 'status', text: 'Sketching the storyboard…' });
    try {
      const writer = deps.model().model.withStructuredOutput(storyboardSchema, { name: 'storyboard_prompts' });
      const answer = storyboardSchema.parse(
        await writer.invoke(
          [
            new SystemMessage(
              `Write image prompts for a storyboard of this scene: at most ${max}, each one vivid visual sentence, no dialogue.`,
            ),
            new HumanMessage(scene),
          ],
          { signal: sinkFor(input.threadId).signal },
        ),
      );
      return answer.prompts.slice(0, max);
    } catch (error) {
      if (sinkFor(input.threadId).signal.aborted) throw error;
      logger.warn({ err: error }, 'storyboard prompts failed; using the scene itself');
      return [scene.replace(/\s+/g, ' ').slice(0, 300)];
    }
  });

  const paint = task(
    'paint',
    async (input: { threadId: string; turnId: string; userId: string; prompts: string[] }) => {
      const sink = sinkFor(input.threadId);
      const adapter = deps.images();
      const message = newMessage(input.threadId, input.turnId, {
        role: 'tool',
        kind: 'storyboard',
        content: '',
        parts: [],
      });
      await storage.appendMessage(message);
      sink.emit({ type: 'message-start', messageId: message.id, role: 'tool', kind: 'storyboard' });
      const parts: MessagePart[] = [];
      const failures: string[] = [];
      let painted = 0;
      await Promise.all(
        input.prompts.map((prompt, index) =>
          deps.limits.runImage(async () => {
            try {
              if (!adapter) throw new DreamdeckError('FEATURE_DISABLED', 'No image adapter is configured.');
              await deps.limits.consume(input.userId, 'imagesPerMinute');
              sink.emit({ type: 'status', text: `Painting scene ${index + 1} of ${input.prompts.length}` });
              const result = await adapter.generate({ prompt, signal: sink.signal });
              const url =
                'url' in result
                  ? result.url
                  : `data:${result.mimeType};base64,${Buffer.from(result.data).toString('base64')}`;
              const image: StoryImage = { id: newId('img'), url, mimeType: result.mimeType, prompt };
              parts[index] = { type: 'image', image };
              painted++;
              sink.emit({ type: 'image', messageId: message.id, image });
              deps.events.emit('image-generated', {
                userId: input.userId,
                threadId: input.threadId,
                imageId: image.id,
                adapter: adapter.name,
              });
              await storage.addUsage?.(input.userId, 'images');
            } catch (error) {
              if (sink.signal.aborted) throw error;
              const failure = DreamdeckError.from(error, 'MODEL_UNAVAILABLE');
              logger.warn({ err: error, threadId: input.threadId }, 'storyboard image failed');
              failures.push(
                failure.code === 'RATE_LIMITED' || failure.code === 'FEATURE_DISABLED'
                  ? failure.message
                  : 'The painter could not finish this scene.',
              );
            }
          }),
        ),
      );
      const finalParts = parts.filter(Boolean);
      if (failures.length)
        finalParts.push({ type: 'error', code: 'MODEL_UNAVAILABLE', message: [...new Set(failures)].join(' ') });
      const content = painted
        ? `🖼️ Storyboard: ${painted} scene${painted === 1 ? '' : 's'}.`
        : `🖼️ The storyboard could not be painted this time. ${[...new Set(failures)].join(' ')} The story goes on.`;
      const stored = await storage.updateMessage(message.id, {
        content,
        parts: finalParts,
        status: painted ? 'complete' : 'error',
      });
      sink.emit({ type: 'message-end', message: stored });
      return message.id;
    },
  );

  const switchPersona = task('switch-persona', async (input: { threadId: string; turnId: string; args: string }) => {
    const all = deps.personas();
    const wanted = input.args.trim().toLowerCase();
    const list = [...all.values()].map((p) => `- \`${p.id}\` ${p.icon} **${p.name}**: ${p.description}`).join('\n');
    if (!wanted)
      return replyNow({ ...input, kind: 'system', content: `Personas:\n\n${list}\n\nSwitch with \`/persona <id>\`.` });
    const next = all.get(wanted) ?? [...all.values()].find((p) => p.name.toLowerCase() === wanted);
    if (!next)
      return replyNow({
        ...input,
        kind: 'system',
        content: `There is no persona "${input.args.trim()}". Personas:\n\n${list}`,
      });
    await storage.updateThread(input.threadId, { persona: next.id });
    return replyNow({ ...input, kind: 'system', content: `${next.icon} **${next.name}** takes over the story.` });
  });

  const exportStory = task('export-story', async (input: { threadId: string; turnId: string }) => {
    const thread = await storage.getThread(input.threadId);
    const messages = await storage.listMessages(input.threadId);
    return replyNow({ ...input, kind: 'system', content: exportMarkdown(thread?.title ?? 'Story', messages) });
  });

  const lookupKnowledge = task('lookup-knowledge', async (input: { userId: string; query: string }) => {
    if (!storage.searchKnowledge || !(await deps.flags.isEnabled('knowledge', { userId: input.userId }))) return [];
    const hits = await storage.searchKnowledge(input.query, { limit: 3 });
    return hits.map((hit) => `Lore: ${hit.snippet} (source: ${hit.source})`);
  });

  const helpText = (intro = '') =>
    `${intro}Commands:\n\n${Object.values(COMMANDS)
      .map((command) => `- \`${command.usage}\`: ${command.help}`)
      .join('\n')}\n\nOr just write what your character does.`;

  /** The storyboard flags the turn started with (read now only for a turn without them). */
  const storyboardFlags = async (input: TurnInput): Promise<StoryboardFlags> =>
    input.storyboard ?? (await deps.flags.effective({ userId: input.userId }));

  /** Narration, then (when on) a storyboard, optionally reviewed by the player. */
  const narrateAndIllustrate = async (input: TurnInput, request: NarrationRequest, forceStoryboard = false) => {
    const narration = await narrate(request);
    const ids = [narration.messageId];
    const flags = await storyboardFlags(input);
    if (flags.imageGeneration && (forceStoryboard || deps.config().storyboard.auto)) {
      ids.push(...(await storyboard(input, { messageId: narration.messageId }, flags.storyboardReview)));
    }
    return ids;
  };

  const storyboard = async (input: TurnInput, source: SceneSource, review: boolean): Promise<string[]> => {
    const prompts = await storyboardPrompts({ threadId: input.threadId, source });
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
    return [await paint({ threadId: input.threadId, turnId: input.turnId, userId: input.userId, prompts })];
  };

  const runCommand = async (
    input: TurnInput,
    name: keyof typeof COMMANDS,
    args: string,
    before: string,
  ): Promise<string[]> => {
    const base = { threadId: input.threadId, turnId: input.turnId };
    switch (name) {
      case 'help':
        return [await reply({ ...base, kind: 'help', content: helpText() })];
      case 'persona':
        return [await switchPersona({ ...base, args })];
      case 'reset':
        return [
          await reply({
            ...base,
            kind: 'system',
            role: 'system',
            content: '— A new chapter begins. The GM has set the earlier story aside. —',
            parts: [{ type: 'reset' }],
          }),
        ];
      case 'save':
        return [await exportStory(base)];
      case 'write':
        return narrateAndIllustrate(input, {
          ...base,
          persona: input.persona,
          before,
          prompt: args
            ? `Write the next passage of the story about: ${args}`
            : 'Continue the story with the next passage.',
        });
      case 'storyboard': {
        const flags = await storyboardFlags(input);
        if (!flags.imageGeneration) {
          return [
            await reply({
              ...base,
              kind: 'storyboard',
              content: 'Image generation is switched off for this story.',
              parts: [{ type: 'error', code: 'FEATURE_DISABLED', message: 'Image generation is switched off.' }],
            }),
          ];
        }
        const last = (await storage.listMessages(input.threadId, { limit: 20 }))
          .reverse()
          .find((m) => m.kind === 'narration' && m.content);
        const source: SceneSource = args
          ? { scene: args }
          : last
            ? { messageId: last.id }
            : { scene: 'The opening scene of a new story' };
        return storyboard(input, source, flags.storyboardReview);
      }
      case 'search':
      case 'todo':
        return [
          await reply({
            ...base,
            kind: name,
            content: `\`/${name}\` is not available yet in this version of Dreamdeck.`,
          }),
        ];
      default:
        return [await reply({ ...base, kind: 'help', content: helpText() })];
    }
  };

  const turn = async (input: TurnInput): Promise<TurnOutput> => {
    const ids: string[] = [];
    if (input.action.type === 'regenerate') {
      const { messageId } = input.action;
      const target = await storage.getMessage(messageId);
      const history = await storage.listMessages(input.threadId, { limit: 30, before: messageId });
      const player = [...history].reverse().find((m) => m.role === 'user');
      if (!target || !player) throw new DreamdeckError('NOT_FOUND', 'There is no reply to regenerate.');
      const rolls = history.filter((m) => m.turnId === player.turnId && m.kind === 'dice');
      const lines = rolls.flatMap((m) => m.parts?.flatMap((p) => (p.type === 'dice' ? [diceLine(p.roll)] : [])) ?? []);
      const narration = await narrate({
        threadId: input.threadId,
        turnId: input.turnId,
        persona: input.persona,
        prompt: [player.content, ...lines].join('\n'),
        before: player.id,
        replace: messageId,
      });
      return { turnId: input.turnId, messageIds: [narration.messageId] };
    }
    const { text, playerId } = input.action;
    ids.push(playerId);
    // rules are pure, so they run in the body; the model router only when rules can't decide
    const routed = routeByRules(text) ?? (await routeWithModel({ threadId: input.threadId, text }));
    const base = { threadId: input.threadId, turnId: input.turnId };
    const narrationFor = (prompt: string): NarrationRequest => ({
      ...base,
      persona: input.persona,
      prompt,
      before: playerId,
    });
    switch (routed.type) {
      case 'command':
        ids.push(...(await runCommand(input, routed.name, routed.args, playerId)));
        break;
      case 'unknown-command':
        ids.push(
          await reply({ ...base, kind: 'help', content: helpText(`I don't know the command \`/${routed.name}\`. `) }),
        );
        break;
      case 'dice': {
        const dice = await diceTask({
          ...base,
          userId: input.userId,
          notation: routed.notation,
          ...(routed.reason && { reason: routed.reason }),
        });
        if (routed.story || routed.via !== 'command') {
          const prompt = [
            routed.story || `I roll ${routed.notation}${routed.reason ? ` for ${routed.reason}` : ''}.`,
            dice.line,
          ]
            .filter(Boolean)
            .join('\n');
          ids.push(...(await narrateAndIllustrate(input, narrationFor(prompt))));
        }
        break;
      }
      case 'storyboard':
        ids.push(...(await runCommand(input, 'storyboard', '', playerId)));
        break;
      case 'knowledge': {
        const lines = await lookupKnowledge({ userId: input.userId, query: routed.query });
        ids.push(...(await narrateAndIllustrate(input, narrationFor([text, ...lines].join('\n')))));
        break;
      }
      default:
        ids.push(...(await narrateAndIllustrate(input, narrationFor(text))));
    }
    return { turnId: input.turnId, messageIds: ids };
  };

  // No `store` here: LangGraph JS wraps a run's store in an AsyncBatchedStore that polls with
  // setTimeout(0) for the whole run (a timer a millisecond per waiting turn; 1,000 open streams kept
  // 70% of a core busy). Tasks that need long-term memory use `storage.store` directly.
  return {
    pausable: entrypoint({ name: 'dreamdeck-turn', checkpointer: storage.checkpointer }, turn),
    straight: entrypoint({ name: 'dreamdeck-turn' }, turn),
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

/** What {@link streamRun} needs of an entrypoint: `stream()`, and the generator it wraps when there is one. */
export interface StreamableRun<I, C, O> {
  stream(input: I, config: C): Promise<AsyncIterable<O>>;
  _streamIterator?: (input: I, config: C) => AsyncIterable<O>;
}

/**
 * Runs a LangGraph entrypoint and iterates its stream. It reads the entrypoint's own generator
 * (`_streamIterator`, the one `stream()` wraps) when the entrypoint has one. Around that
 * generator `stream()` adds two web `ReadableStream`s, an abort controller joined to the caller's
 * signal, and a root LangSmith run tree for the async context. A turn needs none of them: it aborts
 * through `config.signal` and reads the stream to its end. Skipping them saves about a tenth of a
 * full HTTP turn's instructions, and about 6 KB for every turn that waits on its model. Tracing,
 * callbacks and stream modes are untouched, because the generator sets those up itself. Falls back
 * to `stream()` if LangGraph ever drops the generator.
 */
export async function streamRun<I, C, O>(run: StreamableRun<I, C, O>, input: I, config: C): Promise<AsyncIterable<O>> {
  return typeof run._streamIterator === 'function' ? run._streamIterator(input, config) : run.stream(input, config);
}
