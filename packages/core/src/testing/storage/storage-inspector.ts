import type { StorageAdapter } from '../../storage/storage-adapter.js';

/** A thread row as the backend holds it, soft-deleted rows included. */
export interface RawThread {
  id: string;
  userId: string;
  title: string;
  persona: string;
  deleted: boolean;
}

/** A message row as the backend holds it (decrypted when the adapter encrypts). */
export interface RawMessage {
  id: string;
  threadId: string;
  role: string;
  kind: string;
  content: string;
  status: string;
  persona?: string;
  parts?: unknown[];
  alternatives?: unknown[];
}

/** A feedback row as the backend holds it. */
export interface RawFeedback {
  value: number;
  comment?: string;
  persona?: string;
}

/**
 * Raw reads of a storage backend, bypassing the adapter's own read methods, so the conformance
 * suite can check what really landed. Implement each method with a direct query (SQL, a map
 * lookup). Values the adapter encrypts are returned decrypted: the encryption tests check the
 * ciphertext separately.
 *
 * Methods for optional capabilities are optional; the suite skips the cases that need them.
 */
export interface StorageInspector {
  /** The user row, or null. */
  user(id: string): Promise<{ id: string; displayName?: string; roles: string[] } | null>;
  /** The thread row, deleted or not, or null when no row exists. */
  thread(id: string): Promise<RawThread | null>;
  /** Every stored message of a thread, in stored order. */
  messages(threadId: string): Promise<RawMessage[]>;
  /** One user's feedback row on a message, or null. */
  feedback(messageId: string, userId: string): Promise<RawFeedback | null>;
  /** The stored key/values of a thread. */
  threadData(threadId: string): Promise<Record<string, unknown>>;
  /** The stored preferences of a user. */
  preferences(userId: string): Promise<Record<string, unknown>>;
  /** Stored flag overrides: global without `userId`, else that user's. */
  flags(userId?: string): Promise<Record<string, boolean>>;
  /** Units used in the newest window of a rate-limit counter, or null when none is stored. */
  counter(key: string): Promise<{ used: number } | null>;
  /** Stored chunk texts of a knowledge source, in order (capability `knowledge`). */
  knowledge?(source: string): Promise<string[]>;
  /** Stored audit events, oldest first (capability `audit`). */
  audit?(): Promise<Array<{ type: string; userId?: string }>>;
  /** Stored usage counters of a user (capability `audit`). */
  usage?(userId: string): Promise<Array<{ metric: string; count: number }>>;
  /** The stored value of a LangGraph store item, or null. */
  storeItem(namespace: string[], key: string): Promise<Record<string, unknown> | null>;
  /** How many checkpoints are stored for a thread (all namespaces). */
  checkpoints(threadId: string): Promise<number>;
}

/** Options for {@link describeStorageAdapter}. */
export interface DescribeStorageAdapterOptions<A extends StorageAdapter = StorageAdapter> {
  /** Shown in the test names, for example `sqlite`. */
  name: string;
  /** Creates a fresh adapter (not yet initialised; the suite calls `init()`). */
  create: () => A | Promise<A>;
  /** Cleans up after the suite (drop a schema, delete a file). `close()` is already called. */
  destroy?: (adapter: A) => void | Promise<void>;
  /** Raw reads of the backend behind `adapter`. */
  inspect: (adapter: A) => StorageInspector;
  /** Concurrent `consume` calls in the concurrency case (default 200, against a limit of 50). */
  concurrency?: number;
}

/** Shared state of one suite run: the adapter and its inspector, set in `beforeAll`. */
export interface StorageSuiteContext {
  readonly adapter: StorageAdapter;
  readonly inspect: StorageInspector;
}
