/**
 * `@dreamdeck/core/adapter-kit`: what a storage adapter's author needs beyond the public engine
 * API: the per-domain interfaces a `StorageAdapter` is made of, the method lists
 * `createDreamdeck` checks, and the SQL-free rules every adapter applies the same way (ids, UTC
 * days, fixed rate-limit windows, the preferences merge, page sizes and thread cursors, errors, lease TTLs), with
 * `DreamdeckError` (also on the main entry) so that a storage module need not load the engine. Run your
 * adapter through `describeStorageAdapter` from `@dreamdeck/core/testing`. For model adapters:
 * `toModelAdapter`, `streamReply`, `modelError` and `isAbortError`; run them through
 * `describeModelAdapter`.
 * @packageDocumentation
 */

export { DreamdeckError, isAbortError } from '../errors.js';
export { modelError, toModelAdapter } from '../models/model-adapter.js';
export { streamReply } from '../models/stream-reply.js';
export { AUDIT_STORAGE_METHODS } from '../storage/domains/audit-storage.js';
export { COUNTER_STORAGE_METHODS, USAGE_STORAGE_METHODS } from '../storage/domains/counter-storage.js';
export { FEEDBACK_STORAGE_METHODS } from '../storage/domains/feedback-storage.js';
export { KEY_VALUE_STORAGE_METHODS } from '../storage/domains/key-value-storage.js';
export { KNOWLEDGE_STORAGE_METHODS } from '../storage/domains/knowledge-storage.js';
export { LEASE_STORAGE_METHODS } from '../storage/domains/lease-storage.js';
export { MESSAGE_STORAGE_METHODS } from '../storage/domains/message-storage.js';
export {
  NOTIFICATION_CHANNEL,
  NOTIFICATION_PAYLOAD_LIMIT,
  NOTIFICATION_STORAGE_METHODS,
} from '../storage/domains/notification-storage.js';
export { THREAD_STORAGE_METHODS } from '../storage/domains/thread-storage.js';
export { TURN_EVENT_STORAGE_METHODS } from '../storage/domains/turn-event-storage.js';
export { fixedWindow, newId, utcDay } from '../storage/ids.js';
export { cosineSimilarity, knowledgeLimit, knowledgeVisible } from '../storage/knowledge-rules.js';
export { createMemoryLeases, type MemoryLease } from '../storage/memory-leases.js';
export { consumeOutcome, leaseTtlMs, mergePreferences, nextTimestamp, pageSize } from '../storage/record-rules.js';
export type {
  AuditEvent,
  AuditStorage,
  AuditType,
  CheckpointUpkeep,
  ConsumeResult,
  CounterStorage,
  FeedbackAggregate,
  FeedbackRecord,
  FeedbackStorage,
  KeyValueStorage,
  KnowledgeChunkInput,
  KnowledgeDocument,
  KnowledgeHit,
  KnowledgePassage,
  KnowledgeStorage,
  KnowledgeVisibility,
  LeaseStorage,
  ListMessagesOptions,
  ListThreadsOptions,
  MessagePatch,
  MessageStorage,
  NotificationStorage,
  Page,
  PruneTurnEventsOptions,
  StorageAdapter,
  StorageCapabilities,
  StorageLifecycle,
  StoredTurnEvents,
  ThreadStorage,
  TurnEventEntry,
  TurnEventStorage,
  UsageRecord,
  UsageStorage,
  UserStorage,
  VariantFeedback,
} from '../storage/storage-adapter.js';
export { CAPABILITY_METHODS, missingStorageMethods, REQUIRED_STORAGE_METHODS } from '../storage/storage-adapter.js';
export { alreadyExistsError, notFoundError } from '../storage/storage-errors.js';
export { decodeThreadCursor, encodeThreadCursor, type ThreadCursor } from '../storage/thread-cursor.js';
