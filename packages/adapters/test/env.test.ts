import { imagesFromEnv, modelFromEnv } from '@dreamdeck/adapters/env';
import { DreamdeckError } from '@dreamdeck/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startOllamaServer, startOpenAIServer } from '../../../tests/servers/index.js';

let openai: LoopbackServer;
let ollama: LoopbackServer;
beforeAll(async () => {
  [openai, ollama] = await Promise.all([startOpenAIServer(), startOllamaServer()]);
});
afterAll(() => Promise.all([openai.close(), ollama.close()]));
afterEach(() => {
  openai.reset();
  ollama.reset();
});

async function text(stream: AsyncIterable<{ content: unknown }>) {
  let out = '';
  for await (const chunk of stream) out += typeof chunk.content === 'string' ? chunk.content : '';
  return out;
}

describe('modelFromEnv', () => {
  it('defaults to the demo model and says so', async () => {
    const choice = await modelFromEnv({});
    expect(choice.adapter.name).toBe('demo');
    expect(choice.description).toMatch(/^demo model/);
    expect((await text(await choice.adapter.model.stream('hello'))).length).toBeGreaterThan(0);
  });

  it('picks OpenAI with the key and base URL from the environment', async () => {
    openai.enqueue({ text: 'hello from openai' });
    const env = {
      DREAMDECK_MODEL: 'openai:gpt-4o-mini',
      OPENAI_API_KEY: 'sk-env',
      OPENAI_BASE_URL: `${openai.url}/v1`,
    };
    const choice = await modelFromEnv(env);
    expect(choice.adapter.name).toBe('openai:gpt-4o-mini');
    expect(choice.description).toBe(`OpenAI model gpt-4o-mini at ${openai.url}/v1`);
    expect(await text(await choice.adapter.model.stream('hi'))).toBe('hello from openai');
    expect(openai.requests[0]?.headers.authorization).toBe('Bearer sk-env');
    expect(openai.requests[0]?.body.model).toBe('gpt-4o-mini');
  });

  it('picks Ollama at OLLAMA_BASE_URL, keeping tags in the model name', async () => {
    ollama.enqueue({ text: 'hello from ollama' });
    const choice = await modelFromEnv({ DREAMDECK_MODEL: 'ollama:qwen2.5:7b', OLLAMA_BASE_URL: ollama.url });
    expect(choice.adapter.name).toBe('ollama:qwen2.5:7b');
    expect(choice.description).toBe(`Ollama model qwen2.5:7b at ${ollama.url}`);
    expect(await text(await choice.adapter.model.stream('hi'))).toBe('hello from ollama');
    expect(ollama.requests[0]?.body.model).toBe('qwen2.5:7b');
  });

  it.each(['gpt-4o', 'openai:', 'anthropic:claude'])(
    'rejects DREAMDECK_MODEL=%s naming the accepted forms',
    async (value) => {
      const error = await modelFromEnv({ DREAMDECK_MODEL: value }).catch((caught: unknown) => caught);
      expect(DreamdeckError.isInstance(error) && error.code).toBe('CONFIG_INVALID');
      expect((error as Error).message).toMatch(/DREAMDECK_MODEL=.*demo \| openai:<model> \| ollama:<model>/);
    },
  );
});

describe('imagesFromEnv', () => {
  it('defaults to demo images', async () => {
    const choice = await imagesFromEnv({});
    expect(choice.description).toMatch(/^demo images/);
    const image = await choice.adapter?.generate({ prompt: 'a tower' });
    expect(image?.mimeType).toMatch(/^image\//);
  });

  it('picks OpenAI images', async () => {
    const env = { DREAMDECK_IMAGES: 'openai:gpt-image-1', OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: `${openai.url}/v1` };
    const choice = await imagesFromEnv(env);
    expect(choice.adapter?.name).toBe('openai:gpt-image-1');
    await choice.adapter?.generate({ prompt: 'a tower' });
    expect(openai.requests[0]?.path).toBe('/v1/images/generations');
  });

  it('picks Automatic1111 at the given URL, and none turns images off', async () => {
    const choice = await imagesFromEnv({ DREAMDECK_IMAGES: 'a1111:http://127.0.0.1:7860' });
    expect(choice.adapter?.name).toBe('a1111');
    expect(choice.description).toBe('Automatic1111 at http://127.0.0.1:7860');
    expect((await imagesFromEnv({ DREAMDECK_IMAGES: 'none' })).adapter).toBeUndefined();
  });

  it('rejects an unknown backend', async () => {
    await expect(imagesFromEnv({ DREAMDECK_IMAGES: 'midjourney:v6' })).rejects.toThrow(/DREAMDECK_IMAGES/);
  });
});
