import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredLoreEntry } from '../lore/lore-types.js';
import type { PromptContext } from '../memory/prompt-assembly.js';
import type { ThreadRecord } from '../types.js';
import { serveForTests, type TestServer } from './serve-for-tests.js';

// The lorebook, imports and the author's note over a real HTTP server: validation as the other
// routes do it, owner-only, uploads typed by their bytes with a size cap, and the prompt they make.

let app: TestServer;

beforeAll(async () => {
  app = await serveForTests({
    config: { limits: { turnsPerMinute: 10_000, apiCallsPerHour: 1_000_000 }, features: { imageGeneration: false } },
  });
});
afterAll(() => app.close());

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/lore/${name}`, import.meta.url)));
const json = async <T>(response: Response) => (await response.json()) as T;
const errorOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; message: string } }).error;

async function newThread(user: string, persona?: string): Promise<ThreadRecord> {
  const response = await app.call(user, '/threads', { method: 'POST', json: persona ? { persona } : {} });
  expect(response.status).toBe(201);
  return ((await response.json()) as { thread: ThreadRecord }).thread;
}

const upload = (user: string, body: Uint8Array | string, type = 'application/octet-stream', query = '') =>
  app.call(user, `/lore/import${query}`, { method: 'POST', body: body as BodyInit, headers: { 'content-type': type } });

describe('lore over HTTP', () => {
  it('adds, lists, changes and removes entries, owner-only, and the prompt shows them', async () => {
    const thread = await newThread('lia');
    const created = await app.call('lia', '/lore', {
      method: 'POST',
      json: { keys: ['Gullwing'], content: 'The Gullwing is an airship.', priority: 3 },
    });
    expect(created.status).toBe(201);
    const { entry } = await json<{ entry: StoredLoreEntry }>(created);
    expect(entry).toMatchObject({ keys: ['Gullwing'], scope: 'user', priority: 3, source: 'manual' });
    const threadEntry = await json<{ entry: StoredLoreEntry }>(
      await app.call('lia', '/lore', {
        method: 'POST',
        json: { content: 'Night falls early here.', constant: true, threadId: thread.id },
      }),
    );
    expect(threadEntry.entry.scope).toBe('thread');

    const listed = await json<{ entries: StoredLoreEntry[] }>(await app.call('lia', `/lore?threadId=${thread.id}`));
    expect(listed.entries.map((e) => e.id)).toEqual([entry.id, threadEntry.entry.id]);
    const context = await json<PromptContext>(
      await app.call('lia', `/threads/${thread.id}/context?text=${encodeURIComponent('I board the gullwing.')}`),
    );
    expect(context.messages.at(-1)?.content).toContain(
      'World info:\n- The Gullwing is an airship.\n- Night falls early here.',
    );

    const patched = await app.call('lia', `/lore/${entry.id}`, {
      method: 'PATCH',
      json: { content: 'The Gullwing leaks.' },
    });
    expect((await json<{ entry: StoredLoreEntry }>(patched)).entry.content).toBe('The Gullwing leaks.');

    // another player: 404 for the entry and the thread, an empty list of their own
    expect((await app.call('max', `/lore/${entry.id}`, { method: 'PATCH', json: { content: 'x' } })).status).toBe(404);
    expect((await app.call('max', `/lore/${entry.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await app.call('max', `/lore?threadId=${thread.id}`)).status).toBe(404);
    expect(await json(await app.call('max', '/lore'))).toEqual({ entries: [] });
    expect(
      (await app.call('max', '/lore', { method: 'POST', json: { content: 'x', constant: true, threadId: thread.id } }))
        .status,
    ).toBe(404);

    expect((await app.call('lia', `/lore/${entry.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await app.call('lia', `/lore/${entry.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad bodies with INVALID_INPUT', async () => {
    const bad = async (json: unknown) => {
      const response = await app.call('lia', '/lore', { method: 'POST', json });
      expect(response.status).toBe(400);
      return (await errorOf(response)).message;
    };
    expect(await bad({ keys: ['x'] })).toMatch(/content/);
    expect(await bad({ keys: ['x'], content: 'y', extra: 1 })).toMatch(/extra/);
    expect(await bad({ keys: ['x'], content: 'y', priority: 1.5 })).toMatch(/priority/);
    expect(await bad({ keys: 'x', content: 'y' })).toMatch(/keys/);
    expect(await bad({ content: 'no key' })).toBe('An entry needs at least one key (or constant: true).');
    expect(await bad({ keys: ['x'], content: 'a <script>b</script>' })).toBe(
      'content contains markup <script>; remove it and try again.',
    );
    expect(await bad({ keys: ['x'], content: 'y', scope: 'thread' })).toMatch(/threadId/);
    const patch = await app.call('lia', '/lore/lore_nothing', { method: 'PATCH', json: {} });
    expect(patch.status).toBe(400);
  });

  it('imports a PNG card (a persona only its owner sees) and world info; refuses bad files whole', async () => {
    const card = await upload('kit', fixture('card-v2.png'), 'image/png');
    expect(card.status).toBe(201);
    const imported = await json<{
      kind: string;
      persona: { id: string; name: string };
      entries: StoredLoreEntry[];
      skipped: number;
    }>(card);
    expect(imported).toMatchObject({ kind: 'card', persona: { name: 'Captain Mirelle Vane' }, skipped: 1 });
    expect(imported.entries).toHaveLength(3);

    // the persona: listed for its owner only, usable for a new thread by its owner only
    const mine = await json<{ personas: Array<{ id: string }> }>(await app.call('kit', '/personas'));
    expect(mine.personas.map((p) => p.id)).toContain(imported.persona.id);
    const theirs = await json<{ personas: Array<{ id: string }> }>(await app.call('max', '/personas'));
    expect(theirs.personas.map((p) => p.id)).not.toContain(imported.persona.id);
    const thread = await newThread('kit', imported.persona.id);
    expect(thread.persona).toBe(imported.persona.id);
    const refused = await app.call('max', '/threads', { method: 'POST', json: { persona: imported.persona.id } });
    expect(refused.status).toBe(400);

    // world info, told by its content (the header says nothing useful)
    const world = await upload('kit', fixture('world-info.json'), 'text/plain');
    expect(world.status).toBe(201);
    expect(await json(world)).toMatchObject({ kind: 'world-info', skipped: 1 });
    const v3 = await upload('kit', fixture('card-v3.json'), 'application/json');
    expect(await json(v3)).toMatchObject({
      kind: 'card',
      persona: { name: 'Archivist Oren Thale of the Lantern Library' },
    });
    const count = (await json<{ entries: unknown[] }>(await app.call('kit', '/lore'))).entries.length;

    // bad files: a JPEG called PNG, a truncated PNG, a zip, a card missing its name, hostile markup, too big
    const refuse = async (body: Uint8Array | string, pattern: RegExp, status = 400, query = '') => {
      const response = await upload('kit', body, 'image/png', query);
      expect(response.status).toBe(status);
      const error = await errorOf(response);
      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(pattern);
    };
    await refuse(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]), /JPEG/);
    await refuse(fixture('card-v2.png').subarray(0, 1000), /PNG is truncated/);
    await refuse(new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), /ZIP/);
    const v2 = JSON.parse(Buffer.from(fixture('card-v2.json')).toString('utf8'));
    await refuse(JSON.stringify({ ...v2, data: { ...v2.data, name: '' } }), /data\.name is empty/);
    await refuse(
      JSON.stringify({ ...v2, data: { ...v2.data, first_mes: '<img src=x onerror=alert(1)>' } }),
      /data\.first_mes contains an event handler/,
    );
    await refuse(JSON.stringify({ hello: 'world' }), /neither a character card/);
    await refuse(fixture('world-info.json'), /spec is missing/, 400, '?kind=card');
    await refuse('', /Send the file/);
    await refuse(new Uint8Array(11 * 1024 * 1024), /larger than/, 413);
    // past toNodeListener's own limit (1 MiB here) the body arrives cut short: too large, not "damaged"
    await refuse(new Uint8Array(2 * 1024 * 1024), /cut short/, 413);
    expect((await json<{ entries: unknown[] }>(await app.call('kit', '/lore'))).entries.length).toBe(count);
    expect((await upload('kit', 'x', 'application/json', '?kind=other')).status).toBe(400);
  });

  it("sets and clears a story's author's note, which the next prompt holds", async () => {
    const thread = await newThread('noa');
    const put = await app.call('noa', `/threads/${thread.id}/authors-note`, {
      method: 'PUT',
      json: { text: '  Keep it light and funny.  ' },
    });
    expect(await json(put)).toEqual({ text: 'Keep it light and funny.' });
    expect(await json(await app.call('noa', `/threads/${thread.id}/authors-note`))).toEqual({
      text: 'Keep it light and funny.',
    });
    const context = await json<PromptContext>(await app.call('noa', `/threads/${thread.id}/context`));
    expect(context.messages.at(-1)?.content).toContain("Author's note:\n- Keep it light and funny.");
    expect(context.sections.find((s) => s.name === 'authors-note')?.tokens).toBeGreaterThan(0);

    expect(
      (await app.call('max', `/threads/${thread.id}/authors-note`, { method: 'PUT', json: { text: 'x' } })).status,
    ).toBe(404);
    expect((await app.call('noa', `/threads/${thread.id}/authors-note`, { method: 'PUT', json: {} })).status).toBe(400);
    expect(
      (await app.call('noa', `/threads/${thread.id}/authors-note`, { method: 'PUT', json: { text: 'x'.repeat(1001) } }))
        .status,
    ).toBe(400);
    const cleared = await app.call('noa', `/threads/${thread.id}/authors-note`, {
      method: 'PUT',
      json: { text: null },
    });
    expect(await json(cleared)).toEqual({ text: null });
    const after = await json<PromptContext>(await app.call('noa', `/threads/${thread.id}/context`));
    expect(after.sections.find((s) => s.name === 'authors-note')?.tokens).toBe(0);
  });
});
