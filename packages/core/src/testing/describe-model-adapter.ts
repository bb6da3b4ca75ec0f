import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DreamdeckError, isAbortError } from '../errors.js';
import { type ModelAdapter, modelError, toModelAdapter } from '../models/model-adapter.js';
import { streamReply } from '../models/stream-reply.js';

/** Options for {@link describeModelAdapter}. */
export interface DescribeModelAdapterOptions {
  /** Suite name, for example `openai (loopback)`. */
  name: string;
  /** Creates the adapter (or a plain LangChain chat model) under test. */
  create(): ModelAdapter | BaseChatModel | Promise<ModelAdapter | BaseChatModel>;
  /** Starts whatever the adapter talks to (a loopback server); runs before the suite. */
  setup?(): Promise<void> | void;
  /** Stops it; runs after the suite. */
  teardown?(): Promise<void> | void;
  /**
   * Arranges for the next model call to be slow (many tokens, each delayed) so the abort test can
   * cancel it mid-stream. Default: nothing (the adapter must already stream slowly enough).
   */
  prepareSlowReply?(): Promise<void> | void;
  /**
   * Makes the next model call fail, and returns the adapter to call (for example one pointed at a
   * closed port, or a loopback server scripted to answer 401). Skip the failure test when omitted.
   */
  createFailing?(): ModelAdapter | Promise<ModelAdapter>;
  /**
   * Resolves once the upstream request was cancelled after an abort (a loopback server saw the
   * connection close). Omit for in-process models.
   */
  upstreamClosed?(): Promise<void>;
}

const routeSchema = z.object({
  route: z.enum(['narrate', 'roll', 'storyboard']),
  reason: z.string(),
});

const textOf = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
      : '';

/**
 * The conformance suite every model adapter passes (the demo model, OpenAI, Ollama): narration
 * streams in several chunks, `withStructuredOutput` returns data that satisfies the schema, an
 * `AbortSignal` stops the stream (and cancels the upstream request when `upstreamClosed` is
 * given), and failures map to `DreamdeckError`s through the adapter.
 *
 * @example
 * describeModelAdapter({ name: 'demo', create: () => createDemoModel({ latencyMs: 0 }) });
 */
export function describeModelAdapter(options: DescribeModelAdapterOptions): void {
  describe(`model adapter: ${options.name}`, () => {
    let adapter: ModelAdapter;
    beforeAll(async () => {
      await options.setup?.();
      adapter = toModelAdapter(await options.create());
    });
    afterAll(async () => {
      await options.teardown?.();
    });

    it('has a name and a chat model', () => {
      expect(typeof adapter.name).toBe('string');
      expect(adapter.name.length).toBeGreaterThan(0);
      expect(typeof adapter.model.stream).toBe('function');
    });

    it('streams narration in several chunks', async () => {
      const chunks: string[] = [];
      const stream = await adapter.model.stream([
        new SystemMessage('You are the game master. Narrate in two sentences.'),
        new HumanMessage('I open the creaking door.'),
      ]);
      for await (const chunk of stream) {
        const text = textOf(chunk.content);
        if (text) chunks.push(text);
      }
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('').trim().length).toBeGreaterThan(0);
    });

    it('streams narration token by token the way turns read it (streamReply)', async () => {
      const tokens: string[] = [];
      const text = await streamReply(
        adapter.model,
        [new SystemMessage('You are the game master. Narrate in two sentences.'), new HumanMessage('I open the door.')],
        { signal: new AbortController().signal, onText: (token) => tokens.push(token) },
      );
      expect(tokens.length).toBeGreaterThan(1);
      expect(tokens.join('')).toBe(text);
      expect(text.trim().length).toBeGreaterThan(0);
    });

    it('returns schema-valid structured output', async () => {
      const router = adapter.model.withStructuredOutput(routeSchema, { name: 'route' });
      const result = await router.invoke([
        new SystemMessage('Route the player input: narrate, roll or storyboard.'),
        new HumanMessage('I look around the tavern.'),
      ]);
      expect(routeSchema.safeParse(result).success).toBe(true);
    });

    it('stops streaming when the signal aborts', async () => {
      await options.prepareSlowReply?.();
      const controller = new AbortController();
      let chunks = 0;
      let failure: unknown;
      try {
        const stream = await adapter.model.stream([new HumanMessage('Tell me a long tale.')], {
          signal: controller.signal,
        });
        for await (const _chunk of stream) {
          chunks += 1;
          if (chunks === 1) controller.abort();
          if (chunks > 50) break;
        }
      } catch (error) {
        failure = error;
      }
      expect(chunks).toBeLessThanOrEqual(3);
      if (failure !== undefined) expect(isAbortError(failure) || controller.signal.aborted).toBe(true);
      await options.upstreamClosed?.();
    });

    it('stops streamReply when the signal aborts', async () => {
      await options.prepareSlowReply?.();
      const controller = new AbortController();
      let tokens = 0;
      const failure = await streamReply(adapter.model, [new HumanMessage('Tell me a long tale.')], {
        signal: controller.signal,
        onText: () => {
          tokens += 1;
          if (tokens === 1) controller.abort();
        },
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(tokens).toBeGreaterThanOrEqual(1);
      expect(tokens).toBeLessThanOrEqual(3);
      expect(failure).toBeDefined();
      await options.upstreamClosed?.();
    });

    it.skipIf(!options.createFailing)('maps failures to DreamdeckErrors', async () => {
      const failing = toModelAdapter(await options.createFailing!());
      const caught = await (async () => {
        for await (const _chunk of await failing.model.stream([new HumanMessage('hello')])) {
          // a failing model must not stream
        }
      })().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(caught).toBeDefined();
      const mapped = modelError(failing, caught);
      expect(DreamdeckError.isInstance(mapped)).toBe(true);
      expect(mapped.code).toBe('MODEL_UNAVAILABLE');
      expect(typeof mapped.retryable).toBe('boolean');
      expect(mapped.message.length).toBeGreaterThan(0);
    });
  });
}
