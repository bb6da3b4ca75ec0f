import type { CheckpointMetadata } from '@langchain/langgraph-checkpoint';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import type { EncryptingSerializer } from '../crypto/encrypting-serializer.js';

/** Key of the encrypted envelope in a checkpoint's `metadata` JSONB (the store uses the same name). */
export const ENCRYPTED_METADATA_KEY = '__dreamdeck_encrypted';

interface MetadataEnvelope {
  type: string;
  value: string;
}

const SOURCES = new Set(['input', 'loop', 'update', 'fork']);
const decoder = new TextDecoder();

function isEnvelope(value: unknown): value is MetadataEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MetadataEnvelope).type === 'string' &&
    typeof (value as MetadataEnvelope).value === 'string'
  );
}

/**
 * The routing fields LangGraph writes into every checkpoint's metadata (`source`, `step`,
 * `parents`: a map of checkpoint namespaces to checkpoint ids), kept in plaintext so
 * `list({ filter })` on them still works. Anything else, or a field of an unexpected shape, stays
 * inside the ciphertext only.
 */
function routingFields(metadata: CheckpointMetadata): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const { source, step, parents } = metadata as Record<string, unknown>;
  if (typeof source === 'string' && SOURCES.has(source)) fields.source = source;
  if (typeof step === 'number' && Number.isFinite(step)) fields.step = step;
  if (
    typeof parents === 'object' &&
    parents !== null &&
    !Array.isArray(parents) &&
    Object.values(parents).every((id) => typeof id === 'string')
  ) {
    fields.parents = parents;
  }
  return fields;
}

/**
 * Creates the official `PostgresSaver` with `serde` as its serializer, so channel blobs and
 * pending writes are encrypted by it. `PostgresSaver` stores checkpoint metadata as a JSONB object
 * (it JSON-parses the serializer's output), which ciphertext is not; this subclass stores
 * `{ source, step, parents, __dreamdeck_encrypted: { type, value } }` instead, the whole metadata
 * in the ciphertext, and reads plain (pre-encryption) metadata as before. Without a key it behaves
 * exactly like `PostgresSaver`, except that encrypted metadata fails with a clear `STORAGE_ERROR`.
 *
 * @param Saver - The `PostgresSaver` class (loaded lazily by the adapter).
 * @param pool - The pool the saver queries.
 * @param schema - Schema of the checkpoint tables.
 * @param serde - The adapter's checkpoint serializer.
 */
export function createEncryptedPostgresSaver(
  Saver: typeof PostgresSaver,
  pool: pg.Pool,
  schema: string,
  serde: EncryptingSerializer,
): PostgresSaver {
  class EncryptedMetadataPostgresSaver extends Saver {
    protected override async _dumpMetadata(metadata: CheckpointMetadata): Promise<Record<string, unknown>> {
      if (!serde.enabled) return super._dumpMetadata(metadata);
      const [type, bytes] = await serde.dumpsTyped(metadata);
      return { ...routingFields(metadata), [ENCRYPTED_METADATA_KEY]: { type, value: decoder.decode(bytes) } };
    }

    protected override async _loadMetadata(metadata: Record<string, unknown>): Promise<unknown> {
      const envelope = metadata?.[ENCRYPTED_METADATA_KEY];
      if (isEnvelope(envelope)) return serde.loadsTyped(envelope.type, envelope.value);
      return super._loadMetadata(metadata);
    }
  }
  return new EncryptedMetadataPostgresSaver(pool, serde, { schema });
}
