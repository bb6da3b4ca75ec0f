import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryNamespace } from '../memory/memory-book.js';
import type { MemoryRecord } from '../memory/memory-types.js';
import type { PromptContext } from '../memory/prompt-assembly.js';
import type { ThreadRecord } from '../types.js';
import { serveForTests, type TestServer } from './serve-for-tests.js';

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: {
      limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 },
      features: { imageGeneration: false },
      memory: { windowTokens: 500 },
    },
  });
});
afterAll(() => app.close());

async function newThread(user: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: {} });
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

async function turn(user: string, threadId: string, text: string) {
  const response = await app.call(user, `/threads/${threadId}/turns`, { method: 'POST', json: { text } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('event: turn-end');
}

const json = async <T>(response: Response) => (await response.json()) as T;

describe('memory over HTTP', () => {
  it('lists what a story taught the GM, adds, edits and forgets (really deleted), owner-only', async () => {
    const thread = await newThread('ana');
    await turn('ana', thread.id, 'My name is Ana and I carry a silver compass.');
    const listed = await json<{ memories: MemoryRecord[] }>(await app.call('ana', `/memories?threadId=${thread.id}`));
    expect(listed.memories.map((m) => m.text).sort()).toEqual([
      'The player carries a silver compass.',
      "The player's name is Ana.",
    ]);

    const created = await app.call('ana', '/memories', { method: 'POST', json: { text: 'Ana hates boats.' } });
    expect(created.status).toBe(201);
    const { memory } = await json<{ memory: MemoryRecord }>(created);
    expect(memory).toMatchObject({ text: 'Ana hates boats.', scope: 'user', source: 'player', userId: 'ana' });

    const ranked = await json<{ memories: MemoryRecord[] }>(await app.call('ana', '/memories?query=boats'));
    expect(ranked.memories.map((m) => m.id)).toEqual([memory.id]);

    // another player can neither read, change nor delete it: 404, as if it did not exist
    expect((await app.call('bob', `/memories/${memory.id}`, { method: 'PATCH', json: { text: 'x' } })).status).toBe(
      404,
    );
    expect((await app.call('bob', `/memories/${memory.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await app.call('bob', `/memories?threadId=${thread.id}`)).status).toBe(404);
    expect(await json<{ memories: unknown[] }>(await app.call('bob', '/memories'))).toEqual({ memories: [] });
    expect((await app.call('bob', `/threads/${thread.id}/context`)).status).toBe(404);

    const patched = await app.call('ana', `/memories/${memory.id}`, {
      method: 'PATCH',
      json: { text: 'Ana fears boats.' },
    });
    expect((await json<{ memory: MemoryRecord }>(patched)).memory.text).toBe('Ana fears boats.');

    expect((await app.call('ana', `/memories/${memory.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await app.dd.storage.store.get(memoryNamespace('ana'), memory.id)).toBeNull();
    expect((await app.call('ana', `/memories/${memory.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('streams memory-added for the message a fact came from, which GET /memories carries as messageId', async () => {
    const thread = await newThread('cleo');
    const response = await app.call('cleo', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'My name is Cleo and I carry a brass key.' },
    });
    const body = await response.text();
    const added = [...body.matchAll(/^event: memory-added\ndata: (.*)$/gm)].map(
      (match) => JSON.parse(match[1]!) as { messageId: string; memoryId: string; text?: string },
    );
    expect(added).toHaveLength(2);
    // the fact's text stays out of the event (turn events are kept a while; a forgotten fact must go)
    expect(added.every((event) => event.text === undefined)).toBe(true);
    expect(body.indexOf('event: memory-added')).toBeLessThan(body.indexOf('event: turn-end'));
    const { memories } = await json<{ memories: MemoryRecord[] }>(
      await app.call('cleo', `/memories?threadId=${thread.id}`),
    );
    const { messages } = await json<{ messages: Array<{ id: string; role: string; parts?: unknown[] }> }>(
      await app.call('cleo', `/threads/${thread.id}/messages`),
    );
    const player = messages.find((message) => message.role === 'user');
    for (const event of added) {
      expect(event.messageId).toBe(player?.id);
      expect(memories.find((memory) => memory.id === event.memoryId)?.messageId).toBe(player?.id);
      expect(player?.parts).toContainEqual({ type: 'remembered', memoryId: event.memoryId });
    }
  });

  it('validates input with clear 400s', async () => {
    const cases: Array<[string, RequestInit & { json?: unknown }]> = [
      ['/memories', { method: 'POST', json: { text: '' } }],
      ['/memories', { method: 'POST', json: { text: 'x'.repeat(501) } }],
      ['/memories', { method: 'POST', json: { text: 'fact', scope: 'thread' } }],
      ['/memories', { method: 'POST', json: { text: 'fact', scope: 'world' } }],
      ['/memories', { method: 'POST', json: { text: 'fact', extra: 1 } }],
      ['/memories?limit=0', {}],
      ['/memories?threadId=../etc', {}],
      ['/memories/mem_1', { method: 'PATCH', json: {} }],
    ];
    for (const [path, init] of cases) {
      const response = await app.call('cleo', path, init);
      expect(response.status, path).toBe(400);
      expect(await json<{ error: { code: string } }>(response)).toMatchObject({ error: { code: 'INVALID_INPUT' } });
    }
  });

  it('GET /threads/:id/context previews the prompt with tokens per section; /summary reads the summary', async () => {
    const thread = await newThread('dai');
    await turn('dai', thread.id, 'My sister is called Lena.');
    for (let i = 0; i < 6; i++) await turn('dai', thread.id, `I row across the lake, stroke ${i}.`);
    const context = await json<PromptContext>(
      await app.call('dai', `/threads/${thread.id}/context?text=${encodeURIComponent('Where is my sister?')}`),
    );
    expect(context.sections.map((s) => s.name)).toEqual([
      'persona',
      'summary',
      'window',
      'lore',
      'memory',
      'knowledge',
      'authors-note',
    ]);
    expect(context.tokens).toBe(context.sections.reduce((sum, s) => sum + s.tokens, 0));
    expect(context.messages.at(-1)?.content).toContain("The player's sister is called Lena.");
    const { summary } = await json<{ summary: { text: string } | null }>(
      await app.call('dai', `/threads/${thread.id}/summary`),
    );
    expect(summary?.text).toContain('Lena');
  });

  it('deleting a story deletes its memories and summary; user-wide memories stay', async () => {
    const thread = await newThread('eli');
    await turn('eli', thread.id, 'My horse is called Bramble.');
    for (let i = 0; i < 6; i++) await turn('eli', thread.id, `I ride to the coast, hour ${i}.`);
    const kept = await json<{ memory: MemoryRecord }>(
      await app.call('eli', '/memories', { method: 'POST', json: { text: 'Eli likes sea shanties.' } }),
    );
    const before = await json<{ memories: MemoryRecord[] }>(await app.call('eli', '/memories'));
    const horse = before.memories.find((m) => m.text.includes('Bramble'));
    expect(horse?.scope).toBe('thread');
    expect((await app.dd.storage.getThreadData(thread.id))['dreamdeck:summary']).toBeDefined();

    expect((await app.call('eli', `/threads/${thread.id}`, { method: 'DELETE' })).status).toBe(204);
    const after = await json<{ memories: MemoryRecord[] }>(await app.call('eli', '/memories'));
    expect(after.memories.map((m) => m.id)).toEqual([kept.memory.id]);
    expect(await app.dd.storage.store.get(memoryNamespace('eli'), horse?.id as string)).toBeNull();
    expect(await app.dd.storage.getThreadData(thread.id)).not.toHaveProperty('dreamdeck:summary');
  });
});
