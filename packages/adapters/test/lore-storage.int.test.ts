import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPostgresStorage } from '@dreamdeck/adapters/postgres';
import { createSqliteStorage, type SqliteStorage } from '@dreamdeck/adapters/sqlite';
import {
  createDemoModel,
  createDreamdeck,
  createMemoryStorage,
  type Dreamdeck,
  type DreamdeckConfigInput,
  type PromptContext,
  type StorageAdapter,
  type StorySession,
} from '@dreamdeck/core';
import { afterAll, describe, expect, it } from 'vitest';
import { POSTGRES_TEST_URL, requirePostgres, uniqueSchema } from '../../../tests/support/postgres.js';
import { rawText } from './support/encrypted-turn.js';
import { dropSchema } from './support/postgres-inspector.js';
import { tempDir } from './support/temp-dir.js';

// The lorebook and the author's note through the engine on every storage (memory, a real SQLite
// file, a real PostgreSQL schema): entries enter the prompt by key within the scan depth and by
// priority within the budget, thread entries stay in their thread, imports are all or nothing, and
// everything is still there for a new engine on the same storage.

const postgres = await requirePostgres();
const dir = tempDir('dreamdeck-lore-');
const schemas: string[] = [];
afterAll(async () => {
  dir.remove();
  if (postgres) for (const schema of schemas) await dropSchema(POSTGRES_TEST_URL, schema);
});

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../tests/fixtures/lore/${name}`, import.meta.url)));

interface Backend {
  name: string;
  /** Opens the same storage again (a restart). */
  open: () => StorageAdapter;
  skip?: boolean;
}

const memoryStorage = createMemoryStorage();
const schema = uniqueSchema('dd_test_lore');
schemas.push(schema);
const backends: Backend[] = [
  // the same memory storage object "reopened": memory storage does not survive a restart
  { name: 'memory', open: () => memoryStorage },
  { name: 'sqlite', open: () => createSqliteStorage({ path: join(dir.path, 'lore.db') }) },
  {
    name: 'postgres',
    skip: !postgres,
    open: () => createPostgresStorage({ connectionString: POSTGRES_TEST_URL, schema }),
  },
];

function engine(storage: StorageAdapter, lore: DreamdeckConfigInput['lore'] = {}): Promise<Dreamdeck> {
  return createDreamdeck({
    storage,
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: {
      logging: { level: 'silent' },
      features: { imageGeneration: false },
      limits: { turnsPerMinute: 100_000, apiCallsPerHour: 10_000_000 },
      memory: { extract: false },
      lore,
    },
  });
}

async function play(session: StorySession, text: string) {
  const turn = session.send(text);
  for await (const _ of turn) {
    // drain
  }
  expect((await turn.result).status).toBe('complete');
}

const loreOf = (context: PromptContext) => {
  const last = context.messages.at(-1)?.content ?? '';
  const match = /World info:\n([\s\S]*?)(?:\n\n|\n<\/context>)/.exec(last);
  return match?.[1] ?? '';
};
const tokensOf = (context: PromptContext, name: string) => context.sections.find((s) => s.name === name)?.tokens;

describe.each(backends)('lore on $name storage', (backend) => {
  it.skipIf(backend.skip)('enters the prompt by key, scan depth, priority and budget; survives a restart', async () => {
    const storage = backend.open();
    const dd = await engine(storage, { scanDepth: 3 });
    const userId = `usr_lore_${backend.name}`;
    const a = await dd.openSession({ userId, title: 'A' });
    const b = await dd.openSession({ userId, title: 'B' });
    const syndicate = await dd.lore.add(userId, {
      keys: ['Brass Syndicate'],
      content: 'The Brass Syndicate wears copper masks.',
      priority: 5,
    });
    const threadOnly = await dd.lore.add(userId, {
      keys: ['Quzzlewick'],
      content: 'Quzzlewick is the ferryman of story A.',
      threadId: a.threadId,
      priority: 2,
    });
    const always = await dd.lore.add(userId, { content: 'It always rains in Port Aster.', constant: true });
    expect(threadOnly.scope).toBe('thread');
    expect((await dd.lore.list(userId, { threadId: b.threadId })).map((e) => e.id)).toEqual([syndicate.id, always.id]);

    // by key, whole word, case-insensitive; the thread entry only in its thread
    expect(loreOf(await a.context('I ask QUZZLEWICK about the brass syndicate.'))).toBe(
      '- The Brass Syndicate wears copper masks.\n- Quzzlewick is the ferryman of story A.\n- It always rains in Port Aster.',
    );
    expect(loreOf(await b.context('I ask Quzzlewick about the Syndicates.'))).toBe('- It always rains in Port Aster.');
    const noKey = await a.context('I look around.');
    expect(loreOf(noKey)).toBe('- It always rains in Port Aster.');
    expect(tokensOf(noKey, 'lore')).toBeGreaterThan(0);

    // scan depth 3: the new text and the two messages before it; a turn later the key is four back
    await play(a, 'I whisper the name Quzzlewick.');
    expect(loreOf(await a.context('And then?'))).toContain('Quzzlewick is the ferryman');
    await play(a, 'I wait.');
    expect(loreOf(await a.context('And then?'))).not.toContain('Quzzlewick');

    // update and remove; another user's id is NOT_FOUND
    await dd.lore.update(userId, always.id, { content: 'It always snows in Port Aster.' });
    await expect(dd.lore.update('someone-else', always.id, { content: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(dd.lore.remove('someone-else', always.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(dd.lore.list('someone-else', { threadId: a.threadId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(dd.lore.add(userId, { keys: [], content: 'no trigger' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'An entry needs at least one key (or constant: true).',
    });
    expect(loreOf(await b.context('Hello'))).toBe('- It always snows in Port Aster.');

    // the author's note: near the end, after the lore; null clears it
    await a.setAuthorsNote('Write in the present tense. Keep it eerie.');
    const noted = await a.context('I open the door.');
    const last = noted.messages.at(-1)?.content ?? '';
    expect(last).toMatch(
      /World info:[\s\S]*Author's note:\n- Write in the present tense\. Keep it eerie\.\n<\/context>/,
    );
    expect(tokensOf(noted, 'authors-note')).toBeGreaterThan(0);
    expect(tokensOf(await b.context('x'), 'authors-note')).toBe(0);
    await dd.close();

    // a restart: a new engine on the same storage finds the entries and the note
    const again = await engine(backend.open(), { scanDepth: 3, budgetTokens: 16 });
    const reopened = await again.openSession({ userId, threadId: a.threadId });
    expect(await reopened.authorsNote()).toBe('Write in the present tense. Keep it eerie.');
    expect((await again.lore.list(userId)).length).toBe(3);
    // a 16-token budget holds only the higher-priority entry of the two that match
    expect(loreOf(await reopened.context('The Brass Syndicate is here.'))).toBe(
      '- The Brass Syndicate wears copper masks.',
    );
    await reopened.setAuthorsNote(null);
    expect(tokensOf(await reopened.context('x'), 'authors-note')).toBe(0);
    // deleting story A deletes its thread entry, not the player's others
    await reopened.delete();
    expect((await again.lore.list(userId)).map((e) => e.id).sort()).toEqual([syndicate.id, always.id].sort());
    await again.close();
  });

  it.skipIf(backend.skip)('imports cards and world info, all or nothing; a card persona narrates', async () => {
    const storage = backend.name === 'memory' ? createMemoryStorage() : backend.open();
    const dd = await engine(storage);
    const userId = `usr_import_${backend.name}`;
    const card = await dd.lore.importCard(userId, fixture('card-v2.png'));
    expect(card.persona).toMatchObject({ name: 'Captain Mirelle Vane', icon: '🃏' });
    expect(card.persona.id).toMatch(/^persona_/);
    expect(card.entries).toHaveLength(3);
    expect(card.skipped).toBe(1);
    expect((await dd.lore.personas(userId)).map((p) => p.id)).toEqual([card.persona.id]);
    expect(await dd.lore.personas('someone-else')).toEqual([]);

    // the persona narrates the user's stories, and only the user's
    const session = await dd.openSession({ userId, persona: card.persona.id });
    const context = await session.context('We fly over the Gullwing docks.');
    expect(context.messages[0]?.content).toContain('You are Captain Mirelle Vane');
    expect(loreOf(context)).toContain('temperamental aether engine');
    await play(session, 'Hello, captain.');
    // `/persona` lists it and switches to it by name, in the owner's stories
    const other = await dd.openSession({ userId });
    await play(other, '/persona');
    await play(other, '/persona Captain Mirelle Vane');
    expect((await storage.getThread(other.threadId))?.persona).toBe(card.persona.id);
    const replies = (await storage.listMessages(other.threadId)).map((message) => message.content).join('\n');
    expect(replies).toContain(`\`${card.persona.id}\` 🃏 **Captain Mirelle Vane**`);
    expect(replies).toContain('🃏 **Captain Mirelle Vane** takes over the story.');
    await expect(dd.openSession({ userId: 'someone-else', persona: card.persona.id })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });

    const world = await dd.lore.importWorldInfo(userId, fixture('world-info.json'));
    expect(world.entries.map((e) => e.keys[0] ?? '(constant)')).toEqual(['Port Aster', 'aether', '(constant)']);
    expect(world.skipped).toBe(1);
    const before = (await dd.lore.list(userId)).length;
    expect(before).toBe(6);

    // a card whose last entry is hostile: refused, nothing of it stored (no persona, no entries)
    const bad = JSON.parse(Buffer.from(fixture('card-v2.json')).toString('utf8'));
    bad.data.character_book.entries.push({ keys: ['x'], content: '<script>alert(1)</script>', enabled: true });
    await expect(dd.lore.importCard(userId, JSON.stringify(bad))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('data.character_book.entries[4].content contains markup <script>'),
    });
    const truncated = fixture('card-v3.png').subarray(0, 500);
    await expect(dd.lore.importCard(userId, truncated)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(dd.lore.importWorldInfo(userId, '{"entries": {"0": {"key": ["a"]}}}')).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'entries["0"].content is missing.',
    });
    expect((await dd.lore.list(userId)).length).toBe(before);
    expect(await dd.lore.personas(userId)).toHaveLength(1);

    await dd.lore.removePersona(userId, card.persona.id);
    expect(await dd.lore.personas(userId)).toEqual([]);
    await dd.close();
  });
});

describe('lore at rest with an encryption key', () => {
  it("keeps entries, imported personas and the author's note unreadable in the SQLite file", async () => {
    const storage = createSqliteStorage({
      path: join(dir.path, 'lore-encrypted.db'),
      encryptionKey: { current: { id: 'lore', key: 'e'.repeat(64) } },
    });
    const dd = await engine(storage);
    const session = await dd.openSession({ userId: 'usr_secret' });
    await dd.lore.add('usr_secret', { keys: ['Quillonfeather'], content: 'Quillonfeather hides the Marrowgate key.' });
    await dd.lore.importCard('usr_secret', fixture('card-v2.json'));
    await session.setAuthorsNote('Whisper about the Vanterly heist.');
    expect((await session.context('Quillonfeather?')).messages.at(-1)?.content).toContain('Marrowgate key');
    const db = (storage as SqliteStorage).database;
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    const dump = tables
      .flatMap(({ name }) =>
        (db.prepare(`SELECT * FROM "${name}"`).all() as Array<Record<string, unknown>>).map(rawText),
      )
      .join('\n');
    expect(dump).toContain('dd:enc:v1:');
    for (const secret of ['Marrowgate', 'Vanterly', 'Mirelle', 'copper masks']) expect(dump).not.toContain(secret);
    await dd.close();
  });
});
