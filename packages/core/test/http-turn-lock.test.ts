import { afterEach, describe, expect, it } from 'vitest';
import { parseEvents, serveForTests, type TestServer } from '../src/http/serve-for-tests.js';
import { createMemoryStorage, type Dreamdeck } from '../src/index.js';
import { collect, GatedModel, quietDreamdeck } from './helpers.js';

const TOKENS = ['The ', 'bell ', 'tolls ', 'twice ', 'and ', 'falls ', 'silent.'];
const closing: Array<TestServer | Dreamdeck> = [];
afterEach(async () => {
  for (const item of closing.splice(0).reverse()) await item.close();
});

async function serve(...args: Parameters<typeof serveForTests>): Promise<TestServer> {
  const server = await serveForTests(...args);
  closing.push(server);
  return server;
}

async function newThread(app: TestServer, user: string): Promise<string> {
  const response = await app.call(user, '/threads', { method: 'POST', json: {} });
  return ((await response.json()) as { thread: { id: string } }).thread.id;
}

const conflict = { error: { code: 'CONFLICT', message: expect.any(String) } };

describe('HTTP: one turn per thread', () => {
  it('turns, resumes and regenerations on a thread another instance is playing answer 409 CONFLICT as JSON', async () => {
    const storage = createMemoryStorage();
    const app = await serve({ storage, config: { features: { imageGeneration: false } } });
    const model = new GatedModel(TOKENS, 2);
    const other = await quietDreamdeck({}, { storage, model });
    closing.push(other);
    const threadId = await newThread(app, 'u1');
    const first = await (
      await app.call('u1', `/threads/${threadId}/turns`, { method: 'POST', json: { text: 'I climb the tower.' } })
    ).text();
    const narration = parseEvents(first).find((event) => event.event === 'message-end')!.data as {
      message: { id: string };
    };
    const running = collect((await other.openSession({ userId: 'u1', threadId })).send('I ring the bell.'));
    await model.reached;
    const refusals = [
      app.call('u1', `/threads/${threadId}/turns`, { method: 'POST', json: { text: 'I ring it too.' } }),
      app.call('u1', `/threads/${threadId}/resume`, { method: 'POST', json: { interruptId: 'int_x', value: true } }),
      app.call('u1', `/threads/${threadId}/messages/${narration.message.id}/regenerate`, { method: 'POST' }),
    ];
    for (const response of await Promise.all(refusals)) {
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(await response.json()).toEqual(conflict);
    }
    model.open();
    expect((await running).text).toBe(TOKENS.join(''));
    const after = await app.call('u1', `/threads/${threadId}/turns`, { method: 'POST', json: { text: 'I descend.' } });
    expect(after.status).toBe(200);
    expect(parseEvents(await after.text()).at(-1)?.data).toMatchObject({ type: 'turn-end', status: 'complete' });
  });

  it('a second turn on the same handler answers 409 CONFLICT while the first streams, and deleting the story too', async () => {
    const app = await serve({ latencyMs: 15 });
    const threadId = await newThread(app, 'u1');
    const streaming = await app.call('u1', `/threads/${threadId}/turns`, { method: 'POST', json: { text: 'Hello.' } });
    const reader = streaming.body!.getReader();
    await reader.read(); // the stream is open: the turn runs
    const busy = await app.call('u1', `/threads/${threadId}/turns`, { method: 'POST', json: { text: 'Again.' } });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toEqual(conflict);
    const deleting = await app.call('u1', `/threads/${threadId}`, { method: 'DELETE' });
    expect(deleting.status).toBe(409);
    expect(await deleting.json()).toEqual(conflict);
    await reader.cancel();
  });
});
