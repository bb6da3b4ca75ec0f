import type { RunnableConfig } from '@langchain/core/runnables';
import type { CheckpointListOptions, CheckpointMetadata, CheckpointTuple } from '@langchain/langgraph-checkpoint';
import type { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import type pg from 'pg';
import {
  ENCRYPTED_METADATA_KEY,
  isMetadataEnvelope,
  readableMetadataFields,
  splitMetadataFilter,
} from '../crypto/checkpoint-metadata.js';
import type { EncryptingSerializer } from '../crypto/encrypting-serializer.js';

const decoder = new TextDecoder();

/** PostgreSQL's `jsonb @>` (containment), on decoded JSON values: what `PostgresSaver` filters with. */
function jsonContains(container: unknown, contained: unknown): boolean {
  if (Array.isArray(contained)) {
    return (
      Array.isArray(container) &&
      contained.every((wanted) => container.some((candidate) => jsonContains(candidate, wanted)))
    );
  }
  if (typeof contained === 'object' && contained !== null) {
    if (typeof container !== 'object' || container === null || Array.isArray(container)) return false;
    const fields = container as Record<string, unknown>;
    return Object.entries(contained).every(([key, value]) => key in fields && jsonContains(fields[key], value));
  }
  return container === contained;
}

/**
 * Creates the official `PostgresSaver` with `serde` as its serializer, so channel blobs and
 * pending writes are encrypted by it. `PostgresSaver` stores checkpoint metadata as a JSONB object
 * (it JSON-parses the serializer's output), which ciphertext is not; this subclass stores
 * `{ source, step, parents, __dreamdeck_encrypted: { type, value } }` instead, the whole metadata
 * in the ciphertext, and reads plain (pre-encryption) metadata as before. `list({ filter })`
 * matches the readable routing fields in SQL and any other key on the decrypted metadata (with
 * `@>`'s containment rules), so filters answer as without encryption. Without a key it behaves
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
      return { ...readableMetadataFields(metadata), [ENCRYPTED_METADATA_KEY]: { type, value: decoder.decode(bytes) } };
    }

    protected override async _loadMetadata(metadata: Record<string, unknown>): Promise<unknown> {
      const envelope = metadata?.[ENCRYPTED_METADATA_KEY];
      if (isMetadataEnvelope(envelope)) return serde.loadsTyped(envelope.type, envelope.value);
      return super._loadMetadata(metadata);
    }

    override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
      const { readable, sealed } = splitMetadataFilter(options?.filter ?? {});
      if (!serde.enabled || Object.keys(sealed).length === 0) {
        yield* super.list(config, options);
        return;
      }
      // Keys only the ciphertext holds: SQL narrows by the readable ones, the decrypted metadata
      // answers the rest, and the limit counts what matched.
      let left = options?.limit ?? Number.POSITIVE_INFINITY; // PostgresSaver: LIMIT 0 is no rows
      if (left <= 0) return;
      for await (const tuple of super.list(config, { ...options, filter: readable, limit: undefined })) {
        if (!jsonContains(tuple.metadata ?? {}, sealed)) continue;
        yield tuple;
        if (--left <= 0) return;
      }
    }
  }
  return new EncryptedMetadataPostgresSaver(pool, serde, { schema });
}
