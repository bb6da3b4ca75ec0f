import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord } from '../types.js';
import type { MessageWithFeedback, PendingInterrupt } from './routes/thread-views.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: { limits: { turnsPerMinute: 1000, apiCallsPerHour: 100_000, imagesPerMinute: 1000 } },
  });
});
afterAll(() => app.close());

interface ThreadAnswer {
  thread: ThreadRecord;
  messages: MessageWithFeedback[];
  hasMore: boolean;
  interrupt?: PendingInterrupt;
}

const json = async <T>(response: Response) => (await response.json()) as T;

async function newThread(user: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: {} });
  expect(response.status).toBe(201);
  return (await json<{ thread: ThreadRecord }>(response)).thread;
}

function turn(user: string, threadId: string, text: string) {
  return app.call(user, `/threads/${threadId}/turns`, { method: 'POST', json: { text } }).then(readEvents);
}

describe('GET /threads/:id after a reload', () => {
  it('returns the pending interrupt until it is answered, and only to the owner', async () => {
    const thread = await newThread('rhea');
    const fresh = await json<ThreadAnswer>(await app.call('rhea', `/threads/${thread.id}`));
    expect(fresh.interrupt).toBeUndefined();

    const events = await turn('rhea', thread.id, '/storyboard');
    const asked = events.find((e) => e.event === 'interrupt')?.data as PendingInterrupt & { type: string };
    expect(asked).toMatchObject({ kind: 'approve-storyboard' });

    const read = await json<ThreadAnswer>(await app.call('rhea', `/threads/${thread.id}`));
    expect(read.interrupt).toEqual({
      interruptId: asked.interruptId,
      kind: asked.kind,
      prompt: asked.prompt,
      ...(asked.options && { options: asked.options }),
    });
    expect(read.interrupt?.options?.length).toBeGreaterThan(0);
    // nobody else learns of it
    expect((await app.call('mallory', `/threads/${thread.id}`)).status).toBe(404);

    // answering it from the restored id works, and the question is gone afterwards
    const resumed = await readEvents(
      await app.call('rhea', `/threads/${thread.id}/resume`, {
        method: 'POST',
        json: { interruptId: read.interrupt!.interruptId, value: true },
      }),
    );
    expect(resumed.some((e) => e.event === 'image')).toBe(true);
    expect(resumed.at(-1)?.event).toBe('turn-end');
    const after = await json<ThreadAnswer>(await app.call('rhea', `/threads/${thread.id}`));
    expect(after).not.toHaveProperty('interrupt');
  });

  it("returns the caller's own feedback on the messages they rated, in both routes", async () => {
    const thread = await newThread('sage');
    await turn('sage', thread.id, 'I light a lantern.');
    await turn('sage', thread.id, 'I walk down the stairs.');
    const { messages } = await json<ThreadAnswer>(await app.call('sage', `/threads/${thread.id}`));
    const replies = messages.filter((m) => m.role === 'assistant' && m.kind === 'narration');
    expect(replies.length).toBeGreaterThanOrEqual(2);
    const [first, second] = replies as [StoryMessage, StoryMessage];
    const rate = (messageId: string, body: unknown) =>
      app.call('sage', `/threads/${thread.id}/messages/${messageId}/feedback`, { method: 'POST', json: body });
    expect((await rate(first.id, { value: 1, comment: 'Moody' })).status).toBe(204);
    expect((await rate(second.id, { value: -1 })).status).toBe(204);

    const read = await json<ThreadAnswer>(await app.call('sage', `/threads/${thread.id}`));
    const byId = new Map(read.messages.map((m) => [m.id, m]));
    expect(byId.get(first.id)?.feedback).toEqual({ value: 1, comment: 'Moody' });
    expect(byId.get(second.id)?.feedback).toEqual({ value: -1 });
    const unrated = read.messages.filter((m) => m.id !== first.id && m.id !== second.id);
    expect(unrated.length).toBeGreaterThan(0);
    for (const message of unrated) expect(message).not.toHaveProperty('feedback');

    // paging carries it too
    const paged = await json<{ messages: MessageWithFeedback[] }>(
      await app.call('sage', `/threads/${thread.id}/messages?limit=500`),
    );
    expect(paged.messages.find((m) => m.id === first.id)?.feedback).toEqual({ value: 1, comment: 'Moody' });
    expect(paged.messages.find((m) => m.id === second.id)?.feedback).toEqual({ value: -1 });

    // changing the rating shows the new one
    expect((await rate(first.id, { value: -1 })).status).toBe(204);
    const changed = await json<ThreadAnswer>(await app.call('sage', `/threads/${thread.id}`));
    expect(changed.messages.find((m) => m.id === first.id)?.feedback?.value).toBe(-1);
  });
});
