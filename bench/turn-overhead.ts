/**
 * bench/turn-overhead: what the Dreamdeck engine costs per turn beyond the model's own stream.
 *
 * - per-turn time at turn 1, 100 and 1,000 (median, p99) with the zero-latency demo model on memory storage;
 * - the engine's overhead beyond consuming the same reply straight from `model.stream()`;
 * - the overhead per streamed chunk (slope between a short and a long reply);
 * - the naive LangGraph pattern (whole message list in `getPreviousState()`, MemorySaver) at the same turns.
 * Prints figures; asserts nothing.
 */

import { createDemoModel, createDreamdeck, type StorySession } from '@dreamdeck/core';
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';
import { entrypoint, getPreviousState, MemorySaver, task } from '@langchain/langgraph';
import { percentile, printTable } from './stats.js';

const ACTIONS = [
  'I push open the door',
  'I ask the innkeeper about the bell',
  'I search the cellar',
  'I sneak past the guard',
  'I attack the shadow',
];
const config = {
  logging: { level: 'silent' as const },
  features: { imageGeneration: false },
  limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
};

/**
 * The demo model the engine uses, recording what narration asked it, and a twin that replays
 * exactly that request straight through `model.stream()`: the same reply without the engine.
 */
const engineModel = createDemoModel({ latencyMs: 0 });
const rawTwin = createDemoModel({ latencyMs: 0 });
let lastRequest: Parameters<typeof engineModel.stream>[0] | undefined;
// narration reads the model's `_streamResponseChunks` (through `invoke` when a callback observes the
// call; straight when none does, as in a turn): record what it asked
const streamOriginal = engineModel._streamResponseChunks.bind(engineModel);
engineModel._streamResponseChunks = ((messages, options, runManager) => {
  lastRequest = messages;
  return streamOriginal(messages, options, runManager);
}) as typeof engineModel._streamResponseChunks;

/** Times one turn, then the same reply streamed raw; returns both. */
async function timeTurn(session: StorySession, text: string): Promise<{ ms: number; rawMs: number; chunks: number }> {
  const started = performance.now();
  let chunks = 0;
  for await (const event of session.send(text)) if (event.type === 'message-delta') chunks++;
  const ms = performance.now() - started;
  const rawStarted = performance.now();
  for await (const _ of await rawTwin.stream(lastRequest!)) {
    // consume
  }
  return { ms, rawMs: performance.now() - rawStarted, chunks };
}

/** A model that streams `count` prebuilt chunks with no delay. */
class ChunkModel extends BaseChatModel {
  constructor(private readonly count: number) {
    super({});
  }
  _llmType() {
    return 'bench-chunks';
  }
  async _generate(): Promise<ChatResult> {
    return { generations: [{ text: 'x', message: new AIMessage('x') }] };
  }
  override async *_streamResponseChunks(
    _messages: BaseMessage[],
    _options: this['ParsedCallOptions'],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    for (let i = 0; i < this.count; i++) {
      const chunk = new ChatGenerationChunk({ text: ' tok', message: new AIMessageChunk({ content: ' tok' }) });
      await runManager?.handleLLMNewToken(' tok', undefined, undefined, undefined, undefined, { chunk });
      yield chunk;
    }
  }
}

type Sample = { ms: number; rawMs: number; chunks: number };

async function engineTurns() {
  const dd = await createDreamdeck({ model: engineModel, env: false, config });
  // Warm up (JIT, GC heuristics) so the figures compare thread lengths, not process age.
  for (let i = 0; i < 30; i++) {
    const warm = await dd.openSession({ userId: `warm${i}` });
    for (let turn = 0; turn < 40; turn++) await timeTurn(warm, ACTIONS[turn % ACTIONS.length]!);
  }
  // Turn 1: the first turn of 200 fresh threads.
  const first: Sample[] = [];
  for (let i = 0; i < 200; i++) {
    const session = await dd.openSession({ userId: `u${i}` });
    first.push(await timeTurn(session, ACTIONS[i % ACTIONS.length]!));
  }
  // Turns 51–150 and 951–1,050 of one long thread.
  const session = await dd.openSession({ userId: 'long' });
  const at100: Sample[] = [];
  const at1000: Sample[] = [];
  let chunks = 0;
  for (let turn = 1; turn <= 1050; turn++) {
    const sample = await timeTurn(session, ACTIONS[turn % ACTIONS.length]!);
    chunks = sample.chunks;
    if (turn > 50 && turn <= 150) at100.push(sample);
    if (turn > 950) at1000.push(sample);
  }
  await dd.close();
  return { first, at100, at1000, chunks };
}

async function perChunk(): Promise<{ engine: number; raw: number }> {
  const measure = async (count: number) => {
    const dd = await createDreamdeck({ model: new ChunkModel(count), env: false, config });
    const engine: number[] = [];
    const raw: number[] = [];
    const model = new ChunkModel(count);
    for (let i = 0; i < 30; i++) {
      const session = await dd.openSession({ userId: `c${i}` });
      engine.push((await timeTurn(session, 'I wait')).ms);
      const started = performance.now();
      for await (const _ of await model.stream([new HumanMessage('I wait')])) {
        // consume
      }
      raw.push(performance.now() - started);
    }
    await dd.close();
    return { engine: percentile(engine, 50), raw: percentile(raw, 50) };
  };
  const short = await measure(10);
  const long = await measure(5000);
  return {
    engine: ((long.engine - short.engine) / 4990) * 1000,
    raw: ((long.raw - short.raw) / 4990) * 1000,
  };
}

/** The naive pattern: every message kept in the checkpoint via getPreviousState(). */
async function naiveTurns() {
  const model = createDemoModel({ latencyMs: 0 });
  const route = task('route', async (text: string) => (text.startsWith('/') ? 'command' : 'narrate'));
  const narrate = task('narrate', async (messages: BaseMessage[]) => {
    let text = '';
    for await (const chunk of await model.stream(messages)) text += String(chunk.content);
    return text;
  });
  const store = task('store', async (count: number) => count);
  const workflow = entrypoint({ name: 'naive', checkpointer: new MemorySaver() }, async (text: string) => {
    const previous = (getPreviousState<BaseMessage[]>() ?? []) as BaseMessage[];
    await route(text);
    const messages = [...previous, new HumanMessage(text)];
    const reply = await narrate([
      new SystemMessage('You are Storyteller GM, the game master.'),
      ...messages.slice(-40),
    ]);
    const all = [...messages, new AIMessage(reply)];
    await store(all.length);
    return entrypoint.final({ value: reply, save: all });
  });
  for (let i = 0; i < 400; i++) {
    await workflow.invoke(ACTIONS[i % ACTIONS.length]!, { configurable: { thread_id: `warm-${i % 10}` } });
  }
  const times: number[] = [];
  for (let turn = 1; turn <= 1050; turn++) {
    const started = performance.now();
    await workflow.invoke(ACTIONS[turn % ACTIONS.length]!, { configurable: { thread_id: 'naive' } });
    times.push(performance.now() - started);
  }
  const first: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    await workflow.invoke(ACTIONS[i % ACTIONS.length]!, { configurable: { thread_id: `naive-${i}` } });
    first.push(performance.now() - started);
  }
  return { first, at100: times.slice(50, 150), at1000: times.slice(950) };
}

const engine = await engineTurns();
const chunk = await perChunk();
const naive = await naiveTurns();
const ms = (samples: Sample[]) => samples.map((sample) => sample.ms);
const overhead = (samples: Sample[]) => samples.map((sample) => sample.ms - sample.rawMs);

console.log('\n## bench/turn-overhead (demo model, latencyMs 0, memory storage)\n');
printTable(
  [
    'turn',
    'engine median ms',
    'engine p99 ms',
    'raw stream median ms',
    'overhead median ms',
    'overhead p99 ms',
    'naive median ms',
    'naive p99 ms',
    'naive / engine',
  ],
  (
    [
      ['1', engine.first, naive.first],
      ['100', engine.at100, naive.at100],
      ['1000', engine.at1000, naive.at1000],
    ] as const
  ).map(([turn, samples, naiveTimes]) => [
    turn,
    percentile(ms(samples), 50).toFixed(2),
    percentile(ms(samples), 99).toFixed(2),
    percentile(
      samples.map((sample) => sample.rawMs),
      50,
    ).toFixed(2),
    percentile(overhead(samples), 50).toFixed(2),
    percentile(overhead(samples), 99).toFixed(2),
    percentile(naiveTimes, 50).toFixed(2),
    percentile(naiveTimes, 99).toFixed(2),
    (percentile(naiveTimes, 50) / percentile(ms(samples), 50)).toFixed(2),
  ]),
);
console.log(
  `\noverhead = each turn's time minus the same request streamed straight from model.stream() (${engine.chunks} chunks per reply); target ≤ 2 ms median`,
);
console.log(
  `flatness: turn 1000 / turn 1 median = ${(percentile(ms(engine.at1000), 50) / percentile(ms(engine.first), 50)).toFixed(2)}x (target ≤ 1.3x)`,
);
console.log(
  `per streamed chunk: engine ${chunk.engine.toFixed(2)} µs vs raw stream ${chunk.raw.toFixed(2)} µs → overhead ${(chunk.engine - chunk.raw).toFixed(2)} µs (target ≤ 10 µs)`,
);
