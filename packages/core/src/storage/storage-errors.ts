import { DreamdeckError } from '../errors.js';

/** `NOT_FOUND` for an unknown record, worded as every adapter words it: `[dreamdeck] [sqlite] thread thr_… not found`. */
export function notFoundError(adapter: string, what: string, id: string): DreamdeckError {
  return new DreamdeckError('NOT_FOUND', `[dreamdeck] [${adapter}] ${what} ${id} not found`);
}

/** `INVALID_INPUT` for a record whose id is already taken (a unique-key violation of the backend). */
export function alreadyExistsError(adapter: string, what: string, id: string, cause?: unknown): DreamdeckError {
  return new DreamdeckError('INVALID_INPUT', `[dreamdeck] [${adapter}] ${what} ${id} exists`, { cause });
}
