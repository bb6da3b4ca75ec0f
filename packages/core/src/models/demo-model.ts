import { setTimeout as sleep } from 'node:timers/promises';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import type { Runnable } from '@langchain/core/runnables';
import { demoFacts, demoSummary, recalledFact, splitContext } from './demo-memory.js';
import { demoRoute, storyboardPrompts, writeNarration, writePersonaReply } from './demo-story.js';
import { hashString } from './seeded-random.js';

/** Options for {@link createDemoModel}. */
export interface DemoModelOptions {
  /** Delay before each streamed token, in ms (default 12). `0` streams with no delay, for benchmarks. */
  latencyMs?: number;
}

/**
 * LangChain call options, plus the tools `bindTools` bound (the demo answers the first with a tool call).
 * @inline
 */
interface DemoCallOptions extends BaseChatModelCallOptions {
  /** Tools in OpenAI (`function`) or LangChain (`name`, `schema`) shape. */
  tools?: Array<{
    /** `function` for an OpenAI-shaped tool. */
    type?: string;
    /** An OpenAI-shaped tool. */
    function?: {
      /** The tool's name. */
      name: string;
      /** JSON schema of its arguments. */
      parameters?: unknown;
    };
    /** A LangChain-shaped tool's name. */
    name?: string;
    /** A LangChain-shaped tool's argument schema (JSON schema). */
    schema?: unknown;
  }>;
}

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  minItems?: number;
  anyOf?: JsonSchema[];
};

const textOf = (message: BaseMessage): string =>
  typeof message.content === 'string'
    ? message.content
    : message.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');

/** Fills a JSON schema with plausible values, for structured output the demo does not know by name. */
function fillSchema(schema: JsonSchema | undefined, text: string): unknown {
  if (!schema) return text;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.anyOf?.[0]) return fillSchema(schema.anyOf[0], text);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(schema.properties ?? {})) out[key] = fillSchema(inner, text);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => fillSchema(schema.items, text));
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    default:
      return text.slice(0, 200);
  }
}

/**
 * Dreamdeck's offline demo storyteller: a small, deterministic game master built from a seeded
 * grammar. **It is a demo, not a language model** — it names places and people and keeps them
 * within a thread, reacts to the kind of action (fight, talk, sneak, search, travel), tells the
 * player's action back and weaves in the things they named (a determiner and the words after it:
 * "the abandoned chapel"), writes a `/write` passage that opens with its topic, turns dice results
 * into success or failure, and ends with choices; a regenerated reply (`Version: N` from the
 * engine) is drawn from another seed, so it reads differently, the same way every time. It does
 * not understand language.
 * It streams token-sized chunks and answers the structured output Dreamdeck's router and
 * storyboard ask for (via `bindTools`), so every engine path runs without a network.
 */
export class DemoChatModel extends BaseChatModel<DemoCallOptions, AIMessageChunk> {
  /** Delay before each token, in ms. */
  readonly latencyMs: number;

  /** Creates the model; prefer {@link createDemoModel}. */
  constructor(options: DemoModelOptions & BaseChatModelParams = {}) {
    super(options);
    this.latencyMs = options.latencyMs ?? 12;
  }

  /** LangChain's model type id. */
  _llmType(): string {
    return 'dreamdeck-demo';
  }

  /** Binds tools; a bound tool is answered with a tool call (this is how structured output works). */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<DemoCallOptions>,
  ): Runnable<BaseMessage[], AIMessageChunk, DemoCallOptions> {
    return this.withConfig({ ...kwargs, tools: tools as DemoCallOptions['tools'] });
  }

  /** Writes the whole reply (the text the stream would produce, or a tool call). */
  reply(messages: BaseMessage[], options: DemoCallOptions): AIMessageChunk {
    const last = [...messages].reverse().find((m) => m.getType() === 'human');
    const input = last ? textOf(last) : '';
    const tool = options.tools?.[0];
    if (tool) {
      const name = tool.function?.name ?? tool.name ?? 'extract';
      const args = this.structured(name, (tool.function?.parameters ?? tool.schema) as JsonSchema, input, messages);
      return new AIMessageChunk({
        content: '',
        tool_call_chunks: [
          {
            id: `call_${hashString(input + name)}`,
            name,
            args: JSON.stringify(args),
            index: 0,
            type: 'tool_call_chunk',
          },
        ],
      });
    }
    return new AIMessageChunk(this.narrate(messages, input));
  }

  private structured(
    name: string,
    schema: JsonSchema,
    input: string,
    messages: BaseMessage[],
  ): Record<string, unknown> {
    if (name === 'route_input') return demoRoute(playerAction(input));
    if (name === 'storyboard_prompts') {
      const max = Number(/at most (\d)/.exec(messages.map(textOf).join('\n'))?.[1] ?? 2);
      return { prompts: storyboardPrompts(input, max) };
    }
    if (name === 'extract_memories') return { facts: demoFacts(input) };
    if (name === 'summarize_story') {
      const system = messages.find((m) => m.getType() === 'system');
      return { summary: demoSummary(system ? textOf(system) : '', input) };
    }
    return fillSchema(schema, input) as Record<string, unknown>;
  }

  private narrate(messages: BaseMessage[], prompt: string): string {
    // the `<context>` block (recalled memory and the like) is for the GM, not the player's action
    const { text: input, remembered, knowledge } = splitContext(prompt);
    const system = messages.find((m) => m.getType() === 'system');
    const systemText = system ? textOf(system) : '';
    const persona = /You are ([^,.\n]+)/.exec(systemText)?.[1]?.trim() ?? 'The storyteller';
    const humans = messages.filter((m) => m.getType() === 'human').map(textOf);
    const earlierReplies = messages.filter((m) => m.getType() === 'ai').map(textOf);
    const turn = humans.length + earlierReplies.length;
    const firstHuman = playerAction(splitContext(humans[0] ?? input).text);
    if (!/game master|dungeon master/i.test(systemText) && systemText)
      return writePersonaReply(persona, playerAction(input), turn);
    return writeNarration({
      action: playerAction(input),
      toolLines: input
        .split('\n')
        .filter((line) => /^(Dice|Lore|Search|Image):/.test(line.trim()))
        .map((l) => l.trim())
        // the best knowledge-base passage, which the demo GM quotes and cites
        .concat(knowledge.slice(0, 1).map((line) => `Lore: ${line}`)),
      persona,
      earlierReplies,
      threadSeed: hashString(firstHuman),
      turn,
      // a regenerated reply's take (`Version: 2` from the engine): another seed, other words
      version: Number(/^\s*Version:\s*(\d+)/m.exec(input)?.[1] ?? 1),
      memory: recalledFact(playerAction(input), remembered),
    });
  }

  /** Not streaming: the whole reply at once. */
  async _generate(messages: BaseMessage[], options: this['ParsedCallOptions']): Promise<ChatResult> {
    const message = this.reply(messages, options);
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] };
  }

  /** Streams the reply in token-sized chunks (a word with its leading space). */
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const message = this.reply(messages, options);
    if (message.tool_call_chunks?.length) {
      yield new ChatGenerationChunk({ text: '', message });
      return;
    }
    const text = typeof message.content === 'string' ? message.content : '';
    // matchAll is lazy: a stream waiting on its latency holds the text, not an array of its tokens
    for (const [token] of text.matchAll(/\s*\S+/g)) {
      if (options.signal?.aborted) throw options.signal.reason ?? new Error('Aborted');
      if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: options.signal });
      const chunk = new ChatGenerationChunk({ text: token, message: new AIMessageChunk(token) });
      yield chunk;
      // no `await` when nothing observes the call: an awaited `undefined` still costs a promise a token
      if (runManager) await runManager.handleLLMNewToken(token, undefined, undefined, undefined, undefined, { chunk });
    }
  }
}

/** The player's own words from a narration request (the engine appends tool lines after them). */
function playerAction(input: string): string {
  return input
    .split('\n')
    .filter((line) => !/^(Dice|Lore|Search|Image|Version):/.test(line.trim()))
    .join(' ')
    .trim();
}

/**
 * Creates Dreamdeck's offline demo model (see {@link DemoChatModel}). Deterministic, no network,
 * honestly a demo. `latencyMs: 0` gives a zero-latency model for benchmarks.
 */
export function createDemoModel(options: DemoModelOptions = {}): DemoChatModel {
  return new DemoChatModel(options);
}
