import type { BaseCheckpointSaver, BaseStore } from '@langchain/langgraph-checkpoint';
import type {
  FeedbackAggregate,
  FeedbackRecord,
  MessageAlternative,
  MessagePart,
  MessageStatus,
  StoryMessage,
  ThreadRecord,
  UsageRecord,
  UserRecord,
} from '../types.js';

// wire types the HTTP API returns as they are; they live in types.ts with the other wire types
export type { FeedbackAggregate, FeedbackRecord, UsageRecord };

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Options for listing threads. */
export interface ListThreadsOptions {
  /** Page size (default 50, at most 200). */
  limit?: number;
  /** From a previous page's `nextCursor`. */
  cursor?: string;
}

/** Options for listing messages. */
export interface ListMessagesOptions {
  /** Return at most this many: the newest ones before `before` (or the newest overall). */
  limit?: number;
  /** A message id: only messages stored before it. */
  before?: string;
}

/** Fields of a stored message that may change after it is appended. */
export interface MessagePatch {
  content?: string;
  status?: MessageStatus;
  parts?: MessagePart[];
  alternatives?: MessageAlternative[];
  /**
   * Apply the patch only while the stored message has this status (checked and written
   * atomically); otherwise the message is returned unchanged. Lets one instance mark another's
   * reply without overwriting a newer write.
   */
  ifStatus?: MessageStatus;
}

/** The result of an atomic rate-limit `consume`. */
export interface ConsumeResult {
  /** Whether the cost fit under the limit (and was counted). */
  allowed: boolean;
  /** Units used in the current window after this call. */
  used: number;
  /** Milliseconds until the window resets. */
  resetInMs: number;
}

/** A knowledge chunk found by full-text search. */
export interface KnowledgeHit {
  id: string;
  source: string;
  /** The matching passage, trimmed around the match. */
  snippet: string;
  /** Higher is better. */
  score: number;
}

/** Kinds of security and audit events. */
export type AuditType = 'auth-failure' | 'rate-limited' | 'input-rejected' | 'forbidden' | 'flag-changed';

/** A security or audit event. */
export interface AuditEvent {
  type: AuditType;
  userId?: string;
  detail?: Record<string, unknown>;
  createdAt: string;
}

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
}

/**
 * Everything Dreamdeck persists. `createMemoryStorage()` is the reference; adapters in
 * `@dreamdeck/adapters/*` implement it on SQLite and PostgreSQL, and every one passes
 * `describeStorageAdapter` from `@dreamdeck/core/testing`.
 *
 * Methods that take ids never throw for unknown ids unless stated: getters resolve `null`.
 * Failures of the backend reject with `DreamdeckError` code `STORAGE_ERROR`.
 */
export interface StorageAdapter {
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

  // users
  /** Creates the user or updates the given fields. */
  upsertUser(user: { id: string; displayName?: string; roles?: string[] }): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | null>;

  // threads
  /** Creates a thread; `id` is generated when absent. */
  createThread(input: { id?: string; userId: string; title?: string; persona: string }): Promise<ThreadRecord>;
  /** A thread that is not deleted, or null. */
  getThread(id: string): Promise<ThreadRecord | null>;
  /** A user's threads, most recently updated first. */
  listThreads(userId: string, options?: ListThreadsOptions): Promise<Page<ThreadRecord>>;
  /** Renames, switches persona or touches `updatedAt`. Throws NOT_FOUND for unknown threads. */
  updateThread(id: string, patch: { title?: string; persona?: string }): Promise<ThreadRecord>;
  /** Soft-deletes: the thread disappears from get and list; its rows stay. */
  deleteThread(id: string): Promise<void>;

  // messages
  /** Appends a message at the end of its thread. */
  appendMessage(message: StoryMessage): Promise<void>;
  /** Messages of a thread in stored order (oldest first). See {@link ListMessagesOptions}. */
  listMessages(threadId: string, options?: ListMessagesOptions): Promise<StoryMessage[]>;
  getMessage(id: string): Promise<StoryMessage | null>;
  /** Changes content, status, parts or alternatives. Throws NOT_FOUND for unknown ids. */
  updateMessage(id: string, patch: MessagePatch): Promise<StoryMessage>;

  // feedback
  /** Sets (or replaces) a user's feedback on a message. */
  setFeedback(feedback: Omit<FeedbackRecord, 'createdAt'>): Promise<void>;
  getFeedback(messageId: string, userId: string): Promise<FeedbackRecord | null>;
  /** Counts per persona and UTC day, newest day first. */
  feedbackSummary(options?: { sinceDay?: string }): Promise<FeedbackAggregate[]>;
  /** The newest feedback entries that carry a comment. */
  recentFeedback(options?: { limit?: number }): Promise<FeedbackRecord[]>;

  // thread data and preferences
  getThreadData(threadId: string): Promise<Record<string, unknown>>;
  /** Sets one key; `undefined` removes it. */
  setThreadData(threadId: string, key: string, value: unknown): Promise<void>;
  getPreferences(userId: string): Promise<Record<string, unknown>>;
  /** Merges `patch` into the user's preferences; `null` values remove keys. Returns the result. */
  setPreferences(userId: string, patch: Record<string, unknown>): Promise<Record<string, unknown>>;

  // flags
  /** Global overrides (no `userId`) or one user's overrides. */
  getFlagOverrides(scope?: { userId?: string }): Promise<Record<string, boolean>>;
  /** Sets an override; `null` removes it. */
  setFlagOverride(name: string, value: boolean | null, scope?: { userId?: string }): Promise<void>;

  // rate limits
  /**
   * Atomically adds `cost` to the counter `key` for the current fixed window of `windowMs`,
   * only if the total stays within `limit`. Concurrent calls never over-grant.
   */
  consume(key: string, cost: number, windowMs: number, limit: number): Promise<ConsumeResult>;

  // knowledge (capabilities.knowledge)
  /** Stores chunks of a source document, replacing any earlier chunks of the same source. */
  addKnowledge?(source: string, chunks: string[]): Promise<number>;
  /** Full-text search over knowledge chunks, best first. */
  searchKnowledge?(query: string, options?: { limit?: number }): Promise<KnowledgeHit[]>;
  deleteKnowledge?(source: string): Promise<void>;

  // audit and usage (capabilities.audit)
  recordAudit?(event: Omit<AuditEvent, 'createdAt'>): Promise<void>;
  listAudit?(options?: { type?: AuditType; limit?: number }): Promise<AuditEvent[]>;
  addUsage?(userId: string, metric: UsageRecord['metric'], count?: number): Promise<void>;
  listUsage?(options?: { sinceDay?: string; userId?: string }): Promise<UsageRecord[]>;

  /** Drops checkpoints a finished turn no longer needs (keeps the latest per thread). */
  pruneCheckpoints?(threadId: string): Promise<void>;
}

/** Methods every adapter must have. */
export const REQUIRED_STORAGE_METHODS = [
  'init',
  'close',
  'upsertUser',
  'getUser',
  'createThread',
  'getThread',
  'listThreads',
  'updateThread',
  'deleteThread',
  'appendMessage',
  'listMessages',
  'getMessage',
  'updateMessage',
  'setFeedback',
  'getFeedback',
  'feedbackSummary',
  'recentFeedback',
  'getThreadData',
  'setThreadData',
  'getPreferences',
  'setPreferences',
  'getFlagOverrides',
  'setFlagOverride',
  'consume',
] as const satisfies ReadonlyArray<keyof StorageAdapter>;

/** Methods required by each declared capability. */
export const CAPABILITY_METHODS = {
  knowledge: ['addKnowledge', 'searchKnowledge', 'deleteKnowledge'],
  audit: ['recordAudit', 'listAudit', 'addUsage', 'listUsage'],
} as const satisfies Partial<Record<keyof StorageCapabilities, ReadonlyArray<keyof StorageAdapter>>>;
