import { DreamdeckError } from '../errors.js';

// Checks on the text of lore entries and imported cards: one set of rules for what a player types
// and what a file brings, so an import cannot store what `dd.lore.add` would refuse.

/** Longest entry content, in characters. */
export const MAX_LORE_CONTENT = 8000;
/** Longest key, in characters. */
export const MAX_LORE_KEY = 100;
/** Most keys per entry. */
export const MAX_LORE_KEYS = 50;
/** Priorities run from -{@link MAX_PRIORITY} to {@link MAX_PRIORITY}. */
export const MAX_PRIORITY = 10_000;

// C0 and C1 control characters except tab and newline.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

// Markup that only an attack puts in a story's text: scripts, frames, embedded objects, event
// handler attributes and `javascript:` URLs. Other markup (`<b>`, `<br>`) is kept as plain text:
// nothing of a lore entry or a card is ever rendered as HTML.
const HOSTILE: Array<[RegExp, string]> = [
  [/<\s*\/?\s*(script|iframe|frame|frameset|object|embed|applet|meta|link|base|form|svg|math)\b/i, 'markup <$1>'],
  [/<[a-z][^>]*[\s/"']on[a-z]+\s*=/i, 'an event handler attribute'],
  [/\b(?:javascript|vbscript)\s*:/i, 'a script URL'],
  [/\bdata\s*:\s*text\/html/i, 'a script URL'],
];

/** Throws `INVALID_INPUT` naming `field` when `text` holds hostile markup (see above). */
export function checkNoScript(text: string, field: string): void {
  for (const [pattern, what] of HOSTILE) {
    const match = pattern.exec(text);
    if (match) {
      const named = what.replace('$1', (match[1] ?? '').toLowerCase());
      throw new DreamdeckError('INVALID_INPUT', `${field} contains ${named}; remove it and try again.`);
    }
  }
}

/** Text of a field: control characters stripped, line ends normalized, trimmed, checked. */
export function cleanField(value: unknown, field: string, max: number, options: { required?: boolean } = {}): string {
  if (value === undefined || value === null) {
    if (options.required) throw new DreamdeckError('INVALID_INPUT', `${field} is missing.`);
    return '';
  }
  if (typeof value !== 'string') throw new DreamdeckError('INVALID_INPUT', `${field} must be text.`);
  const clean = value.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  if (options.required && !clean) throw new DreamdeckError('INVALID_INPUT', `${field} is empty.`);
  if (clean.length > max) throw new DreamdeckError('INVALID_INPUT', `${field} is longer than ${max} characters.`);
  checkNoScript(clean, field);
  return clean;
}

/** An entry's keys: each cleaned to one line, empty ones and repeats dropped. */
export function cleanKeys(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DreamdeckError('INVALID_INPUT', `${field} must be a list of words.`);
  if (value.length > MAX_LORE_KEYS)
    throw new DreamdeckError('INVALID_INPUT', `${field} has more than ${MAX_LORE_KEYS} keys.`);
  const keys: string[] = [];
  value.forEach((key, index) => {
    const clean = cleanField(key, `${field}[${index}]`, MAX_LORE_KEY).replace(/\s+/g, ' ');
    if (clean && !keys.some((k) => k.toLowerCase() === clean.toLowerCase())) keys.push(clean);
  });
  return keys;
}

/** A priority: an integer within ±{@link MAX_PRIORITY}; `clamp` brings outside values in (imports). */
export function cleanPriority(value: unknown, field: string, clamp = false): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new DreamdeckError('INVALID_INPUT', `${field} must be a number.`);
  const rounded = Math.round(value);
  if (Math.abs(rounded) > MAX_PRIORITY) {
    if (!clamp)
      throw new DreamdeckError('INVALID_INPUT', `${field} must be between -${MAX_PRIORITY} and ${MAX_PRIORITY}.`);
    return Math.sign(rounded) * MAX_PRIORITY;
  }
  return rounded;
}

/** The fields of an entry as they would be stored: content required, keys unless `constant`. */
export function cleanEntryFields(
  input: { keys?: unknown; content?: unknown; constant?: unknown; priority?: unknown },
  field: string,
  options: { clamp?: boolean } = {},
): { keys: string[]; content: string; constant: boolean; priority: number | undefined } {
  const at = (name: string) => (field ? `${field}.${name}` : name);
  if (input.constant !== undefined && typeof input.constant !== 'boolean')
    throw new DreamdeckError('INVALID_INPUT', `${at('constant')} must be true or false.`);
  const keys = cleanKeys(input.keys, at('keys'));
  const content = cleanField(input.content, at('content'), MAX_LORE_CONTENT, { required: true });
  const constant = input.constant === true;
  if (!constant && keys.length === 0)
    throw new DreamdeckError('INVALID_INPUT', `${field || 'An entry'} needs at least one key (or constant: true).`);
  return { keys, content, constant, priority: cleanPriority(input.priority, at('priority'), options.clamp) };
}
