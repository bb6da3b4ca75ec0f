import type { CheckpointUpkeep } from '@dreamdeck/core/adapter-kit';
import type { SqliteContext } from './sqlite-runner.js';

/**
 * Pruning of the official `SqliteSaver` tables (`checkpoints`, `writes`): keeps the newest `keep`
 * checkpoints of each namespace of a thread, with their pending writes, in one transaction.
 */
export function createSqliteCheckpointUpkeep(
  { sql, run, withTransaction }: SqliteContext,
  keep: number,
): CheckpointUpkeep {
  return {
    pruneCheckpoints: (threadId) =>
      run(() => {
        withTransaction(() => {
          sql(
            `DELETE FROM checkpoints WHERE thread_id = @threadId AND checkpoint_id NOT IN (
               SELECT latest.checkpoint_id FROM checkpoints latest
               WHERE latest.thread_id = checkpoints.thread_id AND latest.checkpoint_ns = checkpoints.checkpoint_ns
               ORDER BY latest.checkpoint_id DESC LIMIT @keep)`,
          ).run({ threadId, keep });
          sql(
            `DELETE FROM writes WHERE thread_id = ? AND NOT EXISTS (
               SELECT 1 FROM checkpoints c WHERE c.thread_id = writes.thread_id
                 AND c.checkpoint_ns = writes.checkpoint_ns AND c.checkpoint_id = writes.checkpoint_id)`,
          ).run(threadId);
        });
      }),
  };
}
