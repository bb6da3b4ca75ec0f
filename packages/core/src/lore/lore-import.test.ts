import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { encode as textChunk } from 'png-chunk-text';
import encodeChunks from 'png-chunks-encode';
import { describe, expect, it } from 'vitest';
import { parseCharacterCard, parseWorldInfo } from './character-card.js';
import { readUpload } from './import-files.js';
import { activeLore, keyMatches } from './lore-match.js';
import type { StoredLoreEntry } from './lore-types.js';

// Reading cards and world info from real-shaped files (tests/fixtures/lore, written from the public
// Character Card V2/V3 specs and SillyTavern's world-info format), and refusing bad or hostile ones
// with INVALID_INPUT naming what is wrong.

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/lore/${name}`, import.meta.url)));
const json = (name: string) => JSON.parse(Buffer.from(fixture(name)).toString('utf8'));

/** A PNG with the given text chunks (keyword → text), as a card editor saves one. */
function png(texts: Array<[string, string]>): Uint8Array {
  const ihdr = new Uint8Array(13);
  new DataView(ihdr.buffer).setUint32(0, 1);
  new DataView(ihdr.buffer).setUint32(4, 1);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return encodeChunks([
    { name: 'IHDR', data: ihdr },
    { name: 'IDAT', data: deflateSync(Buffer.from([0, 1, 2, 3, 255])) },
    ...texts.map(([keyword, text]) => textChunk(keyword, text)),
    { name: 'IEND', data: new Uint8Array(0) },
  ]);
}
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

function invalid(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect((error as { code?: string }).code).toBe('INVALID_INPUT');
    return (error as Error).message;
  }
  throw new Error('expected INVALID_INPUT');
}

describe('character cards', () => {
  it('reads a V2 card: persona prompt with names filled in, its lorebook by priority, disabled entries skipped', () => {
    const card = parseCharacterCard(readUpload(fixture('card-v2.json')));
    expect(card.persona.name).toBe('Captain Mirelle Vane');
    expect(card.persona.description).toBe('A character card by skyreach_writer.');
    expect(card.persona.prompt).toContain('Captain Mirelle Vane is the weathered captain of the airship Gullwing');
    expect(card.persona.prompt).toContain('the player has just stowed away');
    expect(card.persona.prompt).toContain('## Personality\ndry-witted');
    expect(card.persona.prompt).not.toMatch(/\{\{(char|user|original)\}\}/);
    // markup that is not hostile stays as text
    expect(card.persona.prompt).toContain('<b>Loyal</b>');
    expect(card.entries).toEqual([
      expect.objectContaining({ keys: ['Brass Syndicate', 'Syndicate'], priority: 10, constant: false }),
      expect.objectContaining({ keys: ['Gullwing'], priority: 50 }),
      expect.objectContaining({ keys: [], constant: true, priority: 5 }),
    ]);
    expect(card.skipped).toBe(1);
  });

  it('reads a V3 card: the nickname stands for {{char}}, regex-keyed entries are skipped', () => {
    const card = parseCharacterCard(readUpload(fixture('card-v3.json')));
    expect(card.persona.name).toBe('Archivist Oren Thale of the Lantern Library');
    expect(card.persona.prompt).toContain('Oren keeps the Lantern Library');
    expect(card.entries.map((entry) => entry.keys)).toEqual([['Lantern Library', 'library']]);
    expect(card.skipped).toBe(1);
  });

  it('reads the card in a PNG: `chara` for V2, `ccv3` preferred over `chara` for V3', () => {
    expect(parseCharacterCard(readUpload(fixture('card-v2.png'))).persona.name).toBe('Captain Mirelle Vane');
    const v3 = parseCharacterCard(readUpload(fixture('card-v3.png')));
    expect(v3.persona.name).toBe('Archivist Oren Thale of the Lantern Library');
  });

  it('refuses files that are not cards, naming what is wrong', () => {
    expect(invalid(() => readUpload(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])))).toMatch(/JPEG/);
    expect(invalid(() => readUpload(new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])))).toMatch(/ZIP/);
    expect(invalid(() => readUpload(Buffer.from('%PDF-1.7 zip bomb renamed')))).toMatch(/PDF/);
    expect(invalid(() => readUpload('{"spec": "chara_card_v2", "data": '))).toMatch(/not valid JSON/);
    expect(invalid(() => readUpload(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])))).toMatch(/UTF-8/);
    // a 50 MB JSON is refused by its size, before it is parsed
    const huge = `{"entries":{"0":{"key":["a"],"content":"${'x'.repeat(50 * 1024 * 1024)}"}}}`;
    expect(invalid(() => readUpload(huge))).toMatch(/larger than 4 MB/);
    expect(invalid(() => parseCharacterCard({ name: 'V1 card', description: 'old' }))).toMatch(/spec is missing/);
    expect(invalid(() => parseCharacterCard({ spec: 'chara_card_v2' }))).toMatch(/data is missing/);
    const v2 = json('card-v2.json');
    expect(invalid(() => parseCharacterCard({ ...v2, data: { ...v2.data, name: undefined } }))).toBe(
      'data.name is missing.',
    );
    expect(invalid(() => parseCharacterCard({ ...v2, data: { ...v2.data, description: 42 } }))).toBe(
      'data.description must be text.',
    );
    const entries = [...v2.data.character_book.entries];
    entries[1] = { ...entries[1], content: undefined };
    expect(invalid(() => parseCharacterCard({ ...v2, data: { ...v2.data, character_book: { entries } } }))).toBe(
      'data.character_book.entries[1].content is missing.',
    );
  });

  it('refuses script markup in any field it reads, naming the field', () => {
    const v2 = json('card-v2.json');
    const withField = (key: string, value: string) => ({ ...v2, data: { ...v2.data, [key]: value } });
    expect(invalid(() => parseCharacterCard(withField('description', 'Hi <script>alert(1)</script>')))).toBe(
      'data.description contains markup <script>; remove it and try again.',
    );
    expect(invalid(() => parseCharacterCard(withField('name', '<img src=x onerror=alert(1)>')))).toMatch(
      /^data\.name contains an event handler attribute/,
    );
    expect(invalid(() => parseCharacterCard(withField('scenario', '[click](javascript:alert(1))')))).toMatch(
      /^data\.scenario contains a script URL/,
    );
    const book = { entries: [{ keys: ['x'], content: '<iframe src="https://evil.example">', enabled: true }] };
    expect(invalid(() => parseCharacterCard({ ...v2, data: { ...v2.data, character_book: book } }))).toMatch(
      /^data\.character_book\.entries\[0\]\.content contains markup <iframe>/,
    );
  });

  it('refuses broken PNGs: truncated, damaged, forged lengths, no card, bad base64', () => {
    const good = fixture('card-v2.png');
    expect(invalid(() => readUpload(good.subarray(0, good.length - 40)))).toMatch(/PNG is truncated/);
    expect(invalid(() => readUpload(good.subarray(0, 30)))).toMatch(/PNG is truncated/);
    const damaged = new Uint8Array(good);
    damaged[40] = (damaged[40] ?? 0) ^ 0xff;
    expect(invalid(() => readUpload(damaged))).toMatch(/PNG is damaged|truncated/);
    const forged = new Uint8Array(good);
    new DataView(forged.buffer).setUint32(8, 0xfffffff0);
    expect(invalid(() => readUpload(forged))).toMatch(/PNG is truncated/);
    expect(invalid(() => readUpload(png([['Comment', 'just a picture']])))).toMatch(/holds no character card/);
    expect(invalid(() => readUpload(png([['chara', 'not base64 at all!']])))).toMatch(/"chara" chunk is not base64/);
    expect(invalid(() => readUpload(png([['chara', Buffer.from('{nope').toString('base64')]])))).toMatch(
      /"chara" chunk is not valid JSON/,
    );
    expect(parseCharacterCard(readUpload(png([['chara', b64(json('card-v2.json'))]]))).persona.name).toBe(
      'Captain Mirelle Vane',
    );
  });
});

describe('world info', () => {
  it('reads a SillyTavern world-info file: order as priority, constant kept, disabled skipped', () => {
    const { entries, skipped } = parseWorldInfo(readUpload(fixture('world-info.json')));
    expect(entries).toEqual([
      {
        keys: ['Port Aster', 'Aster'],
        content: expect.stringContaining('Port Aster clings'),
        constant: false,
        priority: 100,
      },
      {
        keys: ['aether'],
        content: expect.stringContaining('Aether is a pale blue gas'),
        constant: false,
        priority: 90,
      },
      { keys: [], content: 'The Skyreach is a world of wind, debt and stubborn hope.', constant: true, priority: 200 },
    ]);
    expect(skipped).toBe(1);
  });

  it('refuses what is not world info, naming what is wrong', () => {
    expect(invalid(() => parseWorldInfo([]))).toMatch(/JSON object/);
    expect(invalid(() => parseWorldInfo({ name: 'x' }))).toMatch(/entries is missing/);
    expect(invalid(() => parseWorldInfo(json('card-v2.json')))).toMatch(/character card/);
    expect(invalid(() => parseWorldInfo({ entries: { 7: { key: ['a'] } } }))).toBe('entries["7"].content is missing.');
    expect(invalid(() => parseWorldInfo({ entries: { 7: { key: ['a'], content: 'x', order: 'high' } } }))).toBe(
      'entries["7"].priority must be a number.',
    );
    expect(invalid(() => parseWorldInfo({ entries: { 1: { key: ['a'], content: '<svg onload=alert(1)>' } } }))).toMatch(
      /^entries\["1"\]\.content contains markup <svg>/,
    );
  });
});

describe('lore activation', () => {
  const entry = (id: string, keys: string[], constant = false): StoredLoreEntry => ({
    id,
    userId: 'u',
    keys,
    content: id,
    ...(constant && { constant }),
    scope: 'user',
    source: 'manual',
    createdAt: '2026-01-01',
    updatedAt: '2026-01-01',
  });

  it('matches keys as whole words, ignoring case', () => {
    expect(keyMatches('Aster', 'We sail to port aster tonight.')).toBe(true);
    expect(keyMatches('Aster', 'A disaster!')).toBe(false);
    expect(keyMatches('Aster', 'Asteroids')).toBe(false);
    expect(keyMatches('Brass Syndicate', 'the BRASS SYNDICATE, again')).toBe(true);
    expect(keyMatches('c++', 'she codes in C++ daily')).toBe(true);
    expect(keyMatches('Élan', 'with élan')).toBe(true);
    expect(keyMatches('   ', 'anything')).toBe(false);
  });

  it('scans only the last scanDepth messages; constant entries always come', () => {
    const entries = [entry('old', ['dragon']), entry('new', ['castle']), entry('always', [], true)];
    const messages = ['a dragon appears', 'we run', 'we hide', 'the castle gate'];
    expect(activeLore(entries, messages, 4).map((e) => e.id)).toEqual(['old', 'new', 'always']);
    expect(activeLore(entries, messages, 3).map((e) => e.id)).toEqual(['new', 'always']);
    expect(activeLore(entries, messages, 0).map((e) => e.id)).toEqual(['always']);
  });
});
