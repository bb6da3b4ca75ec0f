import { createOpenAIImages, createOpenAIModel, type OpenAIModelOptions } from '@dreamdeck/adapters/openai';
import { DreamdeckError } from '@dreamdeck/core';
import { HumanMessage } from '@langchain/core/messages';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type LoopbackServer, startOpenAIServer, TINY_PNG } from '../../../tests/servers/index.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startOpenAIServer();
});
afterAll(() => server.close());
afterEach(() => server.reset());

const fast = { baseDelayMs: 1, maxDelayMs: 4 };
const model = (options: Partial<OpenAIModelOptions> = {}) =>
  createOpenAIModel({ model: 'gpt-4o-mini', baseURL: `${server.url}/v1`, apiKey: 'sk-test', retry: fast, ...options });

async function streamText(adapter = model(), signal?: AbortSignal) {
  const chunks: string[] = [];
  for await (const chunk of await adapter.model.stream([new HumanMessage('Open the door')], { signal })) {
    if (typeof chunk.content === 'string' && chunk.content) chunks.push(chunk.content);
  }
  return chunks;
}

async function failure(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DreamdeckError.isInstance(error), `expected a DreamdeckError, got ${String(error)}`).toBe(true);
  return error as DreamdeckError;
}

describe('createOpenAIModel', () => {
  it('streams narration token by token over SSE and asks for usage', async () => {
    server.enqueue({ text: 'The door creaks open slowly.' });
    const chunks = await streamText();
    expect(chunks).toEqual(['The ', 'door ', 'creaks ', 'open ', 'slowly.']);
    const [request] = server.requests;
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.body).toMatchObject({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(request?.body.messages).toEqual([{ role: 'user', content: 'Open the door' }]);
  });

  it('reports token usage from the usage chunk', async () => {
    server.enqueue({ text: 'one two three' });
    let usage: unknown;
    for await (const chunk of await model().model.stream('hi')) usage = chunk.usage_metadata ?? usage;
    expect(usage).toMatchObject({ input_tokens: 12, output_tokens: 3, total_tokens: 15 });
  });

  it('passes temperature and maxTokens on', async () => {
    server.enqueue({ text: 'ok' });
    await model({ temperature: 0.3, maxTokens: 77 }).model.invoke('hi');
    expect(server.requests[0]?.body).toMatchObject({ temperature: 0.3, max_tokens: 77 });
  });

  it('returns schema-valid structured output through a json_schema response format', async () => {
    const schema = z.object({ route: z.enum(['narrate', 'roll', 'storyboard']), reason: z.string() });
    server.enqueue({ json: { route: 'roll', reason: 'the player wants to roll' } });
    const result = await model().model.withStructuredOutput(schema, { name: 'route' }).invoke('roll for it');
    expect(result).toEqual({ route: 'roll', reason: 'the player wants to roll' });
    expect(server.requests[0]?.body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'route' },
    });
  });

  it('returns structured output through a tool call', async () => {
    const schema = z.object({ scenes: z.array(z.string()).min(1) });
    server.enqueue({ json: { scenes: ['a gate', 'a tower'] } });
    const result = await model()
      .model.withStructuredOutput(schema, { name: 'storyboard', method: 'functionCalling' })
      .invoke('plan it');
    expect(result).toEqual({ scenes: ['a gate', 'a tower'] });
    expect(server.requests[0]?.body.tools[0].function.name).toBe('storyboard');
  });

  it('fails 401 at once, not retried, telling the user to check the key', async () => {
    server.enqueue({ status: 401, error: 'Incorrect API key provided' });
    const error = await failure(streamText(model({ maxRetries: 3 })));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/check your API key/);
    expect(error.message).toMatch(/Incorrect API key provided/);
    expect(server.requests).toHaveLength(1);
  });

  it('fails 403 the same way', async () => {
    server.enqueue({ status: 403, error: 'Project does not have access' });
    const error = await failure(model().model.invoke('hi'));
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/check your API key/);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 429 after the Retry-After the server asks for', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { text: 'after the wait' });
    expect((await streamText()).join('')).toBe('after the wait');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on 429 when Retry-After is longer than it will wait, reporting the wait', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '30' } });
    const error = await failure(streamText(model({ retry: { ...fast, maxRetryAfterMs: 1000 } })));
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(30_000);
    expect(server.requests).toHaveLength(1);
  });

  it('retries 5xx with backoff until it succeeds', async () => {
    server.enqueue({ status: 500 }, { status: 503 }, { text: 'third time lucky' });
    expect((await streamText(model({ maxRetries: 2 }))).join('')).toBe('third time lucky');
    expect(server.requests).toHaveLength(3);
  });

  it('stops after maxRetries and reports a retryable error', async () => {
    server.defaults = { status: 502, error: 'bad gateway' };
    const error = await failure(streamText(model({ maxRetries: 2 })));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/502/);
    expect(server.requests).toHaveLength(3);
  });

  it('retries a connection reset before the reply', async () => {
    server.enqueue({ fault: 'reset', faultAfterTokens: 0 }, { text: 'steady now' });
    expect((await streamText()).join('')).toBe('steady now');
    expect(server.requests).toHaveLength(2);
  });

  it('times out a hung connection, closes it and retries', async () => {
    server.enqueue({ fault: 'hang' }, { text: 'awake again' });
    expect((await streamText(model({ timeoutMs: 300 }))).join('')).toBe('awake again');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.closedEarly).toBe(true);
  });

  it('reports a timeout once every attempt hangs', async () => {
    server.defaults = { fault: 'hang' };
    const error = await failure(streamText(model({ timeoutMs: 100, maxRetries: 1 })));
    expect(error.message).toMatch(/timed out/);
    expect(server.requests).toHaveLength(2);
  });

  it('turns a malformed chunk into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'malformed', faultAfterTokens: 2 });
    const error = await failure(streamText());
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toMatch(/broken response.*not JSON/);
  });

  it('turns a truncated stream into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'truncated', faultAfterTokens: 3 });
    const error = await failure(streamText());
    expect(error.message).toMatch(/ended before it was complete/);
    expect(error.retryable).toBe(true);
  });

  it('turns a connection reset mid-stream into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'reset', faultAfterTokens: 2 });
    const error = await failure(streamText());
    expect(error.message).toMatch(/connection .* was lost/);
  });

  it('turns a malformed JSON reply into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'malformed' });
    const error = await failure(
      model()
        .model.withStructuredOutput(z.object({ a: z.string() }))
        .invoke('x'),
    );
    expect(error.code).toBe('MODEL_UNAVAILABLE');
  });

  it('cancels the upstream request when the signal aborts', async () => {
    server.enqueue({ text: 'a b c d e f g h i j k l m n o p q r s t u v w x y z', tokenDelayMs: 30 });
    const controller = new AbortController();
    const chunks: string[] = [];
    const reading = (async () => {
      try {
        for await (const chunk of await model().model.stream('go', { signal: controller.signal })) {
          chunks.push(String(chunk.content));
          if (chunks.filter(Boolean).length === 2) controller.abort();
        }
      } catch {
        // an abort may end the stream with an AbortError
      }
    })();
    await server.waitForClientClose(0);
    await reading;
    expect(server.requests[0]?.closedEarly).toBe(true);
    expect(chunks.join('').length).toBeLessThan('a b c d e f g h i j k l m n o p q r s t u v w x y z'.length);
  });

  it('says the server is not reachable when nothing listens', async () => {
    const closed = await startOpenAIServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(streamText(model({ baseURL: `${url}/v1`, maxRetries: 1 })));
    expect(error.message).toBe(`The OpenAI-compatible server is not reachable at ${url}/v1 — is the server running?`);
  });

  it('falls back to OPENAI_API_KEY and OPENAI_BASE_URL', async () => {
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    process.env.OPENAI_API_KEY = 'sk-from-env';
    process.env.OPENAI_BASE_URL = `${server.url}/v1`;
    try {
      server.enqueue({ text: 'from the environment' });
      const adapter = createOpenAIModel({ model: 'gpt-4o-mini' });
      expect((await streamText(adapter)).join('')).toBe('from the environment');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-from-env');
    } finally {
      for (const [name, value] of [
        ['OPENAI_API_KEY', saved.key],
        ['OPENAI_BASE_URL', saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('refuses to start against api.openai.com without a key, naming the variable', () => {
    const saved = { key: process.env.OPENAI_API_KEY, url: process.env.OPENAI_BASE_URL };
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
    try {
      expect(() => createOpenAIModel({ model: 'gpt-4o-mini' })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved.key !== undefined) process.env.OPENAI_API_KEY = saved.key;
      if (saved.url !== undefined) process.env.OPENAI_BASE_URL = saved.url;
    }
  });

  it('maps errors it did not raise itself through toError', () => {
    const adapter = model();
    const error = adapter.toError?.(Object.assign(new Error('Unauthorized'), { status: 401 }));
    expect(error?.retryable).toBe(false);
    expect(error?.message).toMatch(/check your API key/);
  });
});

describe('createOpenAIImages', () => {
  const images = (options: Partial<Parameters<typeof createOpenAIImages>[0]> = {}) =>
    createOpenAIImages({
      model: 'gpt-image-1',
      baseURL: `${server.url}/v1`,
      apiKey: 'sk-test',
      retry: fast,
      ...options,
    });

  it('returns PNG bytes from b64_json', async () => {
    const result = await images({ size: '1024x1024', quality: 'low' }).generate({ prompt: 'a misty harbour' });
    expect(result).toEqual({ data: new Uint8Array(TINY_PNG), mimeType: 'image/png' });
    expect(server.requests[0]?.path).toBe('/v1/images/generations');
    expect(server.requests[0]?.body).toEqual({
      model: 'gpt-image-1',
      prompt: 'a misty harbour',
      n: 1,
      size: '1024x1024',
      quality: 'low',
    });
  });

  it('returns a URL when a dall-e model is asked for one', async () => {
    const result = await images({ model: 'dall-e-3', responseFormat: 'url' }).generate({ prompt: 'a tower' });
    expect(result).toMatchObject({ mimeType: 'image/png' });
    expect('url' in result && result.url.startsWith(`${server.url}/files/`)).toBe(true);
    expect(server.requests[0]?.body.response_format).toBe('url');
  });

  it('retries a 500 and fails 401 at once', async () => {
    server.enqueue({ status: 500 });
    await images().generate({ prompt: 'x' });
    expect(server.requests).toHaveLength(2);
    server.reset();
    server.enqueue({ status: 401 });
    const error = await failure(images().generate({ prompt: 'x' }));
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a malformed image response cleanly', async () => {
    server.enqueue({ fault: 'malformed' });
    const error = await failure(images().generate({ prompt: 'x' }));
    expect(error.message).toMatch(/not JSON/);
  });

  it('cancels the upstream request when the signal aborts', async () => {
    server.enqueue({ fault: 'hang' });
    const controller = new AbortController();
    const pending = images().generate({ prompt: 'x', signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server.waitForClientClose(0);
    expect(server.requests[0]?.closedEarly).toBe(true);
  });
});
