/**
 * What a bare LangGraph run costs: an `entrypoint` with one `task` (the shape of a plain Dreamdeck
 * turn: narrate), and nothing of Dreamdeck's. The floor under what `http-load.ts` measures.
 *
 *   node --expose-gc servers/langgraph-floor.mjs [runs]   heap KB per pending run (a checkpointer,
 *                                                         the task awaiting forever)
 *   node servers/langgraph-floor.mjs cpu [runs]           CPU ms per finished run (no checkpointer,
 *                                                         as a turn that cannot pause runs, read
 *                                                         through the entrypoint's generator as a
 *                                                         turn reads it), one after another after
 *                                                         1,000 warm-up runs
 */
import { entrypoint, MemorySaver, task } from '@langchain/langgraph';

const cpu = process.argv[2] === 'cpu';
const runs = Number(process.argv[cpu ? 3 : 2] ?? (cpu ? 3000 : 1000));

if (cpu) {
  const narrate = task('narrate', async (input) => ({ messageId: `m${input.i}` }));
  const flow = entrypoint({ name: 'floor' }, (input) => narrate(input));
  // read as a turn reads it (`streamRun`): the generator that `stream()` wraps, when there is one
  const read = flow._streamIterator ? (input, config) => flow._streamIterator(input, config) : flow.stream.bind(flow);
  const once = async (i) => {
    for await (const _ of await read({ i }, { configurable: { thread_id: `t${i}` }, streamMode: 'updates' }));
  };
  for (let i = 0; i < 1000; i++) await once(i);
  const before = process.cpuUsage();
  for (let i = 0; i < runs; i++) await once(i);
  const used = process.cpuUsage(before);
  console.log(JSON.stringify({ cpuMsPerRun: (used.user + used.system) / 1000 / runs }));
} else {
  const never = new Promise(() => {});
  const narrate = task('narrate', async () => {
    await never;
  });
  const flow = entrypoint({ name: 'floor', checkpointer: new MemorySaver() }, () => narrate());
  globalThis.gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < runs; i++) {
    const config = { configurable: { thread_id: `t${i}` }, streamMode: 'updates', durability: 'exit' };
    void (async () => {
      for await (const _ of await flow.stream({ i }, config));
    })();
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));
  globalThis.gc();
  console.log(JSON.stringify({ kbPerRun: (process.memoryUsage().heapUsed - before) / runs / 1024 }));
}
process.exit(0);
