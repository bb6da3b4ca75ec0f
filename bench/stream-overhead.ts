/**
 * bench/stream-overhead: time from a loopback server writing a token to the wire until the engine
 * yields the `message-delta` that carries it, over 10,000 tokens, for the OpenAI (SSE) and Ollama
 * (NDJSON) adapters. Also measured: the same tokens read straight from `adapter.model.stream()`,
 * so the engine's share and the adapter's (LangChain, SDK, resilient fetch) share can be told apart.
 *
 * Server and client share one process (and clock: `performance.now()`); the server paces tokens
 * 1 ms apart, about 10–20× a fast real model, so the figures are latency rather than backlog.
 * Target: p99 ≤ 1 ms. Prints figures; asserts nothing.
 *
 * Run: `pnpm bench stream-overhead` (or `pnpm --filter @dreamdeck/bench bench stream-overhead`).
 */

import { createOllamaModel } from '@dreamdeck/adapters/ollama';
import { createOpenAIModel } from '@dreamdeck/adapters/openai';
import { createDreamdeck, type ModelAdapter } from '@dreamdeck/core';
import { type LoopbackServer, startOllamaServer, startOpenAIServer } from '../tests/servers/index.js';
import { percentile, printTable } from './stats.js';

const TOKENS = Number(process.env.STREAM_BENCH_TOKENS ?? 10_000);
const TOKEN_DELAY_MS = 1;

const tokens = Array.from({ length: TOKENS }, (_, index) => `t${index} `);
/** Character offset at which each token ends in the narration. */
const tokenEnds: number[] = [];
{
  let offset = 0;
  for (const token of tokens) {
    offset += token.length;
    tokenEnds.push(offset);
  }
}

/** Latencies (ms) from each token's write to the first yield whose cumulative text covers it. */
function latencies(writes: number[], yields: Array<{ length: number; at: number }>, trimLeading: string): number[] {
  const out: number[] = [];
  let cursor = 0;
  for (let index = 0; index < writes.length; index++) {
    const end = (tokenEnds[index] as number) - trimLeading.length;
    while (cursor < yields.length && (yields[cursor] as { length: number }).length < end) cursor++;
    const hit = yields[cursor];
    if (!hit) break;
    out.push(hit.at - (writes[index] as number));
  }
  return out;
}

function record(server: LoopbackServer): number[] {
  const writes: number[] = [];
  server.onToken = ({ at }) => writes.push(at);
  server.enqueue({ tokens, tokenDelayMs: TOKEN_DELAY_MS });
  return writes;
}

async function viaAdapter(server: LoopbackServer, adapter: ModelAdapter): Promise<number[]> {
  const writes = record(server);
  const yields: Array<{ length: number; at: number }> = [];
  let length = 0;
  for await (const chunk of await adapter.model.stream('Tell the tale.')) {
    const text = typeof chunk.content === 'string' ? chunk.content : '';
    if (!text) continue;
    length += text.length;
    yields.push({ length, at: performance.now() });
  }
  return latencies(writes, yields, '');
}

async function viaEngine(server: LoopbackServer, adapter: ModelAdapter): Promise<number[]> {
  const dd = await createDreamdeck({
    model: adapter,
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
    },
  });
  const session = await dd.openSession({ userId: 'bench' });
  const writes = record(server);
  const yields: Array<{ length: number; at: number }> = [];
  let length = 0;
  for await (const event of session.send('I tell the tale.')) {
    if (event.type !== 'message-delta') continue;
    length += event.text.length;
    yields.push({ length, at: performance.now() });
  }
  await dd.close();
  return latencies(writes, yields, '');
}

const rows: Array<Array<string | number>> = [];
const format = (ms: number) => ms.toFixed(3);
for (const [name, start, create] of [
  [
    'openai (SSE)',
    startOpenAIServer,
    (url: string) => createOpenAIModel({ model: 'gpt-4o-mini', apiKey: 'sk', baseURL: `${url}/v1` }),
  ],
  ['ollama (NDJSON)', startOllamaServer, (url: string) => createOllamaModel({ model: 'llama3.1', baseUrl: url })],
] as const) {
  const server = await start();
  const adapter = create(server.url);
  // warm up: JIT, connection pool
  server.enqueue({ text: 'warm up the wires' });
  for await (const _chunk of await adapter.model.stream('warm up')) {
    // drain
  }
  for (const [layer, run] of [
    ['adapter stream', viaAdapter],
    ['engine message-delta', viaEngine],
  ] as const) {
    const values = await run(server, adapter);
    rows.push([
      name,
      layer,
      values.length,
      format(percentile(values, 50)),
      format(percentile(values, 99)),
      format(Math.max(...values)),
    ]);
  }
  await server.close();
}

console.log(
  `\nstream overhead: token written by the loopback server → yielded (${TOKENS} tokens, ${TOKEN_DELAY_MS} ms apart)\n`,
);
printTable(['backend', 'measured at', 'tokens', 'p50 ms', 'p99 ms', 'max ms'], rows);
