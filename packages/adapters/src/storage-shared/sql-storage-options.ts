import { alreadyExistsError } from '@dreamdeck/core/adapter-kit';
import type { EncryptionKeyOption } from '../crypto/encryption-keys.js';

/** Options both SQL adapters take. */
export interface SqlStorageOptions {
  /**
   * Encrypt message content, feedback comments, thread data, preferences, store values and the
   * LangGraph checkpoints with their pending writes and metadata (AES-256-GCM).
   */
  encryptionKey?: EncryptionKeyOption;
  /** Checkpoints kept per thread and namespace by `pruneCheckpoints` (default 1: only the latest). */
  keepCheckpoints?: number;
}

/** How many checkpoints `pruneCheckpoints` keeps per thread and namespace: `keepCheckpoints`, at least 1. */
export function checkpointsToKeep(option: number | undefined): number {
  return Math.max(1, Math.trunc(option ?? 1));
}

/** How a SQL adapter recognises a unique-key violation in its driver's errors. */
export interface UniqueViolation {
  /** The adapter's name in error messages. */
  readonly adapter: string;
  /** Whether `error` is the driver's unique-key violation. */
  matches(error: unknown): boolean;
}

/**
 * The error to throw when inserting `what` `id` failed: a unique-key violation becomes
 * `INVALID_INPUT` ("… exists", as the memory adapter says it); anything else is `error` itself.
 */
export function insertError(error: unknown, unique: UniqueViolation, what: string, id: string): unknown {
  return unique.matches(error) ? alreadyExistsError(unique.adapter, what, id, error) : error;
}
