import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { BaseMessage } from '@langchain/core/messages';
import { mergeConfigs } from '@langchain/core/runnables';
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
 * It calls `invoke` with a streaming callback handler rather than iterating `stream()`: LangChain
 * then drives the model's stream directly, without the readable stream and generators `stream()`
 * wraps around each call, which a turn pays for on every token and holds while the model is quiet.
 * The handler joins the callbacks inherited from the running LangGraph task, so tracing and
 * LangGraph's own stream modes see the call as before. A model that cannot stream hands over its
 * whole reply at once. A call that streams nothing resolves with `''`.
 */
export async function streamReply(
  model: BaseChatModel,
  messages: BaseMessage[],
  options: { signal: AbortSignal; onText: (text: string) => void },
): Promise<string> {
  let text = '';
  const handler = new TokenHandler((token) => {
    text += token;
    options.onText(token);
  });
  const { callbacks } = mergeConfigs({ callbacks: getConfig()?.callbacks }, { callbacks: [handler] });
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
