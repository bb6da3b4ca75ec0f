/**
 * Whole story turns through the engine on each model adapter: the demo model, OpenAI and Ollama
 * (both against loopback servers speaking the real wire protocols), including a model that keeps
 * failing until the adapter's last retry.
 */
import { createOllamaModel } from '@dreamdeck/adapters/ollama';
import { createOpenAIModel } from '@dreamdeck/adapters/openai';
import { createDemoModel, createDreamdeck, type ModelAdapter, type TurnEvent } from '@dreamdeck/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoopbackServer, startOllamaServer, startOpenAIServer } from './servers/index.js';

const fast = { baseDelayMs: 1, maxDelayMs: 4 };

async function collect(turn: AsyncIterable<TurnEvent>): Promise<TurnEvent[]> {
  const events: TurnEvent[] = [];
  for await (const event of turn) events.push(event);
  return events;
}

interface Case {
  name: string;
  start(): Promise<LoopbackServer | undefined>;
  create(server: LoopbackServer | undefined): ModelAdapter | ReturnType<typeof createDemoModel>;
}

const cases: Case[] = [
  { name: 'demo', start: async () => undefined, create: () => createDemoModel({ latencyMs: 0 }) },
  {
    name: 'openai',
    start: startOpenAIServer,
    create: (server) =>
      createOpenAIModel({
        model: 'gpt-4o-mini',
        apiKey: 'sk-test',
        baseURL: `${server!.url}/v1`,
        maxRetries: 2,
        retry: fast,
      }),
  },
  {
    name: 'ollama',
    start: startOllamaServer,
    create: (server) => createOllamaModel({ model: 'llama3.1', baseUrl: server!.url, maxRetries: 2, retry: fast }),
  },
];

describe.each(cases)('story turns on $name', ({ start, create, name }) => {
  let server: LoopbackServer | undefined;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(() => server?.close());

  async function open(imageGeneration = false) {
    const dd = await createDreamdeck({
      model: create(server),
      env: false,
      config: { features: { imageGeneration }, logging: { level: 'silent' } },
    });
    return { dd, session: await dd.openSession({ userId: `player-${name}` }) };
  }

  it('streams narration deltas and completes the turn', async () => {
    server?.enqueue({ text: 'The hinges shriek. Beyond the door, a stair spirals into the dark.' });
    const { dd, session } = await open();
    const turn = session.send('I kick the door open.');
    const events = await collect(turn);
    const deltas = events.filter((event) => event.type === 'message-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', status: 'complete' });
    expect((await turn.result).status).toBe('complete');
    if (server) {
      const narration = deltas.map((event) => (event.type === 'message-delta' ? event.text : '')).join('');
      expect(narration).toContain('Beyond the door, a stair spirals into the dark.');
    }
    await dd.close();
  });

  it("drives the storyboard from the model's structured output", async () => {
    server?.enqueue({ text: 'A stair spirals down.' }, { json: { prompts: ['a spiral stair in torchlight'] } });
    const { dd, session } = await open(true);
    const events = await collect(session.send('I walk down the stairs.'));
    const interrupt = events.find((event) => event.type === 'interrupt');
    expect(interrupt).toMatchObject({ type: 'interrupt', kind: 'approve-storyboard' });
    if (server && interrupt?.type === 'interrupt') {
      expect(interrupt.options).toEqual(['a spiral stair in torchlight']);
      const structured = server.requests.at(-1)?.body;
      // the storyboard call asked for JSON: OpenAI's response_format, Ollama's format
      expect(structured.response_format?.type ?? (structured.format ? 'format' : undefined)).toMatch(
        /json_schema|format/,
      );
    }
    expect(events.at(-1)).toMatchObject({ type: 'turn-end', status: 'interrupted' });
    await dd.close();
  });

  it.skipIf(name === 'demo')(
    'ends a turn with an error event after the last retry, keeps the player message, and recovers',
    async () => {
      server!.reset();
      server!.defaults = { status: 503, error: 'overloaded' };
      const { dd, session } = await open();
      const failed = await collect(session.send('I light the torch.'));
      const error = failed.find((event) => event.type === 'error');
      expect(error).toMatchObject({ type: 'error', code: 'MODEL_UNAVAILABLE', retryable: true });
      expect(failed.at(-1)).toMatchObject({ type: 'turn-end', status: 'error' });
      // every model call was tried 1 + maxRetries times
      expect(server!.requests.length % 3).toBe(0);
      expect(server!.requests.length).toBeGreaterThanOrEqual(3);

      const history = await session.history();
      expect(history.some((message) => message.role === 'user' && message.content.includes('I light the torch.'))).toBe(
        true,
      );

      server!.defaults = {};
      server!.enqueue({ text: 'The torch catches, and shadows leap up the walls.' });
      const next = await collect(session.send('I try again.'));
      expect(next.at(-1)).toMatchObject({ type: 'turn-end', status: 'complete' });
      const after = await session.history();
      expect(after.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
        'I light the torch.',
        'I try again.',
      ]);
      await dd.close();
    },
  );
});
