/**
 * bench/memory-cost: what memory costs and buys over a 1,000-turn story on the demo model (zero
 * latency, memory storage). The player states 40 facts early (turns 5–473: names, a sister, the
 * relic they carry, debts, fears, a preference …) and asks about each at turns 901–998. Three
 * strategies side by side:
 *
 * - naive: the whole history in every prompt (counted from the stored story);
 * - window only: an engine with `memory: { summaryTokens: 0, extract: false, recallLimit: 0 }`;
 * - Dreamdeck: the defaults (rolling summary, extraction, recall).
 *
 * Prints prompt tokens at turns 1, 100, 500, 1,000; the share of each prompt's tokens equal to the
 * previous turn's prompt (the part a provider's prefix cache can serve); recall of the 40 facts in
 * the prompt of the turn that asks; and per-turn engine time at turns 1, 100, 1,000. Asserts nothing.
 */

import { createDreamdeck, DemoChatModel, type DreamdeckConfigInput, type StorySession } from '@dreamdeck/core';
import type { BaseMessage } from '@langchain/core/messages';
// the engine's own counter (cl100k_base, offline), so the figures match what the budgets count
import { loadTokenCounter } from '../packages/core/src/memory/token-count.js';
import { percentile, printTable } from './stats.js';

const count = await loadTokenCounter();

/** The demo model, recording every narration prompt it is sent. */
class RecordingDemo extends DemoChatModel {
  prompts: string[] = [];
  override reply(messages: BaseMessage[], options: Parameters<DemoChatModel['reply']>[1]) {
    if (!options.tools?.length) this.prompts.push(messages.map((m) => `${m.getType()}: ${m.content}`).join('\n'));
    return super.reply(messages, options);
  }
}

/** [what the player says, the question at turn 900+, the words the prompt must hold to answer it]. */
const RELATIONS = [
  ['sister', 'Lena'],
  ['brother', 'Tomas'],
  ['mother', 'Aldra'],
  ['father', 'Bram'],
  ['mentor', 'Oswin'],
  ['rival', 'Kestrel'],
  ['horse', 'Bramble'],
  ['dog', 'Pip'],
  ['friend', 'Jory'],
  ['daughter', 'Elna'],
  ['cousin', 'Fenn'],
  ['captain', 'Rusk'],
  ['hawk', 'Sable'],
  ['uncle', 'Garrick'],
  ['nephew', 'Wil'],
  ['wife', 'Isolde'],
  ['ship', 'Gull'],
  ['sword', 'Dawnthorn'],
  ['cat', 'Moth'],
  ['patron', 'Lady Sorrel'],
] as const;
const ITEMS = [
  'the relic of Saint Bell',
  'a brass astrolabe',
  'a silver dagger',
  'a map of the Ash Coast',
  'a vial of moonwater',
  'a cracked lantern',
  'a letter from the queen',
  'an iron key',
  'a coil of elven rope',
  'a wolf-tooth charm',
];
const FACTS: Array<[string, string, string]> = [
  ['My name is Mira Vell.', 'What is my name again?', 'Mira Vell'],
  ...RELATIONS.map(([who, name]): [string, string, string] => [
    `My ${who} is called ${name}.`,
    `What is my ${who} called?`,
    name,
  ]),
  ['I come from Saltford.', 'Where do I come from, which town?', 'Saltford'],
  ...ITEMS.map((item): [string, string, string] => [
    `I carry ${item}.`,
    `Am I still carrying ${item.replace(/^(a|an|the) /, 'the ')}?`,
    item.replace(/^(a|an|the) /, ''),
  ]),
  ['I owe the smuggler Varo 30 gold crowns.', 'How much do I owe Varo?', 'Varo 30 gold'],
  ['I owe the temple of Ys a favour.', 'What do I owe the temple of Ys?', 'temple of Ys a favour'],
  ['I owe the ferryman a song.', 'What do I owe the ferryman?', 'ferryman a song'],
  ['I fear the deep sea.', 'Does the sea scare me?', 'deep sea'],
  ['I fear fire.', 'Is fire something that scares me?', 'fears fire'],
  ['I fear the dark of the mines.', 'Will the mines frighten me?', 'dark of the mines'],
  ['I promised to return the bell to Ys.', 'What did I promise about the bell?', 'return the bell to Ys'],
  ['No gore, please.', 'How much gore should the story show?', 'no gore'],
];
if (FACTS.length !== 40) throw new Error(`expected 40 facts, got ${FACTS.length}`);

const ACTIONS = [
  'I push open the door',
  'I ask the innkeeper about the bell',
  'I search the cellar',
  'I sneak past the guard',
  'I walk on along the coast road',
];
const TURNS = 1000;
const statedAt = new Map(FACTS.map((fact, i) => [5 + i * 12, fact]));
const askedAt = new Map(FACTS.map((fact, i) => [901 + Math.floor(i * 2.5), fact]));
const textAt = (turn: number) => statedAt.get(turn)?.[0] ?? askedAt.get(turn)?.[1] ?? ACTIONS[turn % ACTIONS.length]!;

const base: DreamdeckConfigInput = {
  logging: { level: 'silent' },
  features: { imageGeneration: false },
  limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
};
const windowOnly: DreamdeckConfigInput['memory'] = { summaryTokens: 0, extract: false, recallLimit: 0 };

async function timeTurn(session: StorySession, text: string): Promise<number> {
  const started = performance.now();
  for await (const _ of session.send(text)) {
    // drain
  }
  return performance.now() - started;
}

/** An engine with `memory` config and a model that records its narration prompts. */
async function engine(memory: DreamdeckConfigInput['memory']) {
  const model = new RecordingDemo({ latencyMs: 0 });
  const dd = await createDreamdeck({ model, env: false, config: { ...base, memory } });
  return { model, dd, first: [] as number[], times: [] as number[] };
}

/**
 * Plays the story on both engines in lockstep (a turn on one, then the same turn on the other), so
 * a change in the machine's load during the run weighs on both alike; returns each one's prompts,
 * turn times and stored story.
 */
async function playBoth(engines: Array<Awaited<ReturnType<typeof engine>>>) {
  // warm up (JIT, GC heuristics) so the figures compare thread lengths, not process age
  for (let i = 0; i < 30; i++) {
    const warm = await Promise.all(engines.map((e) => e.dd.openSession({ userId: `warm${i}` })));
    for (let turn = 1; turn <= 40; turn++) for (const session of warm) await timeTurn(session, textAt(turn));
  }
  for (let i = 0; i < 200; i++) {
    for (const e of engines) e.first.push(await timeTurn(await e.dd.openSession({ userId: `u${i}` }), textAt(1)));
  }
  const sessions = await Promise.all(engines.map((e) => e.dd.openSession({ userId: 'player' })));
  for (const e of engines) e.model.prompts = [];
  for (let turn = 1; turn <= TURNS; turn++) {
    for (const [i, e] of engines.entries()) e.times.push(await timeTurn(sessions[i]!, textAt(turn)));
  }
  return Promise.all(
    engines.map(async (e, i) => {
      const session = sessions[i]!;
      const result = {
        prompts: e.model.prompts,
        first: e.first,
        times: e.times,
        history: await session.history(),
        summary: await session.summary(),
      };
      await e.dd.close();
      return result;
    }),
  );
}

/** Tokens of the longest common start of two prompts, over the tokens of `next`. */
function cachedShare(previous: string, next: string): number {
  let i = 0;
  while (i < previous.length && i < next.length && previous.charCodeAt(i) === next.charCodeAt(i)) i++;
  return count(next.slice(0, i)) / count(next);
}

const runs = await playBoth([await engine(windowOnly), await engine({})]);
const window = runs[0]!;
const dreamdeck = runs[1]!;

// naive: the persona and every message so far, as the whole-history pattern sends them
const persona = dreamdeck.prompts[0]!.split('\nhuman: ')[0]!;
const naiveTokens = (turn: number) => {
  const players = dreamdeck.history.filter((m) => m.role === 'user');
  const upTo = players[turn - 1]?.id;
  const end = dreamdeck.history.findIndex((m) => m.id === upTo);
  return count(persona) + dreamdeck.history.slice(0, end + 1).reduce((sum, m) => sum + count(m.content) + 4, 0);
};

const promptTokens = (prompts: string[], turn: number) => count(prompts[turn - 1] ?? '');
console.log('\n## bench/memory-cost (demo model, latencyMs 0, memory storage, default memory config)\n');
console.log('### prompt tokens\n');
printTable(
  ['turn', 'naive (whole history)', 'window only', 'Dreamdeck'],
  [1, 100, 500, 1000].map((turn) => [
    turn,
    naiveTokens(turn),
    promptTokens(window.prompts, turn),
    promptTokens(dreamdeck.prompts, turn),
  ]),
);
// the window grows from `memory.foldTo` of its budget to its budget between folds, so single turns
// sit anywhere on that saw-tooth: the means over a hundred turns compare like with like
const meanTokens = (prompts: string[], from: number, to: number) =>
  prompts.slice(from - 1, to).reduce((sum, p) => sum + count(p), 0) / (to - from + 1);
console.log(
  `\nmean prompt tokens, turns 51–150 / 901–1000: window only ${meanTokens(window.prompts, 51, 150).toFixed(0)} / ${meanTokens(window.prompts, 901, 1000).toFixed(0)}, Dreamdeck ${meanTokens(dreamdeck.prompts, 51, 150).toFixed(0)} / ${meanTokens(dreamdeck.prompts, 901, 1000).toFixed(0)} (${(meanTokens(dreamdeck.prompts, 901, 1000) / meanTokens(dreamdeck.prompts, 51, 150)).toFixed(2)}x)`,
);
const ratio = promptTokens(dreamdeck.prompts, 1000) / promptTokens(dreamdeck.prompts, 100);
const maxTokens = Math.max(...dreamdeck.prompts.map((p) => count(p)));
console.log(
  `\nDreamdeck turn 1000 / turn 100 = ${ratio.toFixed(2)}x (target ≤ 1.1x); largest prompt of the 1,000 turns ${maxTokens} tokens (window 3000 + summary 600 + recall 400 = 4000, persona ${count(persona)} on top)`,
);

// how far the saw-tooth swings: every prompt from turn 100 on, and each turn t+900 against turn t
// for t = 51..100 (the window is full by then)
const steady = dreamdeck.prompts.slice(99).map((p) => count(p));
const firsts = Array.from({ length: 50 }, (_, i) => 51 + i);
const withinPairs = firsts.filter(
  (t) => promptTokens(dreamdeck.prompts, t + 900) <= 1.1 * promptTokens(dreamdeck.prompts, t),
).length;
console.log(
  `Dreamdeck prompts from turn 100 on: ${Math.min(...steady)}–${Math.max(...steady)} tokens (${(Math.max(...steady) / Math.min(...steady)).toFixed(2)}x); turn t+900 ≤ 1.1x turn t for ${withinPairs} of the 50 turns t = 51..100`,
);

// the cacheable share, on plain narration turns (no fact stated or asked; the Dreamdeck run also marks fold turns)
const shares = (prompts: string[]) =>
  prompts.slice(1).map((prompt, i) => ({ turn: i + 2, share: cachedShare(prompts[i]!, prompt) }));
const plain = (turn: number) => !statedAt.has(turn) && !askedAt.has(turn) && !statedAt.has(turn - 1);
console.log('\n### share of each prompt equal to the previous prompt (prefix-cacheable), plain narration turns\n');
printTable(
  ['strategy', 'median', 'mean', 'p10', 'turns ≥ 70 %'],
  (
    [
      ['window only', shares(window.prompts)],
      ['Dreamdeck', shares(dreamdeck.prompts)],
    ] as const
  ).map(([name, all]) => {
    const values = all.filter((entry) => plain(entry.turn)).map((entry) => entry.share);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    return [
      name,
      `${(percentile(values, 50) * 100).toFixed(1)} %`,
      `${(mean * 100).toFixed(1)} %`,
      `${(percentile(values, 10) * 100).toFixed(1)} %`,
      `${((values.filter((v) => v >= 0.7).length / values.length) * 100).toFixed(1)} %`,
    ];
  }),
);
console.log('naive (whole history): every prompt starts with the previous one: ~100 % until the context overflows');

// recall: does the prompt of the turn that asks hold the words that answer it?
const recalled = (prompts: string[]) =>
  [...askedAt.entries()].filter(([turn, [, , key]]) => prompts[turn - 1]?.includes(key)).length;
const naiveRecall = [...askedAt.values()].filter(([said]) => dreamdeck.history.some((m) => m.content === said)).length;
console.log('\n### recall of the 40 facts when the player asks (turns 901–998)\n');
printTable(
  ['naive (whole history)', 'window only', 'Dreamdeck (target ≥ 38)'],
  [[`${naiveRecall}/40`, `${recalled(window.prompts)}/40`, `${recalled(dreamdeck.prompts)}/40`]],
);
const missed = [...askedAt.entries()].filter(([turn, [, , key]]) => !dreamdeck.prompts[turn - 1]?.includes(key));
if (missed.length) console.log(`Dreamdeck missed: ${missed.map(([, [, question]]) => question).join(' | ')}`);

console.log('\n### per-turn engine time (ms, median / p99)\n');
const at = (times: number[], from: number, to: number) => times.slice(from - 1, to);
printTable(
  ['turn', 'window only', 'Dreamdeck', 'Dreamdeck / window only'],
  (
    [
      ['1 (200 fresh threads)', window.first, dreamdeck.first],
      ['100 (turns 51–150)', at(window.times, 51, 150), at(dreamdeck.times, 51, 150)],
      ['1000 (turns 901–1000)', at(window.times, 901, 1000), at(dreamdeck.times, 901, 1000)],
    ] as const
  ).map(([turn, plainTimes, memoryTimes]) => [
    turn,
    `${percentile([...plainTimes], 50).toFixed(2)} / ${percentile([...plainTimes], 99).toFixed(2)}`,
    `${percentile([...memoryTimes], 50).toFixed(2)} / ${percentile([...memoryTimes], 99).toFixed(2)}`,
    (percentile([...memoryTimes], 50) / percentile([...plainTimes], 50)).toFixed(2),
  ]),
);
console.log(
  `\nsummary at turn 1000: ${dreamdeck.summary ? count(dreamdeck.summary.text) : 0} tokens (memory.summaryTokens 600)`,
);
