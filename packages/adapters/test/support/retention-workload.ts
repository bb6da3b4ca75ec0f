import type { StorageAdapter } from '@dreamdeck/core';
import { Command, entrypoint, getPreviousState, interrupt, task } from '@langchain/langgraph';
import { expect } from 'vitest';

/**
 * Runs turns of a small functional-API workflow (three tasks, one interrupt every third turn) on
 * the adapter's checkpointer, pruning after every finished turn, and checks that resume and
 * `getPreviousState()` still work. Returns the stored checkpoint count after the last turn.
 */
export async function runPrunedTurns(
  storage: StorageAdapter,
  threadId: string,
  turns: number,
  countCheckpoints: () => Promise<number>,
) {
  const route = task('route', async (text: string) => (text.includes('choose') ? 'choice' : 'narrate'));
  const narrate = task('narrate', async (text: string) => `The GM answers: ${text}`);
  const remember = task('remember', async (turn: number) => turn);
  const workflow = entrypoint({ name: 'turn', checkpointer: storage.checkpointer }, async (text: string) => {
    const previous = getPreviousState<{ turn: number }>();
    const kind = await route(text);
    let reply = await narrate(text);
    if (kind === 'choice') {
      const picked = interrupt({ kind: 'choice', options: ['left', 'right'] }) as string;
      reply = `${reply} (you went ${picked})`;
    }
    const turn = await remember((previous?.turn ?? 0) + 1);
    return entrypoint.final({ value: `${reply} [turn ${turn}]`, save: { turn } });
  });
  const config = { configurable: { thread_id: threadId } };
  for (let turn = 1; turn <= turns; turn++) {
    const choose = turn % 3 === 0;
    const first = await workflow.invoke(choose ? `choose a door ${turn}` : `look around ${turn}`, config);
    if (choose) {
      // Stopped at the interrupt: prune now, as the engine does after each turn, then resume.
      expect(first).toMatchObject({ __interrupt__: expect.any(Array) });
      await storage.pruneCheckpoints?.(threadId);
      const resumed = await workflow.invoke(new Command({ resume: 'left' }), config);
      expect(resumed).toBe(`The GM answers: choose a door ${turn} (you went left) [turn ${turn}]`);
    } else {
      // `[turn n]` comes from getPreviousState(): the saved state survived pruning.
      expect(first).toBe(`The GM answers: look around ${turn} [turn ${turn}]`);
    }
    await storage.pruneCheckpoints?.(threadId);
  }
  return countCheckpoints();
}
