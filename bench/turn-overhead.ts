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

async function timeTurn(session: StorySession, text: string): Promise<{ ms: number; chunks: number }> {
  const started = performance.now();
  let chunks = 0;
  for await (const event of session.send(text)) if (event.type === 'message-delta') chunks++;
  return { ms: performance.now() - started, chunks };
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
  override async *_streamResponseChunks(): AsyncGenerator<ChatGenerationChunk> {
    for (let i = 0; i < this.count; i++)
      yield new ChatGenerationChunk({ text: ' tok', message: new AIMessageChunk({ content: ' tok' }) });
  }
}

async function engineTurns() {
  const dd = await createDreamdeck({ model: createDemoModel({ latencyMs: 0 }), env: false, config });
  // Warm up (JIT, GC heuristics) so the figures compare thread lengths, not process age.
  for (let i = 0; i < 30; i++) {
    const warm = await dd.openSession({ userId: `warm${i}` });
    for (let turn = 0; turn < 40; turn++) await timeTurn(warm, ACTIONS[turn % ACTIONS.length]!);
  }
  // Turn 1: the first turn of 200 fresh threads.
  const first: number[] = [];
  for (let i = 0; i < 200; i++) {
    const session = await dd.openSession({ userId: `u${i}` });
    first.push((await timeTurn(session, ACTIONS[i % ACTIONS.length]!)).ms);
  }
  // Turns 51–150 and 951–1,050 of one long thread.
  const session = await dd.openSession({ userId: 'long' });
  const at100: number[] = [];
  const at1000: number[] = [];
  let chunks = 0;
  for (let turn = 1; turn <= 1050; turn++) {
    const { ms, chunks: c } = await timeTurn(session, ACTIONS[turn % ACTIONS.length]!);
    chunks = c;
    if (turn > 50 && turn <= 150) at100.push(ms);
    if (turn > 950) at1000.push(ms);
  }
  await dd.close();
  return { first, at100, at1000, chunks };
}

/** The same reply consumed straight from model.stream(), without the engine. */
async function rawModel(): Promise<number[]> {
  const model = createDemoModel({ latencyMs: 0 });
  const times: number[] = [];
  for (let i = 0; i < 600; i++) {
    const messages = [
      new SystemMessage('You are Storyteller GM, the game master.'),
      new HumanMessage(ACTIONS[i % ACTIONS.length]!),
    ];
    const started = performance.now();
    for await (const _ of await model.stream(messages)) {
      // consume
    }
    times.push(performance.now() - started);
  }
  return times.slice(300);
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
const raw = await rawModel();
const chunk = await perChunk();
const naive = await naiveTurns();
const rawMedian = percentile(raw, 50);

console.log('\n## bench/turn-overhead (demo model, latencyMs 0, memory storage)\n');
printTable(
  [
    'turn',
    'engine median ms',
    'engine p99 ms',
    'overhead median ms',
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
  ).map(([turn, times, naiveTimes]) => [
    turn,
    percentile(times, 50).toFixed(2),
    percentile(times, 99).toFixed(2),
    (percentile(times, 50) - rawMedian).toFixed(2),
    percentile(naiveTimes, 50).toFixed(2),
    percentile(naiveTimes, 99).toFixed(2),
    (percentile(naiveTimes, 50) / percentile(times, 50)).toFixed(2),
  ]),
);
console.log(
  `\nraw model.stream() of the same reply: median ${rawMedian.toFixed(2)} ms (${engine.chunks} chunks per reply)`,
);
console.log(
  `flatness: turn 1000 / turn 1 median = ${(percentile(engine.at1000, 50) / percentile(engine.first, 50)).toFixed(2)}x (target ≤ 1.3x)`,
);
console.log(
  `per streamed chunk: engine ${chunk.engine.toFixed(2)} µs vs raw stream ${chunk.raw.toFixed(2)} µs → overhead ${(chunk.engine - chunk.raw).toFixed(2)} µs (target ≤ 10 µs)`,
);
