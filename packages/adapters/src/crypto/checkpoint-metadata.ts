import type { CheckpointMetadata } from '@langchain/langgraph-checkpoint';

/**
 * Key of the encrypted envelope in a stored checkpoint's metadata (the store uses the same name):
 * `{ source, step, parents, __dreamdeck_encrypted: { type, value } }`, where `type` is the
 * serializer's type tag (`dd-enc:json`) and `value` the `dd:enc:v1:<keyId>:…` ciphertext of the
 * whole metadata.
 */
export const ENCRYPTED_METADATA_KEY = '__dreamdeck_encrypted';

/** The encrypted part of stored metadata: see {@link ENCRYPTED_METADATA_KEY}. */
export interface MetadataEnvelope {
  /** The serializer's type tag of the ciphertext (`dd-enc:json`). */
  type: string;
  /** The ciphertext of the whole metadata. */
  value: string;
}

/**
 * The metadata keys an encrypting checkpointer keeps readable beside the ciphertext, so that
 * `list({ filter })` (and LangGraph's `getStateHistory({ filter })`) can filter on them in SQL:
 * the routing fields LangGraph itself writes into every checkpoint.
 */
export const READABLE_METADATA_KEYS = ['source', 'step', 'parents'] as const;

const SOURCES = new Set(['input', 'loop', 'update', 'fork']);

/** Whether `value` has the shape LangGraph gives metadata field `key` (only such values are kept readable). */
function isRoutingValue(key: string, value: unknown): boolean {
  switch (key) {
    case 'source':
      return typeof value === 'string' && SOURCES.has(value);
    case 'step':
      return typeof value === 'number' && Number.isFinite(value);
    case 'parents':
      return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((id) => typeof id === 'string')
      );
    default:
      return false;
  }
}

/**
 * The routing fields of `metadata` that stay readable: `source` (one of LangGraph's four sources),
 * `step` (a finite number) and `parents` (a map of checkpoint namespaces to checkpoint ids).
 * Anything else, or one of these with an unexpected shape, lives only inside the ciphertext.
 */
export function readableMetadataFields(
  metadata: CheckpointMetadata | Record<string, unknown>,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of READABLE_METADATA_KEYS) {
    const value = (metadata as Record<string, unknown>)[key];
    if (isRoutingValue(key, value)) fields[key] = value;
  }
  return fields;
}

/** Whether `value` is a {@link MetadataEnvelope}. */
export function isMetadataEnvelope(value: unknown): value is MetadataEnvelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MetadataEnvelope).type === 'string' &&
    typeof (value as MetadataEnvelope).value === 'string'
  );
}

/**
 * Splits a `list({ filter })` filter of an encrypting checkpointer in two: `readable`, the entries
 * the database can match on the readable fields (a routing key with a value of the shape that is
 * stored readable, so it matches exactly the rows whose decrypted metadata matches), and `sealed`,
 * the rest, which only the decrypted metadata can answer. Entries whose value is `undefined` are
 * dropped (as the upstream savers drop them).
 */
export function splitMetadataFilter(filter: Record<string, unknown>): {
  readable: Record<string, unknown>;
  sealed: Record<string, unknown>;
} {
  const readable: Record<string, unknown> = {};
  const sealed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (isRoutingValue(key, value)) readable[key] = value;
    else sealed[key] = value;
  }
  return { readable, sealed };
}
