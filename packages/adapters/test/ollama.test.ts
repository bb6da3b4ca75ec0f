import { createOllamaModel, type OllamaModelOptions } from '@dreamdeck/adapters/ollama';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type LoopbackServer, startOllamaServer } from '../../../tests/servers/index.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startOllamaServer();
});
afterAll(() => server.close());
afterEach(() => server.reset());

const fast = { baseDelayMs: 1, maxDelayMs: 4 };
const model = (options: Partial<OllamaModelOptions> = {}) =>
  createOllamaModel({ model: 'llama3.1', baseUrl: server.url, retry: fast, ...options });

async function streamText(adapter = model(), signal?: AbortSignal) {
  const chunks: string[] = [];
  for await (const chunk of await adapter.model.stream('Open the door', { signal })) {
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

describe('createOllamaModel', () => {
  it('streams narration token by token from /api/chat NDJSON', async () => {
    server.enqueue({ text: 'Rain drums on the tin roof.' });
    expect(await streamText(model({ temperature: 0.4 }))).toEqual(['Rain ', 'drums ', 'on ', 'the ', 'tin ', 'roof.']);
    const [request] = server.requests;
    expect(request?.path).toBe('/api/chat');
    expect(request?.body).toMatchObject({ model: 'llama3.1', stream: true, options: { temperature: 0.4 } });
    expect(request?.body.messages).toEqual([{ role: 'user', content: 'Open the door' }]);
  });

  it('returns schema-valid structured output through `format`', async () => {
    const schema = z.object({ route: z.enum(['narrate', 'roll']), confidence: z.number() });
    server.enqueue({ json: { route: 'roll', confidence: 0.9 } });
    const result = await model().model.withStructuredOutput(schema, { name: 'route' }).invoke('roll it');
    expect(result).toEqual({ route: 'roll', confidence: 0.9 });
    expect(server.requests[0]?.body.format).toMatchObject({
      type: 'object',
      properties: { route: { enum: ['narrate', 'roll'] } },
    });
  });

  it('fills unscripted structured output from the schema', async () => {
    const schema = z.object({ scenes: z.array(z.string()).min(2) });
    const result = await model().model.withStructuredOutput(schema).invoke('plan');
    expect(schema.safeParse(result).success).toBe(true);
  });

  it('says Ollama is not running when the connection is refused', async () => {
    const closed = await startOllamaServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(streamText(model({ baseUrl: url, maxRetries: 1 })));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.message).toBe(`Ollama is not reachable at ${url} — is \`ollama serve\` running?`);
  });

  it('retries 5xx with backoff until it succeeds', async () => {
    server.enqueue({ status: 500, error: 'model runner crashed' }, { status: 503 }, { text: 'back on my feet' });
    expect((await streamText(model({ maxRetries: 2 }))).join('')).toBe('back on my feet');
    expect(server.requests).toHaveLength(3);
  });

  it('stops after maxRetries with a retryable error naming the failure', async () => {
    server.defaults = { status: 500, error: 'model runner crashed' };
    const error = await failure(streamText(model({ maxRetries: 1 })));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/model runner crashed/);
    expect(server.requests).toHaveLength(2);
  });

  it('retries 429 after Retry-After', async () => {
    server.enqueue({ status: 429, headers: { 'retry-after': '0' } }, { text: 'ok then' });
    expect((await streamText()).join('')).toBe('ok then');
    expect(server.requests).toHaveLength(2);
  });

  it('fails 401 from an auth proxy at once, not retried', async () => {
    server.enqueue({ status: 401, error: 'unauthorized' });
    const error = await failure(streamText(model({ maxRetries: 3 })));
    expect(error.retryable).toBe(false);
    expect(server.requests).toHaveLength(1);
  });

  it('tells the user to pull a model Ollama does not have', async () => {
    server.enqueue({ status: 404, error: 'model "llama3.1" not found, try pulling it first' });
    const error = await failure(streamText());
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/ollama pull llama3\.1/);
  });

  it('times out a hung connection (ChatOllama has no timeout of its own) and retries', async () => {
    server.enqueue({ fault: 'hang' }, { text: 'awake' });
    expect((await streamText(model({ timeoutMs: 300 }))).join('')).toBe('awake');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.closedEarly).toBe(true);
  });

  it('times out a stream that stalls mid-reply', async () => {
    server.enqueue({ text: 'slow and then silent', tokenDelayMs: 5_000 });
    const error = await failure(streamText(model({ timeoutMs: 200, maxRetries: 0 })));
    expect(error.message).toMatch(/timed out/);
  });

  it('retries a reset before the reply', async () => {
    server.enqueue({ fault: 'reset', faultAfterTokens: 0 }, { text: 'steady' });
    expect((await streamText()).join('')).toBe('steady');
    expect(server.requests).toHaveLength(2);
  });

  it('turns a reset mid-stream into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'reset', faultAfterTokens: 2 });
    const error = await failure(streamText());
    expect(error.message).toMatch(/connection .* was lost/);
  });

  it('turns a malformed line into a clean DreamdeckError (the ollama client would skip it)', async () => {
    server.enqueue({ fault: 'malformed', faultAfterTokens: 2 });
    const error = await failure(streamText());
    expect(error.message).toMatch(/not JSON/);
  });

  it('turns a truncated stream into a clean DreamdeckError', async () => {
    server.enqueue({ fault: 'truncated', faultAfterTokens: 3 });
    const error = await failure(streamText());
    expect(error.message).toMatch(/ended before it was complete/);
  });

  it('cancels the upstream request when the signal aborts, even while the server is silent', async () => {
    server.enqueue({ fault: 'hang' });
    const controller = new AbortController();
    const pending = streamText(model(), controller.signal).catch(() => []);
    await server.waitForRequests(1);
    controller.abort();
    await server.waitForClientClose(0);
    await pending;
    expect(server.requests[0]?.closedEarly).toBe(true);
  });

  it('aborting one stream leaves a concurrent stream of the same model untouched', async () => {
    const text = 'a b c d e f g h i j k l';
    server.enqueue({ text, tokenDelayMs: 20 }, { text, tokenDelayMs: 20 });
    const adapter = model();
    const controller = new AbortController();
    const first = (async () => {
      const chunks: string[] = [];
      try {
        for await (const chunk of await adapter.model.stream('one', { signal: controller.signal })) {
          chunks.push(String(chunk.content));
          if (chunks.join('').length >= 4) controller.abort();
        }
      } catch {
        // aborted
      }
      return chunks.join('');
    })();
    const second = streamText(adapter);
    const requests = await server.waitForRequests(2);
    const aborted = requests.findIndex((request) => request.body.messages[0].content === 'one');
    await server.waitForClientClose(aborted);
    expect((await second).join('')).toBe(text);
    expect((await first).length).toBeLessThan(text.length);
    expect(requests[1 - aborted]?.closedEarly).toBe(false);
  });

  it('falls back to OLLAMA_BASE_URL', async () => {
    const saved = process.env.OLLAMA_BASE_URL;
    process.env.OLLAMA_BASE_URL = server.url;
    try {
      server.enqueue({ text: 'from env' });
      expect((await streamText(createOllamaModel({ model: 'llama3.1', retry: fast }))).join('')).toBe('from env');
    } finally {
      if (saved === undefined) delete process.env.OLLAMA_BASE_URL;
      else process.env.OLLAMA_BASE_URL = saved;
    }
  });
});
