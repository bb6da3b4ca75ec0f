import type { CheckpointUpkeep } from '@dreamdeck/core/adapter-kit';
import type { PostgresContext } from './postgres-runner.js';

/**
 * Pruning of the official `PostgresSaver` tables: keeps the newest `keep` checkpoints of each
 * namespace of a thread with their pending writes and the channel blobs they reference, in one transaction.
 */
export function createPostgresCheckpointUpkeep(
  { s, run, withTransaction }: PostgresContext,
  keep: number,
): CheckpointUpkeep {
  return {
    pruneCheckpoints: (threadId) =>
      run(() =>
        withTransaction(async (client) => {
          await client.query(
            `DELETE FROM ${s}.checkpoints c WHERE c.thread_id = $1 AND c.checkpoint_id NOT IN (
               SELECT latest.checkpoint_id FROM ${s}.checkpoints latest
               WHERE latest.thread_id = c.thread_id AND latest.checkpoint_ns = c.checkpoint_ns
               ORDER BY latest.checkpoint_id DESC LIMIT $2)`,
            [threadId, keep],
          );
          await client.query(
            `DELETE FROM ${s}.checkpoint_writes w WHERE w.thread_id = $1 AND NOT EXISTS (
               SELECT 1 FROM ${s}.checkpoints c WHERE c.thread_id = w.thread_id
                 AND c.checkpoint_ns = w.checkpoint_ns AND c.checkpoint_id = w.checkpoint_id)`,
            [threadId],
          );
          await client.query(
            `DELETE FROM ${s}.checkpoint_blobs b WHERE b.thread_id = $1 AND NOT EXISTS (
               SELECT 1 FROM ${s}.checkpoints c WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
                 AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)`,
            [threadId],
          );
        }),
      ),
  };
}
