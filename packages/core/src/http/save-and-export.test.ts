import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../storage/ids.js';
import type { StoryMessage, ThreadRecord } from '../types.js';
import { MAX_MESSAGE_CHARS } from '../workflow/export-story.js';
import { PAGE_CONTENT_CHARS } from './routes/thread-views.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

/**
 * Regression (issue 18, finding 1): each `/save` stored the whole story as a new message, earlier
 * saves included, so the thread doubled with every save (49 MB at the 17th, a 407 MB SSE event at
 * the 19th) until the process died, and a thread holding such a message answered 500 for ever.
 */
let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: {
      limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 },
      features: { imageGeneration: false },
    },
  });
});
afterAll(() => app.close());

async function newThread(user: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: { title: 'The Salt Road' } });
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

async function turn(user: string, threadId: string, text: string) {
  const response = await app.call(user, `/threads/${threadId}/turns`, { method: 'POST', json: { text } });
  expect(response.status).toBe(200);
  const body = await response.text();
  return {
    bytes: Buffer.byteLength(body),
    events: (await readEvents(new Response(body))) as Array<{
      event: string;
      data: { text?: string; status?: string };
    }>,
  };
}

describe('/save and exports', () => {
  it('/save answers with a short note on how to download, not with the story', async () => {
    const thread = await newThread('saver');
    await turn('saver', thread.id, 'I follow the salt road to the ruined lighthouse.');
    const saved = await turn('saver', thread.id, '/save');
    const text = saved.events
      .filter((e) => e.event === 'message-delta')
      .map((e) => e.data.text)
      .join('');
    expect(text).toContain(`GET /threads/${thread.id}/export`);
    expect(text).not.toContain('ruined lighthouse');
    expect(text.length).toBeLessThan(600);
    expect(saved.bytes).toBeLessThan(4000);
    expect(saved.events.at(-1)).toMatchObject({ event: 'turn-end', data: { status: 'complete' } });
  });

  it('an export holds the story once, never an earlier export or a /save turn, and is a download', async () => {
    const thread = await newThread('exporter');
    await turn('exporter', thread.id, 'I light a lantern in the crypt.');
    await turn('exporter', thread.id, '/save');
    await turn('exporter', thread.id, '/SAVE now please');
    await turn('exporter', thread.id, 'I open the sarcophagus.');
    const markdown = await app.call('exporter', `/threads/${thread.id}/export`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get('content-disposition')).toBe(`attachment; filename="${thread.id}.md"`);
    const story = await markdown.text();
    expect(story.match(/I light a lantern in the crypt\./g)).toHaveLength(1);
    expect(story).toContain('I open the sarcophagus.');
    expect(story).not.toMatch(/\/save|GET \/threads/i);
    expect(story.match(/^# /gm)).toHaveLength(1);

    const json = await app.call('exporter', `/threads/${thread.id}/export?format=json`);
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="${thread.id}.json"`);
    const exported = (await json.json()) as { thread: ThreadRecord; messages: StoryMessage[] };
    expect(exported.thread.id).toBe(thread.id);
    expect(exported.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    // the thread itself still shows the player's /save and the note that answered it
    const view = (await (await app.call('exporter', `/threads/${thread.id}`)).json()) as { messages: StoryMessage[] };
    expect(view.messages.filter((m) => m.kind === 'system')).toHaveLength(2);
  });

  it('50 /saves keep the thread and every answer small, and exports the same size', async () => {
    const thread = await newThread('growth');
    await turn('growth', thread.id, 'I set sail for the drowned isles.');
    let largestSave = 0;
    const exportSizes: number[] = [];
    for (let i = 0; i < 50; i++) {
      largestSave = Math.max(largestSave, (await turn('growth', thread.id, '/save')).bytes);
      const exported = await app.call('growth', `/threads/${thread.id}/export`);
      exportSizes.push(Buffer.byteLength(await exported.text()));
    }
    expect(largestSave).toBeLessThan(4000);
    expect(new Set(exportSizes).size).toBe(1);
    expect(exportSizes[0]).toBeLessThan(5000);
    const stored = await app.dd.storage.listMessages(thread.id);
    expect(stored).toHaveLength(2 + 50 * 2);
    const storedChars = stored.reduce((sum, m) => sum + m.content.length, 0);
    expect(storedChars).toBeLessThan(50 * 600 + 5000);
  });

  it('a thread holding a huge old export still answers GET /threads/:id, /messages and /export, bounded', async () => {
    const thread = await newThread('legacy');
    await turn('legacy', thread.id, 'I read the old map.');
    // what a version before the fix left behind: a /save turn whose reply is a 3 MB story, and
    // some other oversized message
    const turnId = newId('turn');
    const at = () => new Date().toISOString();
    const legacy: StoryMessage[] = [
      {
        id: newId('msg'),
        threadId: thread.id,
        turnId,
        role: 'user',
        kind: 'player',
        content: '/save',
        createdAt: at(),
        status: 'complete',
      },
      {
        id: newId('msg'),
        threadId: thread.id,
        turnId,
        role: 'tool',
        kind: 'system',
        content: `# The Salt Road\n\n${'old story '.repeat(300_000)}`,
        createdAt: at(),
        status: 'complete',
      },
      {
        id: newId('msg'),
        threadId: thread.id,
        turnId: newId('turn'),
        role: 'assistant',
        kind: 'narration',
        content: 'long '.repeat(400_000),
        createdAt: at(),
        status: 'complete',
      },
    ];
    for (const message of legacy) await app.dd.storage.appendMessage(message);
    await turn('legacy', thread.id, 'I fold the map away.');

    for (const path of [`/threads/${thread.id}`, `/threads/${thread.id}/messages?limit=500`]) {
      const response = await app.call('legacy', path);
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body.length, path).toBeLessThan(PAGE_CONTENT_CHARS + 100_000);
      const { messages, hasMore } = JSON.parse(body) as { messages: StoryMessage[]; hasMore: boolean };
      expect(messages.every((m) => m.content.length < MAX_MESSAGE_CHARS + 100)).toBe(true);
      expect(messages.at(-1)?.content).toBeDefined();
      expect(messages.some((m) => m.content.includes('more characters not shown'))).toBe(true);
      // the newest messages come first in a page; older ones wait for the next page
      expect(messages.map((m) => m.role).at(-2)).toBe('user');
      expect(typeof hasMore).toBe('boolean');
    }

    const exported = await app.call('legacy', `/threads/${thread.id}/export`);
    expect(exported.status).toBe(200);
    const story = await exported.text();
    expect(story).not.toContain('old story');
    expect(story).toContain('I fold the map away.');
    expect(story.length).toBeLessThan(MAX_MESSAGE_CHARS + 20_000);
  });
});
