/**
 * The memory a bare LangGraph run holds while its task waits: an `entrypoint` with one `task` (the
 * shape of a plain Dreamdeck turn: narrate), a checkpointer, the task awaiting forever. Prints heap
 * KB per pending run, the floor under every idle stream that `http-load.ts` measures. Run with
 * `node --expose-gc`.
 */
import { entrypoint, MemorySaver, task } from '@langchain/langgraph';

const runs = Number(process.argv[2] ?? 1000);
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
process.exit(0);
