import { describe, expect, it } from 'vitest';
import { newId, utcDay } from '../../storage/ids.js';
import type { StorageSuiteContext } from './storage-inspector.js';

/** Skips the running case when the adapter does not declare `capability`. */
function withCapability(
  context: StorageSuiteContext,
  capability: 'knowledge' | 'audit',
  skip: (note?: string) => void,
): StorageSuiteContext {
  if (!context.adapter.capabilities[capability]) skip(`${context.adapter.name} does not declare ${capability}`);
  return context;
}

/** Cases for knowledge documents with full-text search (capability `knowledge`). */
export function describeKnowledge(context: () => StorageSuiteContext): void {
  describe('knowledge', () => {
    it('addKnowledge stores the chunks and replaces a source’s earlier chunks', async ({ skip }) => {
      const { adapter, inspect } = withCapability(context(), 'knowledge', skip);
      if (!inspect.knowledge) return skip('inspect.knowledge is not implemented');
      const source = `${newId('doc')}.md`;
      expect(await adapter.addKnowledge!(source, ['First chunk.', 'Second chunk.'])).toBe(2);
      expect(await inspect.knowledge(source)).toEqual(['First chunk.', 'Second chunk.']);
      await adapter.addKnowledge!(source, ['Only chunk.']);
      expect(await inspect.knowledge(source)).toEqual(['Only chunk.']);
      await adapter.deleteKnowledge!(source);
      expect(await inspect.knowledge(source)).toEqual([]);
    });

    it('searchKnowledge ranks the best match first and returns a snippet around it', async ({ skip }) => {
      const { adapter } = withCapability(context(), 'knowledge', skip);
      const word = `zq${newId('w')
        .slice(-10)
        .replace(/[^a-z]/g, 'x')}`;
      const source = `${newId('lore')}.md`;
      await adapter.addKnowledge!(source, [
        `The harbour town trades salt and fish. A ${word} was once seen near the lighthouse.`,
        `The ${word} of the northern caves: every ${word} hoards copper, and a ${word} never sleeps.`,
        'Nothing relevant lives in this chunk about weather and tides.',
      ]);
      const hits = await adapter.searchKnowledge!(`${word} caves`, { limit: 5 });
      expect(hits.length).toBeGreaterThanOrEqual(2);
      expect(hits[0]).toMatchObject({ source, id: expect.any(String) });
      expect(hits[0]!.snippet.toLowerCase()).toContain(word);
      expect(hits[0]!.snippet).toContain('caves');
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect(hits.every((hit) => !hit.snippet.includes('weather'))).toBe(true);
      expect(await adapter.searchKnowledge!(`${word}`, { limit: 1 })).toHaveLength(1);

      await adapter.deleteKnowledge!(source);
      expect(await adapter.searchKnowledge!(word)).toEqual([]);
    });

    it('searchKnowledge treats query punctuation as text, not syntax', async ({ skip }) => {
      const { adapter } = withCapability(context(), 'knowledge', skip);
      await expect(adapter.searchKnowledge!('"unbalanced AND (OR * NEAR:')).resolves.toBeInstanceOf(Array);
      expect(await adapter.searchKnowledge!('   ')).toEqual([]);
    });
  });
}

/** Cases for audit events and usage counters (capability `audit`). */
export function describeAudit(context: () => StorageSuiteContext): void {
  describe('audit and usage', () => {
    it('recordAudit stores events; listAudit filters by type, newest first', async ({ skip }) => {
      const { adapter, inspect } = withCapability(context(), 'audit', skip);
      const userId = newId('usr');
      await adapter.recordAudit!({ type: 'auth-failure', userId, detail: { reason: 'bad token' } });
      await adapter.recordAudit!({ type: 'rate-limited', userId, detail: { limit: 'turnsPerMinute' } });
      await adapter.recordAudit!({ type: 'input-rejected', userId });
      if (inspect.audit) {
        const mine = (await inspect.audit()).filter((event) => event.userId === userId);
        expect(mine.map((event) => event.type)).toEqual(['auth-failure', 'rate-limited', 'input-rejected']);
      }
      const limited = (await adapter.listAudit!({ type: 'rate-limited', limit: 1000 })).filter(
        (e) => e.userId === userId,
      );
      expect(limited).toHaveLength(1);
      expect(limited[0]).toMatchObject({ type: 'rate-limited', userId, detail: { limit: 'turnsPerMinute' } });
      const all = (await adapter.listAudit!({ limit: 1000 })).filter((e) => e.userId === userId);
      expect(all.map((e) => e.type)).toEqual(['input-rejected', 'rate-limited', 'auth-failure']);
    });

    it('pruneAudit deletes the events recorded before a time and keeps the later ones', async ({ skip }) => {
      const { adapter, inspect } = withCapability(context(), 'audit', skip);
      const userId = newId('usr');
      await adapter.recordAudit!({ type: 'input-rejected', userId, detail: { n: 1 } });
      const [older] = (await adapter.listAudit!({ limit: 1000 })).filter((e) => e.userId === userId);
      expect(older).toBeDefined();
      // the cut-off comes from the stored time (the backend's clock), so clock skew cannot matter
      const cutoff = new Date(Date.parse(older!.createdAt) + 1).toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await adapter.recordAudit!({ type: 'forbidden', userId, detail: { n: 2 } });
      const pruned = await adapter.pruneAudit!(cutoff);
      expect(pruned).toBeGreaterThanOrEqual(1);
      const left = (await adapter.listAudit!({ limit: 1000 })).filter((e) => e.userId === userId);
      expect(left.map((e) => e.type)).toEqual(['forbidden']);
      if (inspect.audit) {
        const raw = (await inspect.audit()).filter((event) => event.userId === userId);
        expect(raw.map((event) => event.type)).toEqual(['forbidden']);
      }
      expect(await adapter.pruneAudit!(cutoff)).toBe(0);
    });

    it('addUsage sums per user, day and metric', async ({ skip }) => {
      const { adapter, inspect } = withCapability(context(), 'audit', skip);
      const userId = newId('usr');
      await adapter.addUsage!(userId, 'turns');
      await adapter.addUsage!(userId, 'turns', 2);
      await adapter.addUsage!(userId, 'images', 4);
      if (inspect.usage) {
        const raw = await inspect.usage(userId);
        expect(raw.find((row) => row.metric === 'turns')?.count).toBe(3);
        expect(raw.find((row) => row.metric === 'images')?.count).toBe(4);
      }
      const rows = await adapter.listUsage!({ userId, sinceDay: utcDay() });
      expect(rows).toEqual(
        expect.arrayContaining([
          { userId, day: utcDay(), metric: 'turns', count: 3 },
          { userId, day: utcDay(), metric: 'images', count: 4 },
        ]),
      );
      expect(rows).toHaveLength(2);
    });
  });
}
