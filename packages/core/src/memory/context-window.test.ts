import { describe, expect, it } from 'vitest';
import { newId } from '../storage/ids.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import type { StoryMessage } from '../types.js';
import { readWindow } from './context-window.js';
import { loadTokenCounter } from './token-count.js';

/** A message's text: its label, then about `size / 5` tokens of words. */
const contentOf = (i: number, size: number) => `m${i} ${'tale '.repeat(Math.floor(size / 5))}`.trim();

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
      content: contentOf(i, size),
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

const count = await loadTokenCounter();

describe('readWindow', () => {
  it('fills the window across pages, oldest first, up to maxMessages', async () => {
    const { storage, threadId } = await thread(50);
    const window = await readWindow(storage, threadId, count, { budgetTokens: 1_000_000, maxMessages: 30 });
    expect(labels(window.entries)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 20}`));
    expect(window.stop).toBe('cap');
  });

  it('stops at the token budget, keeping the newest, counted with the real tokenizer', async () => {
    const { storage, threadId } = await thread(50, 400);
    const one = count(contentOf(49, 400)) + 4;
    const window = await readWindow(storage, threadId, count, { budgetTokens: one * 3 + 1, maxMessages: 40 });
    expect(labels(window.entries)).toEqual(['m47', 'm48', 'm49']);
    expect(window).toMatchObject({ stop: 'budget', overflow: true, tokens: expect.any(Number) });
    expect(window.tokens).toBeLessThanOrEqual(one * 3 + 1);
  });

  it('reads a second page only when the first does not reach the summary', async () => {
    const { storage, threadId, ids } = await thread(100, 400);
    const calls: number[] = [];
    const counting = {
      ...storage,
      listMessages: async (...args: Parameters<typeof storage.listMessages>) => {
        const page = await storage.listMessages(...args);
        calls.push(page.length);
        return page;
      },
    };
    const near = await readWindow(counting, threadId, count, {
      budgetTokens: 100_000,
      maxMessages: 40,
      throughMessageId: ids[90] as string,
    });
    expect(calls).toEqual([40]);
    expect(near).toMatchObject({ stop: 'summary', read: 9 });
    expect(labels(near.entries)[0]).toBe('m91');
    // the default window (40 messages) is one call; a larger one reads on only past the first 40
    await readWindow(counting, threadId, count, { budgetTokens: 100_000, maxMessages: 40 });
    expect(calls.slice(1)).toEqual([40]);
    await readWindow(counting, threadId, count, { budgetTokens: 100_000, maxMessages: 60 });
    expect(calls.slice(2)).toEqual([40, 20]);
    await readWindow(counting, threadId, count, {
      budgetTokens: 100_000,
      maxMessages: 60,
      throughMessageId: ids[70] as string,
    });
    expect(calls.slice(4)).toEqual([40]);
  });

  it('stops at the last /reset, even on a later page, and names it', async () => {
    const { storage, threadId, ids } = await thread(40, 40, (i) => (i === 5 ? { parts: [{ type: 'reset' }] } : {}));
    const window = await readWindow(storage, threadId, count, {
      budgetTokens: 1_000_000,
      maxMessages: 40,
      throughMessageId: ids[2] as string,
    });
    expect(labels(window.entries)[0]).toBe('m6');
    expect(window.entries).toHaveLength(34);
    expect(window).toMatchObject({ stop: 'reset', resetId: ids[5] });
  });

  it('leaves out `before` and everything after it; finds the extraction marker on the way', async () => {
    const { storage, threadId, ids } = await thread(30);
    const window = await readWindow(storage, threadId, count, {
      budgetTokens: 1_000_000,
      maxMessages: 40,
      before: ids[25] as string,
      marker: ids[20] as string,
    });
    expect(labels(window.entries)).toEqual(Array.from({ length: 25 }, (_, i) => `m${i}`));
    expect(window.afterMarker).toBe(4);
    expect(window.stop).toBe('start');
  });

  it('with readPastBudget keeps reading to collect what a fold needs', async () => {
    const { storage, threadId } = await thread(20, 400);
    const window = await readWindow(storage, threadId, count, {
      budgetTokens: 300,
      maxMessages: 40,
      readPastBudget: true,
    });
    expect(window.overflow).toBe(true);
    expect(window.stored).toHaveLength(20);
    expect(window.stop).toBe('start');
  });
});
