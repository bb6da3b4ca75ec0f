import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult, type LLMResult } from '@langchain/core/outputs';
import { entrypoint, MemorySaver, task } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { createDemoModel, DemoChatModel } from './demo-model.js';
import { streamReply } from './stream-reply.js';

const signal = () => new AbortController().signal;

/** A model that cannot stream: only `_generate`. */
class WholeReplyModel extends BaseChatModel {
  _llmType() {
    return 'whole';
  }
  async _generate(): Promise<ChatResult> {
    return { generations: [{ text: 'The door creaks open.', message: new AIMessage('The door creaks open.') }] };
  }
}

/** A model that yields its tokens but never reports them to a run manager. */
class QuietStreamModel extends WholeReplyModel {
  override async *_streamResponseChunks(): AsyncGenerator<ChatGenerationChunk> {
    for (const token of ['The ', 'door ', 'creaks.'])
      yield new ChatGenerationChunk({ text: token, message: new AIMessageChunk(token) });
  }
}

/** Records what a callback handler sees of a model call. */
class Recorder extends BaseCallbackHandler {
  name = 'recorder';
  started = 0;
  tokens: string[] = [];
  ended: string[] = [];
  override handleChatModelStart() {
    this.started++;
  }
  override handleLLMNewToken(token: string) {
    this.tokens.push(token);
  }
  override handleLLMEnd(output: LLMResult) {
    this.ended.push(output.generations[0]?.[0]?.text ?? '');
  }
}

/** A model whose stream yields nothing at all. */
class SilentModel extends WholeReplyModel {
  override async *_streamResponseChunks(): AsyncGenerator<ChatGenerationChunk> {}
}

describe('streamReply', () => {
  it('hands over each token as the model streams it and resolves with the whole text', async () => {
    const tokens: string[] = [];
    const text = await streamReply(createDemoModel({ latencyMs: 0 }), [new HumanMessage('I open the door')], {
      signal: signal(),
      onText: (token) => tokens.push(token),
    });
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.join('')).toBe(text);
  });

  it('reads the stream directly when nothing observes the call: tokens arrive even unreported', async () => {
    const tokens: string[] = [];
    const text = await streamReply(new QuietStreamModel({}), [new HumanMessage('hi')], {
      signal: signal(),
      onText: (token) => tokens.push(token),
    });
    expect(tokens).toEqual(['The ', 'door ', 'creaks.']);
    expect(text).toBe('The door creaks.');
  });

  it("a callback handler on the model still sees the call's start, its tokens and the whole reply", async () => {
    const recorder = new Recorder();
    const tokens: string[] = [];
    const text = await streamReply(
      new DemoChatModel({ latencyMs: 0, callbacks: [recorder] }),
      [new HumanMessage('I open the door')],
      { signal: signal(), onText: (token) => tokens.push(token) },
    );
    expect(recorder.started).toBe(1);
    expect(recorder.tokens).toEqual(tokens);
    expect(recorder.ended).toEqual([text]);
    expect(tokens.length).toBeGreaterThan(5);
  });

  it('hands over the whole reply at once when the model cannot stream', async () => {
    const tokens: string[] = [];
    const text = await streamReply(new WholeReplyModel({}), [new HumanMessage('hi')], {
      signal: signal(),
      onText: (token) => tokens.push(token),
    });
    expect(tokens).toEqual(['The door creaks open.']);
    expect(text).toBe('The door creaks open.');
  });

  it("resolves with '' when the stream is empty, so the caller can call it an empty reply", async () => {
    const tokens: string[] = [];
    expect(
      await streamReply(new SilentModel({}), [new HumanMessage('hi')], {
        signal: signal(),
        onText: (t) => tokens.push(t),
      }),
    ).toBe('');
    expect(tokens).toEqual([]);
  });

  it('rejects once the signal aborts, after the tokens so far', async () => {
    const controller = new AbortController();
    const tokens: string[] = [];
    const outcome = streamReply(createDemoModel({ latencyMs: 1 }), [new HumanMessage('Tell me a long tale')], {
      signal: controller.signal,
      onText: (token) => {
        tokens.push(token);
        if (tokens.length === 2) controller.abort();
      },
    });
    await expect(outcome).rejects.toThrow();
    expect(tokens).toHaveLength(2);
  });

  it("keeps the LangGraph task's callbacks: the graph's messages stream still sees the tokens", async () => {
    const model = createDemoModel({ latencyMs: 0 });
    const ours: string[] = [];
    const narrate = task('narrate', () =>
      streamReply(model, [new HumanMessage('I light a lantern')], { signal: signal(), onText: (t) => ours.push(t) }),
    );
    const flow = entrypoint({ name: 'reply', checkpointer: new MemorySaver() }, () => narrate());
    const graphTokens: string[] = [];
    for await (const [chunk] of await flow.stream({}, { configurable: { thread_id: 't' }, streamMode: 'messages' })) {
      if (AIMessageChunk.isInstance(chunk) && typeof chunk.content === 'string') graphTokens.push(chunk.content);
    }
    expect(ours.length).toBeGreaterThan(5);
    expect(graphTokens).toEqual(ours);
  });
});
