import { DreamdeckError } from '@dreamdeck/core/adapter-kit';
import { JsonPlusSerializer, type SerializerProtocol } from '@langchain/langgraph-checkpoint';
import { type FieldCipher, isCiphertext } from './field-cipher.js';

/**
 * Type-tag prefix of an encrypted checkpoint value whose serialized form is UTF-8 text (JSON):
 * `dd-enc:json`. The stored bytes are the UTF-8 of a {@link FieldCipher} ciphertext,
 * `dd:enc:v1:<keyId>:<base64(iv | tag | ciphertext)>`, so the key id travels with every value.
 */
export const ENCRYPTED_TYPE_PREFIX = 'dd-enc:';

/** Type-tag prefix of an encrypted value whose serialized form is binary (base64-encoded before encryption). */
export const ENCRYPTED_BINARY_TYPE_PREFIX = 'dd-enc-b64:';

/** True when a checkpoint type tag marks a value written by an {@link EncryptingSerializer}. */
export function isEncryptedTypeTag(type: string): boolean {
  return type.startsWith(ENCRYPTED_TYPE_PREFIX) || type.startsWith(ENCRYPTED_BINARY_TYPE_PREFIX);
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const decoder = new TextDecoder();

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * A LangGraph {@link SerializerProtocol} that encrypts what another serializer (by default the
 * standard `JsonPlusSerializer`) produces, for the checkpoint savers of the SQL adapters:
 * checkpoints, channel blobs, pending writes (task results such as the player's text and the
 * narration) and — in the SQLite saver — checkpoint metadata.
 *
 * - Writing: the inner serializer's `[type, bytes]` becomes `['dd-enc:<type>', <ciphertext>]`, the
 *   ciphertext being the field cipher's `dd:enc:v1:<keyId>:…` text (ASCII, so savers that read
 *   values back as text, like `SqliteSaver`, see it unchanged). The current key encrypts.
 * - Reading: tags without the prefix are legacy plaintext rows and go straight to the inner
 *   serializer; prefixed ones are decrypted with the key named in the ciphertext (any key of the
 *   keyring, so rotated-out keys in `previous` still read).
 * - With a disabled cipher (no `encryptionKey`) writes pass through unchanged and encrypted rows
 *   fail with a clear, non-retryable `STORAGE_ERROR` naming the key id that is needed.
 */
export class EncryptingSerializer implements SerializerProtocol {
  /**
   * @param cipher - The adapter's field cipher (key ring, error messages).
   * @param adapter - Backend name used in error messages (`sqlite`, `postgres`).
   * @param inner - The serializer whose output is encrypted (default: a new `JsonPlusSerializer`).
   */
  constructor(
    private readonly cipher: FieldCipher,
    private readonly adapter: string,
    private readonly inner: SerializerProtocol = new JsonPlusSerializer(),
  ) {}

  /** Whether new values are encrypted (an `encryptionKey` is configured). */
  get enabled(): boolean {
    return this.cipher.enabled;
  }

  /** Serializes `data` with the inner serializer and encrypts the bytes (when enabled). */
  async dumpsTyped(data: unknown): Promise<[string, Uint8Array]> {
    const [type, bytes] = await this.inner.dumpsTyped(data);
    if (!this.cipher.enabled) return [type, bytes];
    const text = strictUtf8(bytes);
    if (text !== undefined) return [`${ENCRYPTED_TYPE_PREFIX}${type}`, encoder.encode(this.cipher.encrypt(text))];
    const base64 = Buffer.from(bytes).toString('base64');
    return [`${ENCRYPTED_BINARY_TYPE_PREFIX}${type}`, encoder.encode(this.cipher.encrypt(base64))];
  }

  /** Decrypts (when the tag says so) and deserializes a stored value; legacy plaintext rows load as before. */
  async loadsTyped(type: string, data: Uint8Array | string): Promise<unknown> {
    const binary = type.startsWith(ENCRYPTED_BINARY_TYPE_PREFIX);
    if (!binary && !type.startsWith(ENCRYPTED_TYPE_PREFIX)) return this.inner.loadsTyped(type, data);
    const innerType = type.slice((binary ? ENCRYPTED_BINARY_TYPE_PREFIX : ENCRYPTED_TYPE_PREFIX).length);
    const stored = typeof data === 'string' ? data : decoder.decode(data);
    if (!isCiphertext(stored)) {
      throw new DreamdeckError(
        'STORAGE_ERROR',
        `[dreamdeck] [${this.adapter}] a checkpoint value tagged "${type}" is not a ciphertext: corrupted data`,
        { retryable: false },
      );
    }
    const plain = this.cipher.decrypt(stored);
    return this.inner.loadsTyped(innerType, binary ? new Uint8Array(Buffer.from(plain, 'base64')) : plain);
  }
}

/**
 * Creates the checkpoint serializer for an adapter: an {@link EncryptingSerializer} over the
 * standard `JsonPlusSerializer`. Install it even without a key, so encrypted checkpoints fail with a
 * clear `STORAGE_ERROR` instead of an unknown-type error.
 *
 * @example
 * ```ts
 * const cipher = createFieldCipher(options.encryptionKey, 'sqlite');
 * const checkpointer = new SqliteSaver(db, createEncryptingSerializer(cipher, 'sqlite'));
 * ```
 */
export function createEncryptingSerializer(cipher: FieldCipher, adapter: string): EncryptingSerializer {
  return new EncryptingSerializer(cipher, adapter);
}
