import type { StorageAdapter } from '@dreamdeck/core';
import { deltaChannelHistoryTests, specTest } from '@langchain/langgraph-checkpoint-validation';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

/** A LangGraph checkpointer (`BaseCheckpointSaver`), as a storage adapter returns it. */
export type Checkpointer = StorageAdapter['checkpointer'];

// The suite is written for Vitest's (Jest-style) globals; this repo's config does not turn them
// on, so hand the suite the very functions this file imports.
Object.assign(globalThis, { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it });

/** One checkpointer under test: how to make a fresh (empty) one and how to dispose of it. */
export interface ValidatedCheckpointer<T extends Checkpointer> {
  /** Shown in the test names: which Dreamdeck adapter, and how it is configured. */
  label: string;
  /**
   * The name the suite keys its known skips on. Pass the upstream saver's own name
   * (`MemorySaver`, `@langchain/langgraph-checkpoint-sqlite`, `@langchain/langgraph-checkpoint-postgres`)
   * so exactly that saver's documented skips apply, and no other.
   */
  upstreamName: string;
  /** Once, before the first checkpointer (start or clear shared infrastructure). */
  beforeAll?: () => Promise<void>;
  /** Once, after the last checkpointer. */
  afterAll?: () => Promise<void>;
  /** A new checkpointer whose storage holds nothing yet. */
  create: () => Promise<T>;
  /** Frees what `create` opened and forgets what the suite wrote. */
  destroy?: (checkpointer: T) => Promise<void>;
}

/**
 * Runs LangGraph's public checkpointer validation suite (`@langchain/langgraph-checkpoint-validation`:
 * `put`, `putWrites`, `getTuple`, `list` with every filter/limit/before/namespace combination,
 * `deleteThread`) plus its opt-in `getDeltaChannelHistory` tests against a checkpointer a
 * Dreamdeck storage adapter returns.
 */
export function validateCheckpointer<T extends Checkpointer>(target: ValidatedCheckpointer<T>): void {
  describe(target.label, () => {
    const initializer = {
      checkpointerName: target.upstreamName,
      beforeAll: target.beforeAll,
      beforeAllTimeout: 60_000,
      afterAll: target.afterAll,
      createCheckpointer: target.create,
      destroyCheckpointer: target.destroy,
    };
    specTest(initializer);
    deltaChannelHistoryTests(initializer);
  });
}
