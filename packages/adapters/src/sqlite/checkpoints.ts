import type { CheckpointUpkeep } from '@dreamdeck/core/adapter-kit';
import type { RunnableConfig } from '@langchain/core/runnables';
import type {
  Checkpoint,
  CheckpointListOptions,
  CheckpointMetadata,
  CheckpointTuple,
  SerializerProtocol,
} from '@langchain/langgraph-checkpoint';
import type { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import type { Database } from 'better-sqlite3';
import {
  ENCRYPTED_METADATA_KEY,
  isMetadataEnvelope,
  type MetadataEnvelope,
  readableMetadataFields,
  splitMetadataFilter,
} from '../crypto/checkpoint-metadata.js';
import { type EncryptingSerializer, isEncryptedTypeTag } from '../crypto/encrypting-serializer.js';
import type { FieldCipher } from '../crypto/field-cipher.js';
import { type SqliteContext, withTransaction } from './sqlite-runner.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const asText = (data: Uint8Array | string) => (typeof data === 'string' ? data : decoder.decode(data));

/**
 * Creates the checkpointer of the SQLite adapter: the official `SqliteSaver` on `db`, its values
 * serialized by `serde`. Without a key that is all. With a key, checkpoints and pending writes are
 * stored as `serde` encrypts them, and a checkpoint's metadata — which `SqliteSaver` filters with
 * `json_extract`-style SQL on its `metadata` column, so it must stay JSON — is stored as
 * `{ source, step, parents, __dreamdeck_encrypted: { type, value } }`: the whole metadata in the
 * ciphertext, beside the routing fields LangGraph filters on ({@link readableMetadataFields}).
 * `list({ filter })` matches those fields in SQL and any other key on the decrypted metadata, so
 * `getStateHistory({ filter })` gives the same answers as without encryption.
 *
 * @param Saver - The `SqliteSaver` class (loaded lazily by the adapter).
 * @param db - The adapter's better-sqlite3 handle.
 * @param serde - The adapter's checkpoint serializer (encrypting when a key is set).
 */
export function createSqliteCheckpointer(
  Saver: typeof SqliteSaver,
  db: Database,
  serde: EncryptingSerializer,
): SqliteSaver {
  // Metadata objects handed to put(): the serializer seals them into the envelope. Kept weakly and
  // never removed, so concurrent puts of one object cannot race; should the same object ever be
  // serialized again as another value, the envelope still loads back to the whole object.
  const metadataToSeal = new WeakSet<object>();
  const checkpointSerde: SerializerProtocol = {
    dumpsTyped(data: unknown) {
      const seal = serde.enabled && typeof data === 'object' && data !== null && metadataToSeal.has(data);
      return seal ? sealMetadata(serde, data as CheckpointMetadata) : serde.dumpsTyped(data);
    },
    loadsTyped(type: string, data: Uint8Array | string) {
      const envelope = isEncryptedTypeTag(type) ? envelopeIn(asText(data)) : undefined;
      return envelope ? serde.loadsTyped(envelope.type, envelope.value) : serde.loadsTyped(type, data);
    },
  };

  class FilterableSqliteSaver extends Saver {
    override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata) {
      if (typeof metadata === 'object' && metadata !== null) metadataToSeal.add(metadata);
      return super.put(config, checkpoint, metadata);
    }

    override async *list(config: RunnableConfig, options?: CheckpointListOptions): AsyncGenerator<CheckpointTuple> {
      const { readable, sealed } = splitMetadataFilter(options?.filter ?? {});
      if (!serde.enabled || Object.keys(sealed).length === 0) {
        yield* super.list(config, options);
        return;
      }
      // Keys that are only inside the ciphertext: the database narrows by the readable ones, the
      // decrypted metadata answers the rest, and the limit counts what matched.
      let left = options?.limit || Number.POSITIVE_INFINITY;
      for await (const tuple of super.list(config, { ...options, filter: readable, limit: undefined })) {
        if (!sameJsonValues(tuple.metadata, sealed)) continue;
        yield tuple;
        if (--left <= 0) return;
      }
    }
  }
  return new FilterableSqliteSaver(db, checkpointSerde);
}

/** The stored form of encrypted metadata: the readable routing fields and the ciphertext of the whole. */
async function sealMetadata(serde: EncryptingSerializer, metadata: CheckpointMetadata): Promise<[string, Uint8Array]> {
  const [type, bytes] = await serde.dumpsTyped(metadata);
  const envelope = { type, value: decoder.decode(bytes) };
  return [
    type,
    encoder.encode(JSON.stringify({ ...readableMetadataFields(metadata), [ENCRYPTED_METADATA_KEY]: envelope })),
  ];
}

/** The envelope in stored metadata text, if it is one (a bare ciphertext or anything else: undefined). */
function envelopeIn(text: string): MetadataEnvelope | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const envelope = (JSON.parse(text) as Record<string, unknown>)[ENCRYPTED_METADATA_KEY];
    return isMetadataEnvelope(envelope) ? envelope : undefined;
  } catch {
    return undefined; // the serializer reports it as corrupted
  }
}

/** `SqliteSaver`'s filter semantics (the JSON text of each value compared), on decrypted metadata. */
function sameJsonValues(metadata: CheckpointMetadata | undefined, filter: Record<string, unknown>): boolean {
  const fields = (metadata ?? {}) as Record<string, unknown>;
  return Object.entries(filter).every(([key, value]) => JSON.stringify(fields[key]) === JSON.stringify(value));
}

/** Name under which {@link upgradeLegacyCheckpointMetadata} records in `dd_upgrades` that it ran. */
export const CHECKPOINT_METADATA_UPGRADE = 'checkpoint-metadata-envelope';

/**
 * One-time upgrade of a database encrypted before checkpoint metadata was filterable, where the
 * `metadata` column holds a bare `dd:enc:v1:…` ciphertext (which made `list({ filter })` fail with
 * "malformed JSON"): each such row becomes the envelope {@link createSqliteCheckpointer} writes,
 * the same ciphertext inside (nothing is re-encrypted) and the routing fields read from it beside.
 * It needs the key, so it runs when the adapter opens with `encryptionKey`, in one transaction, and
 * is recorded in `dd_upgrades` once every such row is done: a row no key of the ring opens is left
 * as it is (reading it names the missing key) and the upgrade runs again at the next open.
 *
 * @returns How many rows were rewritten (0 when there was nothing to do or it ran before).
 */
export function upgradeLegacyCheckpointMetadata(db: Database, cipher: FieldCipher): number {
  if (!cipher.enabled) return 0;
  return withTransaction(db, () => {
    if (db.prepare('SELECT 1 FROM dd_upgrades WHERE name = ?').get(CHECKPOINT_METADATA_UPGRADE)) return 0;
    const rows = db
      .prepare(
        `SELECT rowid AS id, type, CAST(metadata AS TEXT) AS metadata FROM checkpoints
         WHERE CAST(metadata AS TEXT) GLOB 'dd:enc:v1:*'`,
      )
      .all() as Array<{ id: number; type: string | null; metadata: string }>;
    const update = db.prepare('UPDATE checkpoints SET metadata = ? WHERE rowid = ?');
    let rewritten = 0;
    for (const row of rows) {
      let fields: Record<string, unknown>;
      try {
        fields = readableMetadataFields(JSON.parse(cipher.decrypt(row.metadata)) as Record<string, unknown>);
      } catch {
        continue; // written with a key that is not in the ring (yet): try again at the next open
      }
      const envelope = { type: row.type ?? 'dd-enc:json', value: row.metadata };
      update.run(Buffer.from(JSON.stringify({ ...fields, [ENCRYPTED_METADATA_KEY]: envelope })), row.id);
      rewritten++;
    }
    if (rewritten === rows.length) {
      db.prepare('INSERT INTO dd_upgrades (name, done_at) VALUES (?, ?)').run(
        CHECKPOINT_METADATA_UPGRADE,
        new Date().toISOString(),
      );
    }
    return rewritten;
  });
}

/**
 * Pruning of the official `SqliteSaver` tables (`checkpoints`, `writes`): keeps the newest `keep`
 * checkpoints of each namespace of a thread, with their pending writes, in one transaction.
 */
export function createSqliteCheckpointUpkeep(
  { sql, run, withTransaction }: SqliteContext,
  keep: number,
): CheckpointUpkeep {
  return {
    pruneCheckpoints: (threadId) =>
      run(() => {
        withTransaction(() => {
          sql(
            `DELETE FROM checkpoints WHERE thread_id = @threadId AND checkpoint_id NOT IN (
               SELECT latest.checkpoint_id FROM checkpoints latest
               WHERE latest.thread_id = checkpoints.thread_id AND latest.checkpoint_ns = checkpoints.checkpoint_ns
               ORDER BY latest.checkpoint_id DESC LIMIT @keep)`,
          ).run({ threadId, keep });
          sql(
            `DELETE FROM writes WHERE thread_id = ? AND NOT EXISTS (
               SELECT 1 FROM checkpoints c WHERE c.thread_id = writes.thread_id
                 AND c.checkpoint_ns = writes.checkpoint_ns AND c.checkpoint_id = writes.checkpoint_id)`,
          ).run(threadId);
        });
      }),
  };
}
