import type { PersonaConfig } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import { cleanEntryFields, cleanField, MAX_LORE_CONTENT } from './lore-text.js';

// Character Card V2 (`chara_card_v2`, malfoy/character-card-spec-v2) and V3 (`chara_card_v3`,
// kwaroran/character-card-spec-v3) → a persona prompt and lore entries. Only text fields are read;
// each is cleaned and checked like typed lore, and the whole card is checked before anything is
// stored, so a bad card stores nothing.

/** Longest persona prompt made from a card, in characters. */
export const MAX_CARD_PROMPT = 32_000;
/** Most lorebook entries read from one file. */
export const MAX_IMPORT_ENTRIES = 1000;

/** A lore entry read from a file, checked, not yet stored. */
export interface ImportedEntry {
  keys: string[];
  content: string;
  constant: boolean;
  priority: number | undefined;
}

/** What a card holds, checked. */
export interface ParsedCard {
  /** The persona (without an id). */
  persona: PersonaConfig;
  /** The `character_book` entries that are enabled and can trigger. */
  entries: ImportedEntry[];
  /** Entries left out: disabled, empty, regex keys (not supported), or with no key and not constant. */
  skipped: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{{char}}` and `{{user}}` (and the old `<BOT>` / `<USER>`) as the story reads them. */
function fillNames(text: string, name: string): string {
  return text
    .replace(/\{\{char\}\}|<bot>/gi, name)
    .replace(/\{\{user\}\}|<user>/gi, 'the player')
    .replace(/\{\{original\}\}/gi, '');
}

/** Reads the lorebook entries of a card (`character_book`) or of the same shape. */
export function parseBookEntries(book: unknown, path: string): { entries: ImportedEntry[]; skipped: number } {
  if (book === undefined || book === null) return { entries: [], skipped: 0 };
  if (!isObject(book)) throw new DreamdeckError('INVALID_INPUT', `${path} must be an object.`);
  if (!Array.isArray(book.entries)) throw new DreamdeckError('INVALID_INPUT', `${path}.entries must be a list.`);
  if (book.entries.length > MAX_IMPORT_ENTRIES)
    throw new DreamdeckError('INVALID_INPUT', `${path}.entries has more than ${MAX_IMPORT_ENTRIES} entries.`);
  const entries: ImportedEntry[] = [];
  let skipped = 0;
  book.entries.forEach((raw, index) => {
    const at = `${path}.entries[${index}]`;
    if (!isObject(raw)) throw new DreamdeckError('INVALID_INPUT', `${at} must be an object.`);
    if (typeof raw.content !== 'string') throw new DreamdeckError('INVALID_INPUT', `${at}.content is missing.`);
    if (raw.keys !== undefined && !Array.isArray(raw.keys))
      throw new DreamdeckError('INVALID_INPUT', `${at}.keys must be a list.`);
    const keys = (raw.keys as unknown[] | undefined) ?? [];
    if (
      raw.enabled === false ||
      raw.use_regex === true ||
      !raw.content.trim() ||
      (raw.constant !== true && keys.length === 0)
    ) {
      skipped++;
      return;
    }
    const priority = typeof raw.priority === 'number' ? raw.priority : raw.insertion_order;
    entries.push(
      cleanEntryFields(
        { keys, content: raw.content, constant: raw.constant === true, priority: priority as number },
        at,
        {
          clamp: true,
        },
      ),
    );
  });
  return { entries, skipped };
}

/**
 * Checks a parsed character card and turns it into a persona and lore entries. `INVALID_INPUT`
 * naming the field for anything wrong: not a V2/V3 card, a missing name or description, a field
 * that is not text, hostile markup, too long.
 */
export function parseCharacterCard(card: unknown): ParsedCard {
  if (!isObject(card)) throw new DreamdeckError('INVALID_INPUT', 'A character card is a JSON object.');
  if (card.spec !== 'chara_card_v2' && card.spec !== 'chara_card_v3') {
    const spec = typeof card.spec === 'string' ? `"${card.spec.slice(0, 40)}"` : 'missing';
    throw new DreamdeckError(
      'INVALID_INPUT',
      `spec is ${spec}: only Character Card V2 ("chara_card_v2") and V3 ("chara_card_v3") are read.`,
    );
  }
  const data = card.data;
  if (!isObject(data))
    throw new DreamdeckError('INVALID_INPUT', 'data is missing (the card holds its fields in "data").');
  const name = cleanField(data.name, 'data.name', 80, { required: true }).replace(/\s+/g, ' ');
  const nickname = card.spec === 'chara_card_v3' ? cleanField(data.nickname, 'data.nickname', 80) : '';
  const called = nickname || name;
  const field = (key: string, max = MAX_CARD_PROMPT, required = false) =>
    fillNames(cleanField(data[key], `data.${key}`, max, { required }), called);
  const description = field('description', MAX_CARD_PROMPT, true);
  const sections: Array<[string, string]> = [
    ['', field('system_prompt')],
    [`## ${called}`, description],
    ['## Personality', field('personality')],
    ['## Scenario', field('scenario')],
    ['## The opening scene', field('first_mes')],
    ['## Example dialogue', field('mes_example')],
    ['', field('post_history_instructions')],
  ];
  const creator = cleanField(data.creator, 'data.creator', 200).replace(/\s+/g, ' ').slice(0, 80);
  const intro =
    'You are {{name}}, a character in an interactive story with the player. Stay in character: write ' +
    "{{name}}'s words and actions, never the player's. Besides the story you may: {{tools}}.";
  const prompt = [
    intro,
    ...sections.filter(([, text]) => text).map(([heading, text]) => (heading ? `${heading}\n${text}` : text)),
  ].join('\n\n');
  if (prompt.length > MAX_CARD_PROMPT)
    throw new DreamdeckError('INVALID_INPUT', `The card's text is longer than ${MAX_CARD_PROMPT} characters.`);
  const { entries, skipped } = parseBookEntries(data.character_book, 'data.character_book');
  for (const entry of entries) entry.content = fillNames(entry.content, called).slice(0, MAX_LORE_CONTENT);
  return {
    persona: {
      name,
      description: creator ? `A character card by ${creator}.` : 'An imported character card.',
      icon: '🃏',
      prompt,
    },
    entries,
    skipped,
  };
}

/**
 * Checks a SillyTavern world-info file: `{ entries: { [uid]: { key, keysecondary, content,
 * constant, order, disable, … } } }` (an `entries` list is read too). Disabled entries, empty ones
 * and those with no key that are not constant are skipped; secondary keys are not triggers here.
 */
export function parseWorldInfo(json: unknown): { entries: ImportedEntry[]; skipped: number } {
  if (!isObject(json)) throw new DreamdeckError('INVALID_INPUT', 'A world-info file is a JSON object.');
  if (json.spec === 'chara_card_v2' || json.spec === 'chara_card_v3')
    throw new DreamdeckError('INVALID_INPUT', 'This is a character card, not a world-info file: import it as a card.');
  const raw = json.entries;
  if (!isObject(raw) && !Array.isArray(raw))
    throw new DreamdeckError('INVALID_INPUT', 'entries is missing (a world-info file holds its entries in "entries").');
  const list = Array.isArray(raw) ? raw.map((entry, index) => [String(index), entry] as const) : Object.entries(raw);
  if (list.length > MAX_IMPORT_ENTRIES)
    throw new DreamdeckError('INVALID_INPUT', `entries has more than ${MAX_IMPORT_ENTRIES} entries.`);
  const entries: ImportedEntry[] = [];
  let skipped = 0;
  for (const [uid, entry] of list) {
    const at = `entries[${JSON.stringify(uid.slice(0, 40))}]`;
    if (!isObject(entry)) throw new DreamdeckError('INVALID_INPUT', `${at} must be an object.`);
    if (typeof entry.content !== 'string') throw new DreamdeckError('INVALID_INPUT', `${at}.content is missing.`);
    // older files keep the keys as one comma-separated string
    const keys = typeof entry.key === 'string' ? entry.key.split(',') : entry.key;
    if (keys !== undefined && !Array.isArray(keys))
      throw new DreamdeckError('INVALID_INPUT', `${at}.key must be a list.`);
    const constant = entry.constant === true;
    if (entry.disable === true || !entry.content.trim() || (!constant && !(keys ?? []).some((k) => String(k).trim()))) {
      skipped++;
      continue;
    }
    entries.push(
      cleanEntryFields({ keys, content: entry.content, constant, priority: entry.order as number }, at, {
        clamp: true,
      }),
    );
  }
  return { entries, skipped };
}
