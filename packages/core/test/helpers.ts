import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import {
  createDemoModel,
  createDreamdeck,
  type DreamdeckConfigInput,
  type DreamdeckOptions,
  type Turn,
  type TurnEvent,
} from '../src/index.js';

/** A Dreamdeck on memory storage and the zero-latency demo model, quiet logs, no env. */
export function quietDreamdeck(config: DreamdeckConfigInput = {}, options: DreamdeckOptions = {}) {
  return createDreamdeck({
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    ...options,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false }, ...config },
  });
}

/** Runs a turn to the end and returns its events and result. */
export async function collect(turn: Turn) {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  return {
    events,
    result: await turn.result,
    text: events.flatMap((e) => (e.type === 'message-delta' ? [e.text] : [])).join(''),
  };
}

/**
 * A chat model that streams `tokens` and then, if `failAfter` is set, throws mid-stream — for the
 * failure paths. Set `fail = false` to make it healthy again.
 */
export class FlakyModel extends BaseChatModel {
  fail = true;
  constructor(
    private readonly tokens: string[],
    private readonly failAfter: number,
  ) {
    super({});
  }
  _llmType() {
    return 'flaky';
  }
  async _generate(): Promise<ChatResult> {
    throw new Error('not used');
  }
  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for (const [index, token] of this.tokens.entries()) {
      if (this.fail && index === this.failAfter)
        throw Object.assign(new Error('upstream connection reset'), { code: 'ECONNRESET' });
      const chunk = new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token }) });
      // as LangChain's own models do: streaming callbacks (and Dreamdeck's narration) see each token
      await runManager?.handleLLMNewToken(token, undefined, undefined, undefined, undefined, { chunk });
      yield chunk;
    }
  }
}

/** A model that streams `tokens`, then hangs for good and ignores every abort signal. */
export class HangingModel extends FlakyModel {
  constructor(tokens: string[]) {
    super(tokens, tokens.length);
  }
  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    yield* super._streamResponseChunks(messages, options, runManager);
    await new Promise(() => {});
  }
}

/**
 * A model that streams `tokens[0..holdAt)`, then waits until {@link GatedModel.open} is called
 * before streaming the rest: a turn that runs exactly as long as a test needs it to.
 */
export class GatedModel extends FlakyModel {
  /** Resolves once the tokens before the gate have streamed. */
  readonly reached: Promise<void>;
  private arrive!: () => void;
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  constructor(
    private readonly gatedTokens: string[],
    private readonly holdAt: number,
  ) {
    super(gatedTokens, gatedTokens.length);
    this.reached = new Promise<void>((resolve) => {
      this.arrive = resolve;
    });
  }
  /** Lets the held turn stream on. */
  open(): void {
    this.release();
  }
  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for (const [index, token] of this.gatedTokens.entries()) {
      if (index === this.holdAt) {
        this.arrive();
        await this.gate;
      }
      const chunk = new ChatGenerationChunk({ text: token, message: new AIMessageChunk({ content: token }) });
      await runManager?.handleLLMNewToken(token, undefined, undefined, undefined, undefined, { chunk });
      yield chunk;
    }
  }
}
