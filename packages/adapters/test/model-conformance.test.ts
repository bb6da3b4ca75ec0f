import { createOllamaModel } from '@dreamdeck/adapters/ollama';
import { createOpenAIModel } from '@dreamdeck/adapters/openai';
import { createDemoModel } from '@dreamdeck/core';
import { describeModelAdapter } from '@dreamdeck/core/testing';
import { type LoopbackServer, startOllamaServer, startOpenAIServer } from '../../../tests/servers/index.js';

const slowReply = { text: Array.from({ length: 40 }, (_, index) => `word${index}`).join(' '), tokenDelayMs: 25 };

describeModelAdapter({
  name: 'demo',
  create: () => createDemoModel({ latencyMs: 5 }),
});

let openai: LoopbackServer;
describeModelAdapter({
  name: 'openai (loopback)',
  setup: async () => {
    openai = await startOpenAIServer();
  },
  teardown: () => openai.close(),
  create: () => createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-test', baseURL: `${openai.url}/v1` }),
  prepareSlowReply: () => openai.enqueue(slowReply),
  upstreamClosed: () => openai.waitForClientClose(openai.requests.length - 1),
  createFailing: () => {
    openai.enqueue({ status: 401, error: 'Incorrect API key provided' });
    return createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk-wrong', baseURL: `${openai.url}/v1` });
  },
});

let ollama: LoopbackServer;
describeModelAdapter({
  name: 'ollama (loopback)',
  setup: async () => {
    ollama = await startOllamaServer();
  },
  teardown: () => ollama.close(),
  create: () => createOllamaModel({ model: 'llama3.1', baseUrl: ollama.url }),
  prepareSlowReply: () => ollama.enqueue(slowReply),
  upstreamClosed: () => ollama.waitForClientClose(ollama.requests.length - 1),
  createFailing: async () => {
    const closed = await startOllamaServer();
    await closed.close();
    return createOllamaModel({ model: 'llama3.1', baseUrl: closed.url, maxRetries: 0 });
  },
});
