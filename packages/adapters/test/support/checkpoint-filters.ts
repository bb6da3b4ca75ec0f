import type { RunnableConfig } from '@langchain/core/runnables';
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { type BaseCheckpointSaver, emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { expect } from 'vitest';

/** Text that must never reach the database as it is (it only lives in encrypted metadata). */
export const SECRET = 'PLAINTEXT-metadata';

/**
 * Puts three checkpoints on a new thread, with metadata holding LangGraph's routing fields and a
 * key of the application's (`player`), then asserts what `list({ filter })` answers for filters on
 * the routing fields, on the application's key, on both, with a limit. Returns the thread id.
 */
export async function assertListFilters(checkpointer: BaseCheckpointSaver): Promise<string> {
  const thread_id = `filters-${uuid6(-1)}`;
  let config: RunnableConfig = { configurable: { thread_id, checkpoint_ns: '' } };
  const ids: string[] = [];
  const players = [`${SECRET}-villain`, `${SECRET}-hero`, `${SECRET}-villain`];
  for (const [step, player] of players.entries()) {
    const checkpoint = { ...emptyCheckpoint(), id: uuid6(step) };
    const metadata = { source: step === 0 ? 'input' : 'loop', step, parents: {}, player } as const;
    config = await checkpointer.put(config, checkpoint, metadata, {});
    ids.push(checkpoint.id);
  }
  const list = async (filter: Record<string, unknown>, limit?: number) => {
    const found: string[] = [];
    for await (const tuple of checkpointer.list({ configurable: { thread_id } }, { filter, limit })) {
      found.push(tuple.checkpoint.id);
    }
    return found;
  };
  const [first, second, third] = ids;
  expect(await list({ source: 'loop' })).toEqual([third, second]);
  expect(await list({ step: 0 })).toEqual([first]);
  expect(await list({ parents: {} })).toEqual([third, second, first]);
  expect(await list({ player: `${SECRET}-villain` })).toEqual([third, first]);
  expect(await list({ player: `${SECRET}-villain` }, 1)).toEqual([third]);
  expect(await list({ source: 'loop', player: `${SECRET}-hero` })).toEqual([second]);
  expect(await list({ source: 'input', player: `${SECRET}-hero` })).toEqual([]);
  expect(await list({ player: 'nobody' })).toEqual([]);
  const latest = await checkpointer.getTuple({ configurable: { thread_id, checkpoint_ns: '' } });
  expect(latest?.metadata).toEqual({ source: 'loop', step: 2, parents: {}, player: `${SECRET}-villain` });
  return thread_id;
}

/**
 * Runs a one-node LangGraph graph twice on `checkpointer` and asserts that
 * `getStateHistory({ filter })` answers as LangGraph documents it, by the metadata LangGraph
 * writes (`source`, `step`, `parents`). Returns the thread id.
 */
export async function assertStateHistoryFilters(checkpointer: BaseCheckpointSaver): Promise<string> {
  const State = Annotation.Root({ text: Annotation<string> });
  const graph = new StateGraph(State)
    .addNode('echo', (state: typeof State.State) => ({ text: `${state.text}!` }))
    .addEdge(START, 'echo')
    .addEdge('echo', END)
    .compile({ checkpointer });
  const thread_id = `history-${uuid6(-1)}`;
  const config = { configurable: { thread_id } };
  await graph.invoke({ text: `${SECRET}-first` }, config);
  await graph.invoke({ text: `${SECRET}-second` }, config);

  const steps = async (filter: Record<string, unknown>) => {
    const found: unknown[] = [];
    for await (const state of graph.getStateHistory(config, { filter })) found.push(state.metadata?.step);
    return found;
  };
  // each run: the input checkpoint, then one per superstep (the echo node, then the end)
  expect(await steps({})).toEqual([4, 3, 2, 1, 0, -1]);
  expect(await steps({ source: 'input' })).toEqual([2, -1]);
  expect(await steps({ source: 'loop' })).toEqual([4, 3, 1, 0]);
  expect(await steps({ step: 3 })).toEqual([3]);
  expect(await steps({ source: 'loop', step: 4 })).toEqual([4]);
  expect(await steps({ parents: {} })).toEqual([4, 3, 2, 1, 0, -1]);
  expect(await steps({ source: 'update' })).toEqual([]);
  expect((await graph.getState(config)).values).toEqual({ text: `${SECRET}-second!` });
  return thread_id;
}
