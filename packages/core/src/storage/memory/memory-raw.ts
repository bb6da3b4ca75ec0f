import type { FeedbackRecord, StoryMessage, ThreadRecord, UsageRecord, UserRecord } from '../../types.js';
import type { AuditEvent } from '../domains/audit-storage.js';
import type { KnowledgeDocument } from '../domains/knowledge-storage.js';
import type { MemoryLease } from '../memory-leases.js';

/** A thread as the memory adapter keeps it. */
export type MemoryThreadRow = ThreadRecord & {
  /** Soft-deleted: hidden from get and list. */
  deleted: boolean;
  /** Order of the last update, for ties of `updatedAt`. */
  seq: number;
};

/**
 * The raw maps behind `createMemoryStorage()`, for the conformance suite's `inspect`.
 * @inline
 */
export interface MemoryStorageRaw {
  /** Users by id. */
  users: Map<string, UserRecord>;
  /** Threads by id, deleted ones included. */
  threads: Map<
    string,
    ThreadRecord & {
      /** Soft-deleted: hidden from get and list. */
      deleted: boolean;
      /** Order of the last update, for ties of `updatedAt`. */
      seq: number;
    }
  >;
  /** Each thread's messages in stored order (frozen). */
  messages: Map<string, StoryMessage[]>;
  /** Messages by id. */
  messageIndex: Map<string, StoryMessage>;
  /** Feedback by `<messageId>\u0000<userId>`. */
  feedback: Map<string, FeedbackRecord>;
  /** Thread data by thread id, then key. */
  threadData: Map<string, Map<string, unknown>>;
  /** Preferences by user id. */
  preferences: Map<string, Record<string, unknown>>;
  /** Flag overrides by user id (`''` for the global ones). */
  flags: Map<string, Record<string, boolean>>;
  /** Rate-limit counters by key: the window they count and the units used in it. */
  counters: Map<
    string,
    {
      /** Start of the counted window (epoch ms). */
      windowStart: number;
      /** Units used in that window. */
      used: number;
    }
  >;
  /** Knowledge chunks in insertion order. */
  knowledge: Array<{
    /** `<source>#<index>`. */
    id: string;
    /** The source document. */
    source: string;
    /** The chunk's text. */
    text: string;
    /** Its embedding, when the document was added with embeddings. */
    vector?: number[];
  }>;
  /** Knowledge documents by id (their chunks are in `knowledge`, `source` = document id). */
  knowledgeDocuments: Map<string, KnowledgeDocument>;
  /** Audit events, oldest first. */
  audit: AuditEvent[];
  /** Usage counters by `<userId>\u0000<day>\u0000<metric>`. */
  usage: Map<string, UsageRecord>;
  /** Leases by key (see `createMemoryLeases` in `@dreamdeck/core/adapter-kit`). */
  leases: Map<string, MemoryLease>;
}

/** Empty maps for a new memory adapter. */
export function createMemoryRaw(): MemoryStorageRaw {
  return {
    users: new Map(),
    threads: new Map(),
    messages: new Map(),
    messageIndex: new Map(),
    feedback: new Map(),
    threadData: new Map(),
    preferences: new Map(),
    flags: new Map(),
    counters: new Map(),
    knowledge: [],
    knowledgeDocuments: new Map(),
    audit: [],
    usage: new Map(),
    leases: new Map(),
  };
}

/** A deep copy (records are copied in and out, so callers never share them). */
export const clone = <T>(value: T): T => structuredClone(value);

/** Freezes a value and everything in it, so it can be shared with callers without copying. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
