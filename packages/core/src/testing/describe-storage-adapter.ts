import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import { CAPABILITY_METHODS, REQUIRED_STORAGE_METHODS } from '../storage/storage-adapter.js';
import { describeFeedback } from './storage/feedback.js';
import { describeKeyValues } from './storage/key-values.js';
import { describeAudit, describeKnowledge } from './storage/knowledge-and-audit.js';
import { describeKnowledgeDocuments } from './storage/knowledge-documents.js';
import { describeLangGraph } from './storage/langgraph.js';
import { describeLeases } from './storage/leases.js';
import { describeMessages } from './storage/messages.js';
import { describeNotifications, describeTurnEvents } from './storage/notifications-and-turn-events.js';
import { describeRateLimits } from './storage/rate-limits.js';
import type {
  DescribeStorageAdapterOptions,
  StorageInspector,
  StorageSuiteContext,
} from './storage/storage-inspector.js';
import { describeStoryControls } from './storage/story-controls.js';
import { describeUsersAndThreads } from './storage/users-and-threads.js';

/**
 * The storage conformance suite: every {@link StorageAdapter} must pass it. It writes through the
 * adapter and checks what landed through `inspect` (raw reads of the backend), so a round trip
 * that stores nothing fails. Call it at the top level of a vitest test file.
 *
 * One adapter is created for the whole suite (`create`, then `init()`); every case uses fresh
 * random ids, so the backend may already hold data. Cases for optional capabilities run only when
 * the adapter declares them.
 *
 * @example
 * ```ts
 * import { describeStorageAdapter } from '@dreamdeck/core/testing';
 * describeStorageAdapter({
 *   name: 'sqlite',
 *   create: () => createSqliteStorage({ path: file }),
 *   inspect: (adapter) => sqliteInspector(adapter),
 * });
 * ```
 */
export function describeStorageAdapter<A extends StorageAdapter>(options: DescribeStorageAdapterOptions<A>): void {
  describe(`storage adapter conformance: ${options.name}`, () => {
    let adapter: A | undefined;
    let inspector: StorageInspector | undefined;
    const context = (): StorageSuiteContext => {
      if (!adapter || !inspector) throw new Error(`[dreamdeck] [testing] ${options.name}: create() did not run`);
      const spawn = options.spawnLeaseHolder;
      const target = adapter;
      return spawn
        ? { adapter, inspect: inspector, spawnLeaseHolder: (lease) => spawn(target, lease) }
        : { adapter, inspect: inspector };
    };

    beforeAll(async () => {
      adapter = await options.create();
      await adapter.init();
      await adapter.init();
      inspector = options.inspect(adapter);
    });
    afterAll(async () => {
      if (!adapter) return;
      await adapter.close();
      await options.destroy?.(adapter);
    });

    describe('contract', () => {
      it('has every required method and the methods of each declared capability', () => {
        const { adapter: target } = context();
        expect(typeof target.name).toBe('string');
        expect(target.checkpointer).toBeDefined();
        expect(target.store).toBeDefined();
        const missing: string[] = REQUIRED_STORAGE_METHODS.filter((method) => typeof target[method] !== 'function');
        for (const [capability, methods] of Object.entries(CAPABILITY_METHODS)) {
          if (!target.capabilities[capability as keyof typeof CAPABILITY_METHODS]) continue;
          missing.push(...methods.filter((method) => typeof target[method] !== 'function'));
        }
        expect(missing).toEqual([]);
      });
    });

    describeUsersAndThreads(context);
    describeMessages(context);
    describeStoryControls(context);
    describeFeedback(context);
    describeKeyValues(context);
    describeRateLimits(context, options.concurrency);
    describeLeases(context);
    describeLangGraph(context);
    describeKnowledge(context);
    describeKnowledgeDocuments(context);
    describeAudit(context);
    describeNotifications(context);
    describeTurnEvents(context);
  });
}
