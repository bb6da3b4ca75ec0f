import { emptyCheckpoint, uuid6 } from '@langchain/langgraph-checkpoint';
import { describe, expect, it } from 'vitest';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

async function putCheckpoints(context: StorageSuiteContext, threadId: string, count: number) {
  const { checkpointer } = context.adapter;
  let config = { configurable: { thread_id: threadId, checkpoint_ns: '' } } as {
    configurable: { thread_id: string; checkpoint_ns: string; checkpoint_id?: string };
  };
  const ids: string[] = [];
  for (let step = 0; step < count; step++) {
    const checkpoint = {
      ...emptyCheckpoint(),
      id: uuid6(step),
      channel_values: { turn: step },
      channel_versions: { turn: step + 1 },
    };
    const metadata = { source: 'loop' as const, step, parents: {} };
    config = (await checkpointer.put(config, checkpoint, metadata, { turn: step + 1 })) as typeof config;
    await checkpointer.putWrites(config, [['turn', step]], `task-${step}`);
    ids.push(checkpoint.id);
  }
  return ids;
}

/** Cases for the LangGraph checkpointer and store, and checkpoint retention. */
export function describeLangGraph(context: () => StorageSuiteContext): void {
  describe('langgraph checkpointer', () => {
    it('stores checkpoints and pending writes; getTuple returns the latest', async () => {
      const ctx = context();
      const threadId = newId('thr');
      const ids = await putCheckpoints(ctx, threadId, 3);
      expect(await ctx.inspect.checkpoints(threadId)).toBe(3);
      const tuple = await ctx.adapter.checkpointer.getTuple({
        configurable: { thread_id: threadId, checkpoint_ns: '' },
      });
      expect(tuple?.checkpoint.id).toBe(ids[2]);
      expect(tuple?.checkpoint.channel_values).toEqual({ turn: 2 });
      expect(tuple?.pendingWrites).toEqual([['task-2', 'turn', 2]]);
    });

    it('pruneCheckpoints keeps only the latest checkpoint of a thread and its pending writes', async () => {
      const ctx = context();
      if (!ctx.adapter.pruneCheckpoints) return;
      const threadId = newId('thr');
      const other = newId('thr');
      const ids = await putCheckpoints(ctx, threadId, 5);
      await putCheckpoints(ctx, other, 2);
      await ctx.adapter.pruneCheckpoints(threadId);
      expect(await ctx.inspect.checkpoints(threadId)).toBe(1);
      expect(await ctx.inspect.checkpoints(other)).toBe(2);
      const tuple = await ctx.adapter.checkpointer.getTuple({
        configurable: { thread_id: threadId, checkpoint_ns: '' },
      });
      expect(tuple?.checkpoint.id).toBe(ids[4]);
      expect(tuple?.checkpoint.channel_values).toEqual({ turn: 4 });
      expect(tuple?.pendingWrites).toEqual([['task-4', 'turn', 4]]);
      await ctx.adapter.pruneCheckpoints(newId('thr'));
    });
  });

  describe('langgraph store', () => {
    it('put, get and delete land in the backend', async () => {
      const { adapter, inspect } = context();
      const namespace = ['memories', newId('usr')];
      await adapter.store.put(namespace, 'likes', { text: 'The player loves riddles', weight: 3 });
      expect(await inspect.storeItem(namespace, 'likes')).toEqual({ text: 'The player loves riddles', weight: 3 });
      const item = await adapter.store.get(namespace, 'likes');
      expect(item).toMatchObject({ key: 'likes', namespace, value: { text: 'The player loves riddles', weight: 3 } });
      expect(item?.createdAt).toBeInstanceOf(Date);
      await adapter.store.put(namespace, 'likes', { text: 'The player loves puzzles', weight: 4 });
      expect(await inspect.storeItem(namespace, 'likes')).toEqual({ text: 'The player loves puzzles', weight: 4 });
      await adapter.store.delete(namespace, 'likes');
      expect(await inspect.storeItem(namespace, 'likes')).toBeNull();
      expect(await adapter.store.get(namespace, 'likes')).toBeNull();
    });

    it('search filters by namespace prefix and value fields', async () => {
      const { adapter } = context();
      const user = newId('usr');
      await adapter.store.put(['memories', user, 'facts'], 'a', { kind: 'fact', text: 'Has a pet owl' });
      await adapter.store.put(['memories', user, 'facts'], 'b', { kind: 'fact', text: 'Fears the sea' });
      await adapter.store.put(['memories', user, 'prefs'], 'c', { kind: 'pref', text: 'Short replies' });
      await adapter.store.put(['memories', newId('usr')], 'd', { kind: 'fact', text: 'Someone else' });
      const all = await adapter.store.search(['memories', user]);
      expect(all.map((item) => item.key).sort()).toEqual(['a', 'b', 'c']);
      const facts = await adapter.store.search(['memories', user], { filter: { kind: 'fact' } });
      expect(facts.map((item) => item.key).sort()).toEqual(['a', 'b']);
      expect(await adapter.store.search(['memories', user], { limit: 2 })).toHaveLength(2);
      const namespaces = await adapter.store.listNamespaces({ prefix: ['memories', user] });
      expect(namespaces.map((ns) => ns.join('/')).sort()).toEqual([`memories/${user}/facts`, `memories/${user}/prefs`]);
    });
  });
}
