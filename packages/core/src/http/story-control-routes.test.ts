import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryMessage, ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 }, features: { imageGeneration: false } },
  });
});
afterAll(() => app.close());

async function storyOf(user: string, turns: number): Promise<{ thread: ThreadRecord; messages: StoryMessage[] }> {
  const created = await app.call(user, '/threads', { method: 'POST', json: {} });
  const { thread } = (await created.json()) as { thread: ThreadRecord };
  for (let i = 0; i < turns; i++) {
    const response = await app.call(user, `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: `I open door ${i}` },
    });
    await response.text();
  }
  return { thread, messages: await messagesOf(user, thread.id) };
}

async function messagesOf(user: string, threadId: string): Promise<StoryMessage[]> {
  return ((await (await app.call(user, `/threads/${threadId}`)).json()) as { messages: StoryMessage[] }).messages;
}

async function errorOf(response: Response): Promise<{ status: number; code: string }> {
  const body = (await response.json()) as { error: { code: string } };
  return { status: response.status, code: body.error.code };
}

describe('story control routes', () => {
  it('PATCH /threads/:id/messages/:mid edits in place, or with rerun streams the new turn', async () => {
    const { thread, messages } = await storyOf('eve', 2);
    const edited = await app.call('eve', `/threads/${thread.id}/messages/${messages[1]!.id}`, {
      method: 'PATCH',
      json: { text: 'The door is locked.' },
    });
    expect(edited.status).toBe(200);
    expect(((await edited.json()) as { message: StoryMessage }).message.content).toBe('The door is locked.');

    const rerun = await app.call('eve', `/threads/${thread.id}/messages/${messages[2]!.id}`, {
      method: 'PATCH',
      json: { text: 'I climb through the window', rerun: true },
    });
    expect(rerun.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(rerun);
    expect(events[0]?.event).toBe('turn-start');
    expect(events.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'complete' } });
    const after = await messagesOf('eve', thread.id);
    expect(after.map((m) => m.content).slice(0, 3)).toEqual([
      messages[0]!.content,
      'The door is locked.',
      'I climb through the window',
    ]);
    expect(after).toHaveLength(4);

    const bad = await app.call('eve', `/threads/${thread.id}/messages/${messages[1]!.id}`, {
      method: 'PATCH',
      json: { text: '   ' },
    });
    expect(await errorOf(bad)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    const extra = await app.call('eve', `/threads/${thread.id}/messages/${messages[1]!.id}`, {
      method: 'PATCH',
      json: { text: 'x', role: 'system' },
    });
    expect(extra.status).toBe(400);
  });

  it('POST /threads/:id/rewind rewinds and answers the story as it is now', async () => {
    const { thread, messages } = await storyOf('rae', 2);
    const response = await app.call('rae', `/threads/${thread.id}/rewind`, {
      method: 'POST',
      json: { messageId: messages[2]!.id },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { rewound: number; messages: StoryMessage[] };
    expect(body.rewound).toBe(2);
    expect(body.messages.map((m) => m.id)).toEqual(messages.slice(0, 2).map((m) => m.id));
    expect((await messagesOf('rae', thread.id)).map((m) => m.id)).toEqual(messages.slice(0, 2).map((m) => m.id));
    const again = await app.call('rae', `/threads/${thread.id}/rewind`, {
      method: 'POST',
      json: { messageId: messages[2]!.id },
    });
    expect(await errorOf(again)).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('POST /threads/:id/branch answers 201 with the new thread, listed with where it came from', async () => {
    const { thread, messages } = await storyOf('bo', 2);
    const response = await app.call('bo', `/threads/${thread.id}/branch`, {
      method: 'POST',
      json: { messageId: messages[1]!.id },
    });
    expect(response.status).toBe(201);
    const branch = ((await response.json()) as { thread: ThreadRecord }).thread;
    expect(branch).toMatchObject({ parentThreadId: thread.id, branchedFromMessageId: messages[1]!.id });
    expect((await messagesOf('bo', branch.id)).map((m) => m.content)).toEqual(
      messages.slice(0, 2).map((m) => m.content),
    );
    const listed = (await (await app.call('bo', '/threads')).json()) as { threads: ThreadRecord[] };
    expect(listed.threads.find((t) => t.id === branch.id)?.parentThreadId).toBe(thread.id);
    // another player's story is not there to branch
    const foreign = await app.call('mallory', `/threads/${thread.id}/branch`, {
      method: 'POST',
      json: { messageId: messages[1]!.id },
    });
    expect(foreign.status).toBe(404);
  });

  it('POST /threads/:id/continue streams deltas onto the latest reply', async () => {
    const { thread, messages } = await storyOf('cy', 1);
    const response = await app.call('cy', `/threads/${thread.id}/continue`, { method: 'POST' });
    const events = await readEvents(response);
    expect(events.find((e) => e.event === 'message-start')?.data).toMatchObject({ messageId: messages[1]!.id });
    expect(events.some((e) => e.event === 'message-delta')).toBe(true);
    const [, reply] = await messagesOf('cy', thread.id);
    expect(reply!.content.length).toBeGreaterThan(messages[1]!.content.length);
  });

  it('POST /threads/:id/messages/:mid/select shows another version; a bad index is 400', async () => {
    const { thread, messages } = await storyOf('di', 1);
    await (
      await app.call('di', `/threads/${thread.id}/messages/${messages[1]!.id}/regenerate`, { method: 'POST' })
    ).text();
    const select = (index: unknown) =>
      app.call('di', `/threads/${thread.id}/messages/${messages[1]!.id}/select`, { method: 'POST', json: { index } });
    const shown = await select(0);
    expect(shown.status).toBe(200);
    const message = ((await shown.json()) as { message: StoryMessage }).message;
    expect(message).toMatchObject({ content: messages[1]!.content, alternativeIndex: 0 });
    expect(await errorOf(await select(5))).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect((await select('1')).status).toBe(400);
  });

  it('POST /threads/import reads an export (as it is, or as a file’s text) and a SillyTavern chat; bad files are 400', async () => {
    const { thread } = await storyOf('fay', 1);
    const exported = await (await app.call('fay', `/threads/${thread.id}/export?format=json`)).text();
    const asObject = await app.call('fay', '/threads/import', { method: 'POST', json: JSON.parse(exported) });
    expect(asObject.status).toBe(201);
    const imported = ((await asObject.json()) as { thread: ThreadRecord }).thread;
    expect(imported.id).not.toBe(thread.id);
    expect(await messagesOf('fay', imported.id)).toHaveLength(2);
    const asText = await app.call('fay', '/threads/import', { method: 'POST', json: { text: exported } });
    expect(asText.status).toBe(201);
    const tavern = [
      JSON.stringify({ user_name: 'Fay', character_name: 'Aria', chat_metadata: {} }),
      JSON.stringify({ name: 'Aria', is_user: false, send_date: '2024-01-01T10:00:00Z', mes: 'Hello.' }),
    ].join('\n');
    const fromTavern = await app.call('fay', '/threads/import', { method: 'POST', json: { text: tavern } });
    expect(fromTavern.status).toBe(201);
    const threads = ((await (await app.call('fay', '/threads')).json()) as { threads: ThreadRecord[] }).threads;
    expect(threads).toHaveLength(4);
    const bad = await app.call('fay', '/threads/import', { method: 'POST', json: { text: 'hello\nworld' } });
    expect(await errorOf(bad)).toEqual({ status: 400, code: 'INVALID_INPUT' });
    expect(((await (await app.call('fay', '/threads')).json()) as { threads: ThreadRecord[] }).threads).toHaveLength(4);
  });

  it('answers 409 CONFLICT to a control while a turn runs', async () => {
    const slow = await serveForTests({
      latencyMs: 5,
      config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 }, features: { imageGeneration: false } },
    });
    try {
      const created = await slow.call('gus', '/threads', { method: 'POST', json: {} });
      const { thread } = (await created.json()) as { thread: ThreadRecord };
      await (
        await slow.call('gus', `/threads/${thread.id}/turns`, { method: 'POST', json: { text: 'I wait' } })
      ).text();
      const [player] = (
        (await (await slow.call('gus', `/threads/${thread.id}`)).json()) as { messages: StoryMessage[] }
      ).messages;
      const running = await slow.call('gus', `/threads/${thread.id}/turns`, {
        method: 'POST',
        json: { text: 'I run' },
      });
      const reader = running.body!.getReader();
      await reader.read();
      const rewind = await slow.call('gus', `/threads/${thread.id}/rewind`, {
        method: 'POST',
        json: { messageId: player!.id },
      });
      expect(await errorOf(rewind)).toEqual({ status: 409, code: 'CONFLICT' });
      await reader.cancel();
    } finally {
      await slow.close();
    }
  });
});
