import { createA1111Images } from '@dreamdeck/adapters/a1111';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startA1111Server, TINY_PNG } from '../../../tests/servers/index.js';

let server: LoopbackServer;
beforeAll(async () => {
  server = await startA1111Server();
});
afterAll(() => server.close());
afterEach(() => server.reset());

const fast = { baseDelayMs: 1, maxDelayMs: 4 };

async function failure(promise: Promise<unknown>): Promise<DreamdeckError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DreamdeckError.isInstance(error), `expected a DreamdeckError, got ${String(error)}`).toBe(true);
  return error as DreamdeckError;
}

describe('createA1111Images', () => {
  it('posts txt2img with the original app defaults and returns PNG bytes', async () => {
    const images = createA1111Images({ baseUrl: `${server.url}/`, retry: fast });
    const result = await images.generate({ prompt: 'a lighthouse at dusk' });
    expect(result).toEqual({ data: new Uint8Array(TINY_PNG), mimeType: 'image/png' });
    expect(server.requests[0]?.path).toBe('/sdapi/v1/txt2img');
    expect(server.requests[0]?.body).toEqual({
      prompt: 'a lighthouse at dusk',
      negative_prompt: '',
      steps: 30,
      sampler_name: 'Euler',
      cfg_scale: 3.5,
      width: 512,
      height: 512,
      seed: -1,
      batch_size: 1,
      n_iter: 1,
    });
  });

  it('uses configured options, and the request overrides size, seed and negative prompt', async () => {
    const images = createA1111Images({
      baseUrl: server.url,
      steps: 12,
      sampler: 'DPM++ 2M',
      scheduler: 'Karras',
      cfgScale: 7,
      width: 768,
      height: 640,
      negativePrompt: 'blurry',
    });
    await images.generate({ prompt: 'p' });
    await images.generate({ prompt: 'p', width: 256, height: 320, seed: 42, negativePrompt: 'text' });
    expect(server.requests[0]?.body).toMatchObject({
      steps: 12,
      sampler_name: 'DPM++ 2M',
      scheduler: 'Karras',
      cfg_scale: 7,
      width: 768,
      height: 640,
      negative_prompt: 'blurry',
    });
    expect(server.requests[1]?.body).toMatchObject({ width: 256, height: 320, seed: 42, negative_prompt: 'text' });
  });

  it('retries a 500 once by default, then reports a retryable error', async () => {
    server.defaults = { status: 500, error: 'CUDA out of memory' };
    const error = await failure(createA1111Images({ baseUrl: server.url, retry: fast }).generate({ prompt: 'p' }));
    expect(error.code).toBe('MODEL_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/CUDA out of memory/);
    expect(server.requests).toHaveLength(2);
  });

  it('times out a hung request', async () => {
    server.defaults = { fault: 'hang' };
    const images = createA1111Images({ baseUrl: server.url, timeoutMs: 100, maxRetries: 0 });
    const error = await failure(images.generate({ prompt: 'p' }));
    expect(error.message).toMatch(/timed out/);
    expect(server.requests).toHaveLength(1);
  });

  it('reports a malformed response cleanly', async () => {
    server.enqueue({ fault: 'malformed' });
    const error = await failure(createA1111Images({ baseUrl: server.url }).generate({ prompt: 'p' }));
    expect(error.message).toMatch(/not JSON/);
  });

  it('says the web UI is not reachable when nothing listens', async () => {
    const closed = await startA1111Server();
    await closed.close();
    const images = createA1111Images({ baseUrl: closed.url, maxRetries: 0 });
    const error = await failure(images.generate({ prompt: 'p' }));
    expect(error.message).toBe(
      `Automatic1111 is not reachable at ${closed.url} — is the web UI running with \`--api\`?`,
    );
  });

  it('cancels the upstream request when the signal aborts', async () => {
    server.enqueue({ fault: 'hang' });
    const controller = new AbortController();
    const pending = createA1111Images({ baseUrl: server.url }).generate({ prompt: 'p', signal: controller.signal });
    await server.waitForRequests(1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await server.waitForClientClose(0);
    expect(server.requests[0]?.closedEarly).toBe(true);
  });
});
