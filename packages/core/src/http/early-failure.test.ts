import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DreamdeckError } from '../errors.js';
import { createMemoryStorage } from '../storage/memory-storage.js';
import type { ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

/**
 * A turn whose storage fails before the player's message is stored was not accepted: it answers
 * 503 JSON (generic message, nothing stored), so a client may send it again without doubling it.
 * Once the message is stored, a failure goes out in the event stream instead.
 */
const storage = createMemoryStorage();
const append = storage.appendMessage.bind(storage);
/** Which appends fail: the player's (`user`) or the GM's (`assistant`); none when undefined. */
let failRole: 'user' | 'assistant' | undefined;
storage.appendMessage = async (message) => {
  if (message.role === failRole)
    throw new DreamdeckError('STORAGE_ERROR', '[memory] connect ECONNREFUSED 127.0.0.1:5432', {
      cause: new Error('x'),
    });
  return append(message);
};

let app: TestServer;
beforeAll(async () => {
  app = await serveForTests({
    storage,
    config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 }, features: { imageGeneration: false } },
  });
});
afterAll(() => app.close());

async function newThread(): Promise<ThreadRecord> {
  const response = await app.call('ann', '/threads', { method: 'POST', json: {} });
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

describe('a turn that fails on storage', () => {
  it('before the player message is stored: 503 JSON with a generic message, nothing stored', async () => {
    const thread = await newThread();
    failRole = 'user';
    const response = await app.call('ann', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I knock twice' },
    });
    failRole = undefined;
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('STORAGE_ERROR');
    expect(body.error.message).not.toMatch(/ECONNREFUSED|5432|\[memory\]/);
    expect(await storage.listMessages(thread.id, {})).toEqual([]);
    // sent again, it lands once
    const again = await app.call('ann', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'I knock twice' },
    });
    expect(again.status).toBe(200);
    await again.text();
    const stored = await storage.listMessages(thread.id, {});
    expect(stored.filter((message) => message.role === 'user').map((message) => message.content)).toEqual([
      'I knock twice',
    ]);
  });

  it('after the player message is stored: the stream goes out and ends with an error event', async () => {
    const thread = await newThread();
    failRole = 'assistant';
    const response = await app.call('ann', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'I wait' } });
    const events = (await readEvents(response)) as Array<{ event: string; data: { code?: string; message?: string } }>;
    failRole = undefined;
    expect(response.status).toBe(200);
    const error = events.find((event) => event.event === 'error');
    expect(error?.data.code).toBe('STORAGE_ERROR');
    expect(error?.data.message).not.toMatch(/ECONNREFUSED|5432/);
    expect(events.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'error' } });
    const stored = await storage.listMessages(thread.id, {});
    expect(stored.map((message) => message.content)).toContain('I wait');
  });
});
