import { describe, expect, it } from 'vitest';
import { newId } from '../storage/ids.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import type { StoryMessage } from '../types.js';
import { recentWindow } from './context-window.js';

/** A thread of `count` alternating player / GM messages (`m0`, `m1`, …), each `size` characters long. */
async function thread(count: number, size = 40, extra: (i: number) => Partial<StoryMessage> = () => ({})) {
  const storage = createMemoryStorage();
  await storage.upsertUser({ id: 'u' });
  const { id } = await storage.createThread({ userId: 'u', persona: 'storyteller' });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const message: StoryMessage = {
      id: newId('msg'),
      threadId: id,
      role: i % 2 ? 'assistant' : 'user',
      kind: i % 2 ? 'narration' : 'player',
      content: `m${i} `.padEnd(size, '.'),
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
      status: 'complete',
      ...extra(i),
    };
    await storage.appendMessage(message);
    ids.push(message.id);
  }
  return { storage, threadId: id, ids };
}

const labels = (messages: { content: unknown }[]) => messages.map((m) => String(m.content).split(' ')[0]);

describe('recentWindow', () => {
  it('fills the window across pages, oldest first, up to maxMessages', async () => {
    const { storage, threadId } = await thread(50);
    const window = await recentWindow(storage, threadId, { budgetTokens: 1_000_000, maxMessages: 30 });
    expect(labels(window)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 20}`));
  });

  it('stops at the token budget, keeping the newest', async () => {
    const { storage, threadId } = await thread(50, 400); // 100 tokens each
    const window = await recentWindow(storage, threadId, { budgetTokens: 350, maxMessages: 40 });
    expect(labels(window)).toEqual(['m47', 'm48', 'm49']);
  });

  it('reads a second page only when the first leaves budget over', async () => {
    const { storage, threadId } = await thread(100, 400);
    const calls: number[] = [];
    const counting = {
      ...storage,
      listMessages: async (...args: Parameters<typeof storage.listMessages>) => {
        const page = await storage.listMessages(...args);
        calls.push(page.length);
        return page;
      },
    };
    await recentWindow(counting, threadId, { budgetTokens: 350, maxMessages: 40 });
    expect(calls).toEqual([16]);
    await recentWindow(counting, threadId, { budgetTokens: 100_000, maxMessages: 40 });
    expect(calls.slice(1)).toEqual([16, 24]);
  });

  it('stops at the last /reset, even on a later page', async () => {
    const { storage, threadId } = await thread(40, 40, (i) => (i === 5 ? { parts: [{ type: 'reset' }] } : {}));
    const window = await recentWindow(storage, threadId, { budgetTokens: 1_000_000, maxMessages: 40 });
    expect(labels(window)[0]).toBe('m6');
    expect(window).toHaveLength(34);
  });

  it('leaves out `before` and everything after it', async () => {
    const { storage, threadId, ids } = await thread(30);
    const window = await recentWindow(storage, threadId, {
      budgetTokens: 1_000_000,
      maxMessages: 40,
      before: ids[25] as string,
    });
    expect(labels(window)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
  });
});
