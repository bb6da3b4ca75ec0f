import type { NarrationResult } from './tasks/narrate.js';
import type { TurnInput } from './turn-context.js';
import type { TurnKit } from './turn-tasks.js';

/**
 * Memory upkeep after a narration, inside the turn (its tasks are checkpointed like the others):
 * the `summarize` task when the window outgrew its budget, the `remember` task when there are
 * facts to read (see `planUpkeep`). The reply has streamed by then; neither task fails the turn.
 * A step of the turn body, not a task: it only decides which tasks to call, from the narration's
 * own (replayed) result, so a resumed turn calls the same ones.
 */
export async function memoryUpkeep(kit: TurnKit, input: TurnInput, narration: NarrationResult): Promise<void> {
  const upkeep = narration.upkeep;
  if (!upkeep) return;
  const base = { threadId: input.threadId, turnId: input.turnId };
  if (upkeep.summarize) await kit.tasks.summarize(base);
  if (upkeep.extract) await kit.tasks.remember({ ...base, userId: input.userId });
}
