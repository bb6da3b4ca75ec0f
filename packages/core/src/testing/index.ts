/**
 * `@dreamdeck/core/testing`: helpers for testing Dreamdeck and its adapters.
 */

export { type DescribeModelAdapterOptions, describeModelAdapter } from './describe-model-adapter.js';
export { describeStorageAdapter } from './describe-storage-adapter.js';
export { createHashEmbeddings, type HashEmbeddingsOptions } from './hash-embeddings.js';
export type {
  DescribeStorageAdapterOptions,
  LeaseHolderProcess,
  RawAuditEvent,
  RawCounter,
  RawFeedback,
  RawLease,
  RawMessage,
  RawThread,
  RawTurnEvent,
  RawUsage,
  RawUser,
  StorageInspector,
  StorageSuiteContext,
} from './storage/storage-inspector.js';
