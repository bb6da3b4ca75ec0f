import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeDocument } from '../knowledge/knowledge-types.js';
import { makeTestPdf } from '../knowledge/test-pdf.js';
import type { MessagePart, StoryMessage, ThreadRecord } from '../types.js';
import { readEvents, serveForTests, type TestServer } from './serve-for-tests.js';

// The knowledge base over a real HTTP server: raw uploads typed by their bytes with a size cap,
// progress as server-sent events, owner-only documents, admin-only global ones, passages opened
// from citations, and the citations a turn's narration carries.

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 }, features: { imageGeneration: false } },
  });
});
afterAll(() => app.close());

const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

async function newThread(user: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: {} });
  expect(response.status).toBe(201);
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

const upload = (user: string, body: Uint8Array | string, type: string, query: string, accept?: string) =>
  app.call(user, `/knowledge?${query}`, {
    method: 'POST',
    body: body as BodyInit,
    headers: { 'content-type': type, ...(accept && { accept }) },
  });

const documentsOf = async (user: string, query = '') =>
  ((await (await app.call(user, `/knowledge${query}`)).json()) as { documents: KnowledgeDocument[] }).documents;

describe('knowledge over HTTP', () => {
  it('uploads markdown (201), lists it owner-only, opens a passage and deletes it', async () => {
    const created = await upload(
      'kim',
      '# Saltmere\n\nThe harbour master of Saltmere is Odile Varg.',
      'text/markdown; charset=utf-8',
      'title=Saltmere',
    );
    expect(created.status).toBe(201);
    const added = (await created.json()) as { documentId: string; chunks: number; document: KnowledgeDocument };
    expect(added).toMatchObject({ chunks: 1, document: { id: added.documentId, title: 'Saltmere', userId: 'kim' } });
    expect((await documentsOf('kim')).map((d) => d.id)).toEqual([added.documentId]);
    expect(await documentsOf('lee')).toEqual([]);

    const passage = await app.call('kim', `/knowledge/${added.documentId}/chunks/0`);
    expect(passage.status).toBe(200);
    expect(((await passage.json()) as { passage: { text: string } }).passage.text).toContain('Odile Varg');
    expect((await app.call('lee', `/knowledge/${added.documentId}/chunks/0`)).status).toBe(404);
    expect((await app.call('kim', `/knowledge/${added.documentId}/chunks/9`)).status).toBe(404);

    expect((await app.call('lee', `/knowledge/${added.documentId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await app.call('kim', `/knowledge/${added.documentId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await documentsOf('kim')).toEqual([]);
    expect((await app.call('kim', `/knowledge/${added.documentId}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('puts a document in one story, and a global one only for an admin', async () => {
    const story = await newThread('max');
    const other = await newThread('max');
    const inStory = await upload('max', 'The vault code is 4417.', 'text/plain', `title=Vault&threadId=${story.id}`);
    expect(inStory.status).toBe(201);
    expect((await documentsOf('max', `?threadId=${story.id}`)).map((d) => d.title)).toEqual(['Vault']);
    expect(await documentsOf('max', `?threadId=${other.id}`)).toEqual([]);
    expect(await documentsOf('max')).toEqual([]);
    // someone else's story: not found, nothing stored
    expect((await upload('ned', 'x', 'text/plain', `title=Sneaky&threadId=${story.id}`)).status).toBe(404);

    const refused = await upload('max', 'Shared lore.', 'text/plain', 'title=Shared&scope=global');
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('FORBIDDEN');
    const shared = await upload('admin-ann', 'Shared lore of the realm.', 'text/plain', 'title=Shared&scope=global');
    expect(shared.status).toBe(201);
    const { documentId } = (await shared.json()) as { documentId: string };
    expect((await documentsOf('max')).map((d) => d.title)).toEqual(['Shared']);
    expect((await documentsOf('ned')).map((d) => d.title)).toEqual(['Shared']);
    expect((await app.call('max', `/knowledge/${documentId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await app.call('admin-ann', `/knowledge/${documentId}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('streams status events while a PDF is read, then knowledge-added', async () => {
    const pdf = await makeTestPdf(
      Array.from({ length: 25 }, (_, page) => [`Page ${page + 1}: the river Ost floods every spring.`]),
    );
    const response = await upload('ola', pdf, 'application/pdf', 'title=Rivers', 'text/event-stream');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readEvents(response);
    const status = events.filter((e) => e.event === 'status').map((e) => (e.data as { text: string }).text);
    expect(status).toEqual(expect.arrayContaining(['Reading page 10 of 25', 'Reading page 25 of 25']));
    expect(events.at(-1)).toMatchObject({ event: 'knowledge-added', data: { chunks: expect.any(Number) } });
    expect((await documentsOf('ola')).map((d) => d.mimeType)).toEqual(['application/pdf']);
  });

  it('refuses bad and hostile uploads with what is wrong, and stores nothing', async () => {
    const pdf = await makeTestPdf([['One page.']]);
    const zipBomb = new Uint8Array([0x50, 0x4b, 0x03, 0x04, ...deflateSync(Buffer.alloc(2_000_000))]);
    const cases: Array<[Uint8Array | string, string, string, number, RegExp]> = [
      [zipBomb, 'application/pdf', 'title=bomb.pdf', 400, /not a PDF \(it is a ZIP archive\)/],
      [pdf.slice(0, 300), 'application/pdf', 'title=truncated', 400, /truncated or damaged/],
      [pdf, 'text/plain', 'title=liar', 400, /is a PDF, not text\/plain/],
      [new Uint8Array([0xff, 0xfe, 0x00, 0x41]), 'text/plain', 'title=utf16', 400, /UTF-8|NUL/],
      ['text', 'image/png', 'title=png', 400, /reads text\/plain/],
      ['text', 'text/plain', '', 400, /title/],
      ['', 'text/plain', 'title=empty', 400, /empty/],
    ];
    for (const [body, type, query, status, message] of cases) {
      const response = await upload('pia', body, type, query);
      expect({ query, status: response.status }).toEqual({ query, status });
      const error = await errorOf(response);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(message);
    }
    // over the cap: 413 from the declared length, before the body is read
    const big = await upload('pia', new Uint8Array(20 * 1024 * 1024 + 1), 'text/plain', 'title=big');
    expect(big.status).toBe(413);
    expect((await errorOf(big)).code).toBe('INVALID_INPUT');
    // with a stream asked for, a bad file ends the stream with an error event
    const streamed = await readEvents(
      await upload('pia', zipBomb, 'application/pdf', 'title=bomb', 'text/event-stream'),
    );
    expect(streamed.at(-1)).toMatchObject({ event: 'error', data: { code: 'INVALID_INPUT' } });
    expect(await documentsOf('pia')).toEqual([]);
  });

  it('a turn’s narration cites the passage it was given', async () => {
    const thread = await newThread('quinn');
    await upload(
      'quinn',
      'The lighthouse keeper of Harrow Point is called Bram Ashcroft.',
      'text/plain',
      'title=Harrow',
    );
    const turn = await app.call('quinn', `/threads/${thread.id}/turns`, {
      method: 'POST',
      json: { text: 'Who keeps the lighthouse at Harrow Point?' },
    });
    const end = (await readEvents(turn)).filter((e) => e.event === 'message-end').at(-1)!.data as {
      message: StoryMessage;
    };
    const citations = (end.message.parts ?? []).filter((p: MessagePart) => p.type === 'citation');
    expect(citations).toEqual([expect.objectContaining({ type: 'citation', title: 'Harrow' })]);
    expect(end.message.content).toContain('Bram Ashcroft');
  });
});
