import type { MemorySaver } from '@langchain/langgraph-checkpoint';
import type { CheckpointUpkeep } from '../domains/checkpoint-upkeep.js';

/** Pruning of LangGraph's `MemorySaver`: see {@link pruneMemorySaver}. */
export function createMemoryCheckpointUpkeep(saver: MemorySaver): CheckpointUpkeep {
  return {
    async pruneCheckpoints(threadId) {
      pruneMemorySaver(saver, threadId);
    },
  };
}

/** Keeps only the newest checkpoint (and its pending writes) of each namespace of a thread. */
export function pruneMemorySaver(saver: MemorySaver, threadId: string): void {
  const namespaces = saver.storage[threadId];
  if (!namespaces) return;
  for (const [namespace, checkpoints] of Object.entries(namespaces)) {
    const ids = Object.keys(checkpoints).sort();
    ids.pop();
    for (const id of ids) {
      delete checkpoints[id];
      // MemorySaver keys pending writes by [thread, namespace, checkpoint]: drop those of pruned checkpoints only.
      delete saver.writes[JSON.stringify([threadId, namespace, id])];
    }
  }
}
