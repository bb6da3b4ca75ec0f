import type { BaseCheckpointSaver, BaseStore } from '@langchain/langgraph-checkpoint';
import type { FeedbackAggregate, FeedbackRecord, UsageRecord } from '../types.js';
import { AUDIT_STORAGE_METHODS, type AuditStorage } from './domains/audit-storage.js';
import type { CheckpointUpkeep } from './domains/checkpoint-upkeep.js';
import {
  COUNTER_STORAGE_METHODS,
  type CounterStorage,
  USAGE_STORAGE_METHODS,
  type UsageStorage,
} from './domains/counter-storage.js';
import { FEEDBACK_STORAGE_METHODS, type FeedbackStorage } from './domains/feedback-storage.js';
import { KEY_VALUE_STORAGE_METHODS, type KeyValueStorage } from './domains/key-value-storage.js';
import { KNOWLEDGE_STORAGE_METHODS, type KnowledgeStorage } from './domains/knowledge-storage.js';
import { LEASE_STORAGE_METHODS, type LeaseStorage } from './domains/lease-storage.js';
import { MESSAGE_STORAGE_METHODS, type MessageStorage } from './domains/message-storage.js';
import { NOTIFICATION_STORAGE_METHODS, type NotificationStorage } from './domains/notification-storage.js';
import { THREAD_STORAGE_METHODS, type ThreadStorage, type UserStorage } from './domains/thread-storage.js';
import { TURN_EVENT_STORAGE_METHODS, type TurnEventStorage } from './domains/turn-event-storage.js';

export type { AuditEvent, AuditStorage, AuditType } from './domains/audit-storage.js';
export type { CheckpointUpkeep } from './domains/checkpoint-upkeep.js';
export type { ConsumeResult, CounterStorage, UsageStorage } from './domains/counter-storage.js';
export type { FeedbackStorage, VariantFeedback } from './domains/feedback-storage.js';
export type { KeyValueStorage } from './domains/key-value-storage.js';
export type {
  KnowledgeChunkInput,
  KnowledgeDocument,
  KnowledgeHit,
  KnowledgePassage,
  KnowledgeStorage,
  KnowledgeVisibility,
} from './domains/knowledge-storage.js';
export type { LeaseStorage } from './domains/lease-storage.js';
export type { ListMessagesOptions, MessagePatch, MessageStorage } from './domains/message-storage.js';
export type { NotificationStorage } from './domains/notification-storage.js';
export type { ListThreadsOptions, Page, ThreadStorage, UserStorage } from './domains/thread-storage.js';
export type {
  PruneTurnEventsOptions,
  StoredTurnEvents,
  TurnEventEntry,
  TurnEventStorage,
} from './domains/turn-event-storage.js';
// wire types the HTTP API returns as they are; they live in types.ts with the other wire types
export type { FeedbackAggregate, FeedbackRecord, UsageRecord };

/** What an adapter supports beyond the required core. */
export interface StorageCapabilities {
  /** Knowledge documents with full-text search. */
  knowledge: boolean;
  /** Audit events and usage counters. */
  audit: boolean;
  /** Content encrypted at rest. */
  encryption: boolean;
  /** Concurrent processes can share this storage (limits hold across them). */
  multiProcess: boolean;
  /**
   * Messages between instances ({@link NotificationStorage}): flag and config changes reach every
   * instance at once. Optional; absent means false.
   */
  notifications?: boolean;
  /**
   * A short-lived log of running turns' events ({@link TurnEventStorage}): with `notifications`,
   * a client rejoins a running turn on any instance. Optional; absent means false.
   */
  turnEvents?: boolean;
}

/** What every adapter is, beyond its domains: a name, its capabilities, LangGraph's persistence, setup and teardown. */
export interface StorageLifecycle {
  /** Short name for logs, for example `sqlite`. */
  readonly name: string;
  /** Optional features this adapter supports. */
  readonly capabilities: StorageCapabilities;
  /** LangGraph checkpointer used for turn state (small: ids, pending interrupt). */
  readonly checkpointer: BaseCheckpointSaver;
  /** LangGraph store used for long-term memory per user. */
  readonly store: BaseStore;
  /** Prepares the backend (migrations). Idempotent; `createDreamdeck` calls it. */
  init(): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

/**
 * Everything Dreamdeck persists: the intersection of small per-domain interfaces, so an adapter
 * author implements one domain at a time ({@link UserStorage}, {@link ThreadStorage},
 * {@link MessageStorage}, {@link FeedbackStorage}, {@link KeyValueStorage}, {@link CounterStorage},
 * {@link LeaseStorage}; with capability `knowledge` {@link KnowledgeStorage}; with capability
 * `audit` {@link AuditStorage} and {@link UsageStorage}; with capability `notifications`
 * {@link NotificationStorage}; with capability `turnEvents` {@link TurnEventStorage}; optionally
 * {@link CheckpointUpkeep}).
 * `createMemoryStorage()` is the reference; adapters in `@dreamdeck/adapters/*` implement it on
 * SQLite and PostgreSQL, and every one passes `describeStorageAdapter` from `@dreamdeck/core/testing`.
 * Helpers for adapter authors are on `@dreamdeck/core/adapter-kit`.
 *
 * Methods that take ids never throw for unknown ids unless stated: getters resolve `null`.
 * Failures of the backend reject with `DreamdeckError` code `STORAGE_ERROR`.
 */
export interface StorageAdapter
  extends StorageLifecycle,
    UserStorage,
    ThreadStorage,
    MessageStorage,
    FeedbackStorage,
    KeyValueStorage,
    CounterStorage,
    LeaseStorage {
  // the optional domains, member by member
  /** Capability `knowledge`: stores chunks of a source document, replacing any earlier chunks of the same source. */
  addKnowledge?: KnowledgeStorage['addKnowledge'];
  /** Capability `knowledge`: full-text search over knowledge chunks, best first. */
  searchKnowledge?: KnowledgeStorage['searchKnowledge'];
  /** Capability `knowledge`: removes every chunk of a source. */
  deleteKnowledge?: KnowledgeStorage['deleteKnowledge'];
  /** Capability `knowledge`: stores a document and its chunks, replacing an earlier one with its id. */
  putKnowledgeDocument?: KnowledgeStorage['putKnowledgeDocument'];
  /** Capability `knowledge`: one document, or `null`. */
  getKnowledgeDocument?: KnowledgeStorage['getKnowledgeDocument'];
  /** Capability `knowledge`: the documents a reader sees, newest first. */
  listKnowledgeDocuments?: KnowledgeStorage['listKnowledgeDocuments'];
  /** Capability `knowledge`: whether a reader sees any document. */
  hasKnowledgeDocuments?: KnowledgeStorage['hasKnowledgeDocuments'];
  /** Capability `knowledge`: deletes a document and its chunks. */
  deleteKnowledgeDocument?: KnowledgeStorage['deleteKnowledgeDocument'];
  /** Capability `knowledge`: one chunk of a document, or `null`. */
  getKnowledgeChunk?: KnowledgeStorage['getKnowledgeChunk'];
  /** Capability `knowledge`: full-text search over the chunks a reader sees. */
  searchKnowledgeText?: KnowledgeStorage['searchKnowledgeText'];
  /** Capability `knowledge`: exact cosine search over the chunk vectors a reader sees. */
  searchKnowledgeVectors?: KnowledgeStorage['searchKnowledgeVectors'];
  /** Capability `audit`: records an event, stamped with the current time. */
  recordAudit?: AuditStorage['recordAudit'];
  /** Capability `audit`: the newest events first, optionally of one type. */
  listAudit?: AuditStorage['listAudit'];
  /** Capability `audit`: deletes the events recorded before a time; resolves how many went. */
  pruneAudit?: AuditStorage['pruneAudit'];
  /** Capability `audit`: adds `count` (default 1) to today's counter of `metric` for the user. */
  addUsage?: UsageStorage['addUsage'];
  /** Capability `audit`: stored usage counters, newest day first. */
  listUsage?: UsageStorage['listUsage'];
  /** Optional: drops checkpoints a finished turn no longer needs (keeps the latest per thread). */
  pruneCheckpoints?: CheckpointUpkeep['pruneCheckpoints'];
  /** Capability `notifications`: sends a payload to every instance's subscribers of a channel. */
  publish?: NotificationStorage['publish'];
  /** Capability `notifications`: listens to a channel until the returned function is called. */
  subscribe?: NotificationStorage['subscribe'];
  /** Capability `turnEvents`: appends a batch of a running turn's journal entries. */
  appendTurnEvents?: TurnEventStorage['appendTurnEvents'];
  /** Capability `turnEvents`: a turn's stored entries after a sequence number. */
  readTurnEvents?: TurnEventStorage['readTurnEvents'];
  /** Capability `turnEvents`: removes turns past their retention. */
  pruneTurnEvents?: TurnEventStorage['pruneTurnEvents'];
}

/** Methods every adapter must have. */
export const REQUIRED_STORAGE_METHODS = [
  'init',
  'close',
  ...THREAD_STORAGE_METHODS,
  ...MESSAGE_STORAGE_METHODS,
  ...FEEDBACK_STORAGE_METHODS,
  ...KEY_VALUE_STORAGE_METHODS,
  ...COUNTER_STORAGE_METHODS,
  ...LEASE_STORAGE_METHODS,
] as const satisfies ReadonlyArray<keyof StorageAdapter>;

/** Methods required by each declared capability. */
export const CAPABILITY_METHODS = {
  /** {@link KnowledgeStorage}'s. */
  knowledge: KNOWLEDGE_STORAGE_METHODS,
  /** {@link AuditStorage}'s and {@link UsageStorage}'s. */
  audit: [...AUDIT_STORAGE_METHODS, ...USAGE_STORAGE_METHODS],
  /** {@link NotificationStorage}'s. */
  notifications: NOTIFICATION_STORAGE_METHODS,
  /** {@link TurnEventStorage}'s. */
  turnEvents: TURN_EVENT_STORAGE_METHODS,
} as const satisfies Partial<Record<keyof StorageCapabilities, ReadonlyArray<keyof StorageAdapter>>>;

/** Names every method a storage adapter lacks, for its declared capabilities too. */
export function missingStorageMethods(storage: StorageAdapter): string[] {
  const missing: string[] = REQUIRED_STORAGE_METHODS.filter((name) => typeof storage[name] !== 'function');
  if (!storage.checkpointer) missing.push('checkpointer');
  if (!storage.store) missing.push('store');
  for (const [capability, methods] of Object.entries(CAPABILITY_METHODS)) {
    if (!storage.capabilities?.[capability as keyof typeof CAPABILITY_METHODS]) continue;
    for (const method of methods)
      if (typeof storage[method] !== 'function') missing.push(`${method} (capability ${capability})`);
  }
  return missing;
}
