import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DreamdeckError } from '@dreamdeck/core/adapter-kit';
import { type EncryptionKeyOption, type Keyring, resolveKeyring } from './encryption-keys.js';

/** Prefix of every ciphertext: `dd:enc:v1:<keyId>:<base64 of iv | tag | ciphertext>`. */
export const CIPHERTEXT_PREFIX = 'dd:enc:v1:';

/**
 * Encrypts and decrypts stored text fields. Without a key it passes text through unchanged and
 * refuses to read ciphertext (so encrypted data is never shown as garbage).
 */
export interface FieldCipher {
  /** Whether new values are encrypted. */
  readonly enabled: boolean;
  /** Encrypts `text` with the current key (or returns it unchanged when disabled). */
  encrypt(text: string): string;
  /** Decrypts a stored value; plain values (written before encryption was on) pass through. */
  decrypt(stored: string): string;
  /** `encrypt(JSON.stringify(value))`. */
  encryptJson(value: unknown): string;
  /** `JSON.parse(decrypt(stored))`. */
  decryptJson<T = unknown>(stored: string): T;
}

/** True when `stored` is a ciphertext written by a {@link FieldCipher}. */
export function isCiphertext(stored: string): boolean {
  return stored.startsWith(CIPHERTEXT_PREFIX);
}

/**
 * Creates the AES-256-GCM field cipher for an adapter. `adapter` names the backend in errors.
 * A fresh 12-byte IV per value; the 16-byte auth tag makes a wrong key fail loudly.
 */
export function createFieldCipher(option: EncryptionKeyOption | undefined, adapter: string): FieldCipher {
  const keyring: Keyring | undefined = option === undefined ? undefined : resolveKeyring(option);
  const fail = (message: string, cause?: unknown) =>
    new DreamdeckError('STORAGE_ERROR', `[dreamdeck] [${adapter}] ${message}`, { retryable: false, cause });

  const encrypt = (text: string): string => {
    if (!keyring) return text;
    const key = keyring.keys.get(keyring.currentId) as Buffer;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    const payload = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    return `${CIPHERTEXT_PREFIX}${keyring.currentId}:${payload}`;
  };

  const decrypt = (stored: string): string => {
    if (!isCiphertext(stored)) return stored;
    const rest = stored.slice(CIPHERTEXT_PREFIX.length);
    const colon = rest.indexOf(':');
    const keyId = rest.slice(0, colon);
    if (!keyring) {
      throw fail(`stored data is encrypted (key id "${keyId}"); pass the same encryptionKey to the adapter to read it`);
    }
    const key = keyring.keys.get(keyId);
    if (!key) {
      throw fail(
        `stored data is encrypted with key id "${keyId}", which is not in encryptionKey; add that key to encryptionKey.previous`,
      );
    }
    const payload = Buffer.from(rest.slice(colon + 1), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, 12));
      decipher.setAuthTag(payload.subarray(12, 28));
      return Buffer.concat([decipher.update(payload.subarray(28)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw fail(`could not decrypt data with key id "${keyId}": wrong key or corrupted data`, error);
    }
  };

  return {
    enabled: keyring !== undefined,
    encrypt,
    decrypt,
    encryptJson: (value) => encrypt(JSON.stringify(value)),
    decryptJson: <T>(stored: string) => JSON.parse(decrypt(stored)) as T,
  };
}
