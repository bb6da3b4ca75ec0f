import { InMemoryStore, MemorySaver } from '@langchain/langgraph-checkpoint';
import { createMemoryAudit } from './memory/audit.js';
import { createMemoryCheckpointUpkeep } from './memory/checkpoints.js';
import { createMemoryCounters } from './memory/counters.js';
import { createMemoryFeedback } from './memory/feedback.js';
import { createMemoryKeyValues } from './memory/key-values.js';
import { createMemoryKnowledge } from './memory/knowledge.js';
import { createMemoryRaw, type MemoryStorageRaw } from './memory/memory-raw.js';
import { createMemoryMessages } from './memory/messages.js';
import { createMemoryThreads } from './memory/threads.js';
import { createMemoryLeases } from './memory-leases.js';
import type { StorageAdapter } from './storage-adapter.js';

export type { MemoryStorageRaw } from './memory/memory-raw.js';

/**
 * The reference {@link StorageAdapter}: everything in process memory, lost on exit.
 * Good for tests, benchmarks and trying Dreamdeck out; use SQLite or PostgreSQL to keep stories.
 * Messages it returns are frozen (shared, not copied): spread them to change a field. Each domain
 * lives in its own module of `storage/memory/` over the same raw maps.
 */
export function createMemoryStorage(): StorageAdapter & {
  /** The maps behind the adapter, for tests and the conformance suite's `inspect`. */
  readonly raw: MemoryStorageRaw;
} {
  const raw = createMemoryRaw();
  const checkpointer = new MemorySaver();
  return {
    name: 'memory',
    capabilities: { knowledge: true, audit: true, encryption: false, multiProcess: false },
    checkpointer,
    store: new InMemoryStore(),
    raw,
    async init() {},
    async close() {},
    ...createMemoryThreads(raw),
    ...createMemoryMessages(raw),
    ...createMemoryFeedback(raw),
    ...createMemoryKeyValues(raw),
    ...createMemoryCounters(raw),
    ...createMemoryLeases(raw.leases),
    ...createMemoryKnowledge(raw),
    ...createMemoryAudit(raw),
    ...createMemoryCheckpointUpkeep(checkpointer),
  };
}
