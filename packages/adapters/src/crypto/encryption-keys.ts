import { createHash, scryptSync } from 'node:crypto';
import { DreamdeckError } from '@dreamdeck/core/adapter-kit';

/** One named key. `key` is 64 hex characters (32 bytes) or any other string, stretched with scrypt. */
export interface EncryptionKeyEntry {
  /** Stored in each ciphertext so the right key is found on read. Letters, digits, `-` and `_`. */
  id: string;
  /** 64 hex characters or 32 bytes (the raw AES key), or a passphrase. */
  key: string | Uint8Array;
}

/**
 * The `encryptionKey` option of the storage adapters.
 *
 * - a string: one key; its id is derived from the key (first 8 hex characters of its SHA-256).
 * - `{ current, previous }`: new data is encrypted with `current`; data written with any key in
 *   `previous` stays readable. Rotate by moving the old key to `previous` and setting a new `current`.
 *
 * A string of exactly 64 hex characters is used as the raw 32-byte AES key; any other string is a
 * passphrase, stretched with scrypt (fixed salt, so the same passphrase always gives the same key).
 */
export type EncryptionKeyOption = string | EncryptionKeyRing;

/** Named keys for rotation: see {@link EncryptionKeyOption}. */
export interface EncryptionKeyRing {
  /** The key new data is encrypted with. */
  current: EncryptionKeyEntry | string;
  /** Older keys: data written with them stays readable. */
  previous?: Array<EncryptionKeyEntry | string>;
}

/** Resolved keys: the one to write with and every one that may be read. */
export interface Keyring {
  currentId: string;
  keys: Map<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

function keyBytes(key: string | Uint8Array): Buffer {
  if (typeof key !== 'string') {
    if (key.byteLength !== 32) throw invalidKey('a binary encryption key must be exactly 32 bytes');
    return Buffer.from(key);
  }
  if (key.length === 0) throw invalidKey('the encryption key is empty');
  if (/^[0-9a-fA-F]{64}$/.test(key)) return Buffer.from(key, 'hex');
  return scryptSync(key, 'dreamdeck-encryption-v1', 32);
}

function invalidKey(message: string): DreamdeckError {
  return new DreamdeckError('CONFIG_INVALID', `[dreamdeck] [encryption] ${message}`);
}

function resolveEntry(entry: EncryptionKeyEntry | string): [string, Buffer] {
  if (typeof entry === 'string') {
    const bytes = keyBytes(entry);
    return [createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes];
  }
  if (!KEY_ID.test(entry.id)) throw invalidKey(`key id "${entry.id}" must be 1-64 letters, digits, "-" or "_"`);
  return [entry.id, keyBytes(entry.key)];
}

/** Resolves the `encryptionKey` option into a keyring; throws CONFIG_INVALID for malformed keys. */
export function resolveKeyring(option: EncryptionKeyOption): Keyring {
  const current = typeof option === 'string' ? option : option.current;
  const previous = typeof option === 'string' ? [] : (option.previous ?? []);
  const [currentId, currentKey] = resolveEntry(current);
  const keys = new Map<string, Buffer>([[currentId, currentKey]]);
  for (const entry of previous) {
    const [id, bytes] = resolveEntry(entry);
    const existing = keys.get(id);
    if (existing && !existing.equals(bytes)) throw invalidKey(`two different keys share the id "${id}"`);
    keys.set(id, bytes);
  }
  return { currentId, keys };
}
