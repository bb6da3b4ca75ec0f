import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { mergeConfigs, type RunnableConfig } from '@langchain/core/runnables';
import { getConfig } from '@langchain/langgraph';

/** Passes each streamed token to a function, and asks the model to stream while it is attached. */
class TokenHandler extends BaseCallbackHandler {
  name = 'dreamdeck-tokens';
  /** LangChain's signal to `invoke`: use the model's streaming path so tokens arrive one by one. */
  lc_prefer_streaming = true;

  constructor(private readonly onToken: (text: string) => void) {
    super({ _awaitHandler: true });
  }

  override handleLLMNewToken(token: string): void {
    if (token) this.onToken(token);
  }
}

/** LangChain's error for a streaming call that produced no chunk at all. */
const EMPTY_RESPONSE = 'Received empty response from chat model call.';

/**
 * Runs a chat model and hands its reply to `onText` token by token; resolves with the whole text.
 *
 * When no callback handler would see the call (no tracer, no handler on the model or inherited from
 * the running LangGraph task, which is the case for a turn in `updates` mode), it reads the model's
 * stream (`_streamResponseChunks`, what every streaming LangChain model implements) directly. That
 * skips what `invoke` and `stream()` add around the stream for callbacks and for the final
 * message: a run tree, tracing copies of the request and, per token, a dispatch to the handlers and
 * an `AIMessageChunk.concat`, which alone costs about 10 µs a token.
 *
 * Otherwise it calls `invoke` with a streaming callback handler joined to the inherited callbacks,
 * so tracing and LangGraph's own stream modes (`messages`) see the call as usual. A model that
 * cannot stream hands over its whole reply at once. A call that streams nothing resolves with `''`.
 */
export async function streamReply(
  model: BaseChatModel,
  messages: BaseMessage[],
  options: { signal: AbortSignal; onText: (text: string) => void },
): Promise<string> {
  const inherited = getConfig()?.callbacks;
  if (await unobserved(model, inherited)) return readStream(model, messages, options);
  let text = '';
  const handler = new TokenHandler((token) => {
    text += token;
    options.onText(token);
  });
  const { callbacks } = mergeConfigs({ callbacks: inherited }, { callbacks: [handler] });
  let reply: BaseMessage;
  try {
    reply = await model.invoke(messages, { signal: options.signal, callbacks });
  } catch (error) {
    if (!options.signal.aborted && error instanceof Error && error.message === EMPTY_RESPONSE) return text;
    throw error;
  }
  if (!text) {
    const whole = typeof reply.content === 'string' ? reply.content : reply.text;
    if (whole) {
      text = whole;
      options.onText(whole);
    }
  }
  return text;
}

/**
 * True when `model` streams and no callback handler would observe a call to it: LangChain's own
 * `CallbackManager.configure` (inherited callbacks, the model's callbacks, `verbose`, tracing from
 * the environment, configure hooks) yields no handler. A cache or `disableStreaming` means no.
 */
async function unobserved(model: BaseChatModel, inherited: RunnableConfig['callbacks']): Promise<boolean> {
  if (!(model instanceof BaseChatModel) || model.cache || model.disableStreaming) return false;
  if (model._streamResponseChunks === BaseChatModel.prototype._streamResponseChunks) return false;
  const manager = await CallbackManager.configure(
    inherited,
    model.callbacks,
    undefined,
    model.tags,
    undefined,
    model.metadata,
    {
      verbose: model.verbose,
    },
  );
  return !manager || manager.handlers.length === 0;
}

/**
 * Reads the model's stream directly and hands on each chunk's text. Like `invoke`, an abort
 * settles the call at once, even when the model ignores the signal and hangs.
 */
async function readStream(
  model: BaseChatModel,
  messages: BaseMessage[],
  options: { signal: AbortSignal; onText: (text: string) => void },
): Promise<string> {
  const { signal } = options;
  signal.throwIfAborted();
  const reading = (async () => {
    let text = '';
    const callOptions = { signal } as BaseChatModel['ParsedCallOptions'];
    for await (const chunk of model._streamResponseChunks(messages, callOptions)) {
      signal.throwIfAborted();
      const token =
        chunk.text || (typeof chunk.message.content === 'string' ? chunk.message.content : chunk.message.text);
      if (token) {
        text += token;
        options.onText(token);
      }
    }
    signal.throwIfAborted();
    return text;
  })();
  reading.catch(() => {}); // after an abort nobody awaits it any more
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
  });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([reading, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
