import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../test/helpers.js';
import type { ThreadRecord } from '../types.js';
import { serveForTests, type TestServer } from './serve-for-tests.js';

// issue 21 fix 4: "Paint these 3 scenes?" came after every reply; a player can now choose when
// the GM offers to paint: after every reply, only on /storyboard, or never asked
let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000, imagesPerMinute: 1000 } },
  });
});
afterAll(() => app.close());

async function turnEnd(user: string, threadId: string, text: string): Promise<string> {
  const response = await app.call(user, `/threads/${threadId}/turns`, { method: 'POST', json: { text } });
  const body = await response.text();
  return /"type":"turn-end"[^}]*"status":"(\w+)"/.exec(body)?.[1] ?? body;
}

async function prefer(user: string, storyboards: string) {
  return app.call(user, '/preferences', { method: 'PATCH', json: { storyboards } });
}

describe('the storyboards preference', () => {
  it('every reply (default), only on /storyboard, or never asked; over HTTP and in the engine', async () => {
    const thread = async (user: string) =>
      ((await (await app.call(user, '/threads', { method: 'POST', json: {} })).json()) as { thread: ThreadRecord })
        .thread;
    const read = async (user: string) =>
      ((await (await app.call(user, '/preferences')).json()) as { preferences: { storyboards: string } }).preferences;

    // default: every reply asks
    const a = await thread('ada');
    expect((await read('ada')).storyboards).toBe('every-reply');
    expect(await turnEnd('ada', a.id, 'I look around the square')).toBe('interrupted');

    // only on /storyboard: a reply ends complete, /storyboard still asks
    expect((await prefer('bo', 'on-command')).status).toBe(200);
    expect((await read('bo')).storyboards).toBe('on-command');
    const b = await thread('bo');
    expect(await turnEnd('bo', b.id, 'I look around the square')).toBe('complete');
    expect(await turnEnd('bo', b.id, '/storyboard')).toBe('interrupted');

    // never asked: no storyboard after a reply, and /storyboard paints straight away
    await prefer('cy', 'never');
    const c = await thread('cy');
    expect(await turnEnd('cy', c.id, 'I look around the square')).toBe('complete');
    expect(await turnEnd('cy', c.id, '/storyboard')).toBe('complete');
    const messages = (
      (await (await app.call('cy', `/threads/${c.id}`)).json()) as { messages: Array<{ kind: string }> }
    ).messages;
    expect(messages.filter((message) => message.kind === 'storyboard')).toHaveLength(1);

    // the engine reads the same stored preference
    await app.dd.storage.setPreferences('dee', { storyboards: 'on-command' });
    const session = await app.dd.openSession({ userId: 'dee' });
    expect((await collect(session.send('I open the door'))).result.status).toBe('complete');

    // a bad value is refused with INVALID_INPUT, nothing stored
    const bad = await prefer('bo', 'sometimes');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT');
    expect((await read('bo')).storyboards).toBe('on-command');
  });
});
