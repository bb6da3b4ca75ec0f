import { describe, expect, it } from 'vitest';
import { newId } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Cases for thread data, user preferences and flag overrides. */
export function describeKeyValues(context: () => StorageSuiteContext): void {
  describe('thread data', () => {
    it('setThreadData stores JSON values per key; undefined removes the key', async () => {
      const { adapter, inspect } = context();
      const threadId = newId('thr');
      await adapter.setThreadData(threadId, 'inventory', ['rope', 'lantern']);
      await adapter.setThreadData(threadId, 'hp', 12);
      await adapter.setThreadData(threadId, 'npc', { name: 'Mira', trust: 0.5, secret: null });
      expect(await inspect.threadData(threadId)).toEqual({
        inventory: ['rope', 'lantern'],
        hp: 12,
        npc: { name: 'Mira', trust: 0.5, secret: null },
      });
      await adapter.setThreadData(threadId, 'hp', 9);
      await adapter.setThreadData(threadId, 'inventory', undefined);
      expect(await inspect.threadData(threadId)).toEqual({ hp: 9, npc: { name: 'Mira', trust: 0.5, secret: null } });
      expect(await adapter.getThreadData(threadId)).toEqual({ hp: 9, npc: { name: 'Mira', trust: 0.5, secret: null } });
      expect(await adapter.getThreadData(newId('thr'))).toEqual({});
    });
  });

  describe('preferences', () => {
    it('setPreferences merges the patch and removes null keys', async () => {
      const { adapter, inspect } = context();
      const userId = newId('usr');
      expect(await adapter.setPreferences(userId, { persona: 'bard', theme: 'dark' })).toEqual({
        persona: 'bard',
        theme: 'dark',
      });
      expect(await inspect.preferences(userId)).toEqual({ persona: 'bard', theme: 'dark' });
      expect(await adapter.setPreferences(userId, { theme: null, locale: 'de' })).toEqual({
        persona: 'bard',
        locale: 'de',
      });
      expect(await inspect.preferences(userId)).toEqual({ persona: 'bard', locale: 'de' });
      expect(await adapter.getPreferences(userId)).toEqual({ persona: 'bard', locale: 'de' });
      expect(await adapter.getPreferences(newId('usr'))).toEqual({});
    });
  });

  describe('flag overrides', () => {
    it('keeps global and per-user overrides apart; null removes one', async () => {
      const { adapter, inspect } = context();
      const userId = newId('usr');
      const flag = newId('flag');
      await adapter.setFlagOverride(flag, false);
      await adapter.setFlagOverride(flag, true, { userId });
      await adapter.setFlagOverride('webSearch', true, { userId });
      expect((await inspect.flags())[flag]).toBe(false);
      expect(await inspect.flags(userId)).toEqual({ [flag]: true, webSearch: true });
      expect((await adapter.getFlagOverrides())[flag]).toBe(false);
      expect(await adapter.getFlagOverrides({ userId })).toEqual({ [flag]: true, webSearch: true });

      await adapter.setFlagOverride(flag, null, { userId });
      await adapter.setFlagOverride(flag, null);
      expect(await inspect.flags(userId)).toEqual({ webSearch: true });
      expect(flag in (await inspect.flags())).toBe(false);
      expect(await adapter.getFlagOverrides({ userId: newId('usr') })).toEqual({});
    });
  });
}
