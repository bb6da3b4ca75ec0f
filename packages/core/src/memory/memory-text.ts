import { DreamdeckError } from '../errors.js';
import { graphemeLength } from '../text-length.js';

/** Longest memory text, in characters as a person counts them. */
export const MAX_MEMORY_LENGTH = 500;

// C0 and C1 control characters (newlines included: a memory is one line in the prompt).
const CONTROL = /[\u0000-\u001f\u007f-\u009f]+/g;

/**
 * A memory's text as stored: control characters and runs of spaces collapsed, trimmed. Throws
 * `INVALID_INPUT` when it is empty or longer than {@link MAX_MEMORY_LENGTH} characters.
 */
export function cleanMemoryText(text: unknown): string {
  if (typeof text !== 'string') throw new DreamdeckError('INVALID_INPUT', 'Write the fact to remember as text.');
  const clean = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  if (!clean) throw new DreamdeckError('INVALID_INPUT', 'Write the fact to remember.');
  if (clean.length > MAX_MEMORY_LENGTH && graphemeLength(clean) > MAX_MEMORY_LENGTH)
    throw new DreamdeckError('INVALID_INPUT', `A memory holds at most ${MAX_MEMORY_LENGTH} characters.`);
  return clean;
}
