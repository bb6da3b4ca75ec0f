import type { StorageAdapter } from '../../storage/storage-adapter.js';

/** A thread row as the backend holds it, soft-deleted rows included. */
export interface RawThread {
  /** The thread's id. */
  id: string;
  /** Its owner. */
  userId: string;
  /** Its title. */
  title: string;
  /** Its persona. */
  persona: string;
  /** Whether it is soft-deleted. */
  deleted: boolean;
  /** A branch's parent thread, when stored. */
  parentThreadId?: string;
  /** The parent's message a branch was made at, when stored. */
  branchedFromMessageId?: string;
}

/** A message row as the backend holds it (decrypted when the adapter encrypts). */
export interface RawMessage {
  /** The message's id. */
  id: string;
  /** Its thread. */
  threadId: string;
  /** `user`, `assistant`, `tool` or `system`. */
  role: string;
  /** Its kind (`narration`, `dice`, …). */
  kind: string;
  /** Its content, decrypted. */
  content: string;
  /** Its status. */
  status: string;
  /** The persona that wrote it, when stored. */
  persona?: string;
  /** Its parts, decrypted, when stored. */
  parts?: unknown[];
  /** Earlier versions of a regenerated reply, decrypted, when stored. */
  alternatives?: unknown[];
  /** Where the shown version sits among all versions, when stored. */
  alternativeIndex?: number;
  /** When it was rewound out of the story, when it was. */
  rewoundAt?: string;
}

/** A feedback row as the backend holds it. */
export interface RawFeedback {
  /** As stored: 1 or -1. */
  value: number;
  /** The comment, decrypted, when stored. */
  comment?: string;
  /** The persona of the rated message, when stored. */
  persona?: string;
}

/** A user row as the backend holds it. */
export interface RawUser {
  /** The user's id. */
  id: string;
  /** The display name, when stored. */
  displayName?: string;
  /** The roles. */
  roles: string[];
}

/** A stored audit event: its type and user. */
export interface RawAuditEvent {
  /** The event type. */
  type: string;
  /** The user, when stored. */
  userId?: string;
}

/** A stored usage counter of one user. */
export interface RawUsage {
  /** The metric counted. */
  metric: string;
  /** Its count. */
  count: number;
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
  user(id: string): Promise<RawUser | null>;
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
  counter(key: string): Promise<RawCounter | null>;
  /** Stored chunk texts of a knowledge source, in order (capability `knowledge`). */
  knowledge?(source: string): Promise<string[]>;
  /** Stored audit events, oldest first (capability `audit`). */
  audit?(): Promise<RawAuditEvent[]>;
  /** Stored usage counters of a user (capability `audit`). */
  usage?(userId: string): Promise<RawUsage[]>;
  /** The stored value of a LangGraph store item, or null. */
  storeItem(namespace: string[], key: string): Promise<Record<string, unknown> | null>;
  /** How many checkpoints are stored for a thread (all namespaces). */
  checkpoints(threadId: string): Promise<number>;
  /**
   * The stored lease of `key` (expired or not), or null when none is stored. `expiresInMs` is
   * measured by the clock that judges expiry (PostgreSQL: the server's), negative once expired.
   */
  lease(key: string): Promise<RawLease | null>;
  /**
   * The stored entries of a turn's event log, oldest first, as `{ seq, type }` (decrypted when
   * the adapter encrypts), or `[]` (capability `turnEvents`).
   */
  turnEvents?(turnId: string): Promise<RawTurnEvent[]>;
}

/** One stored entry of a turn's event log. */
export interface RawTurnEvent {
  /** Its sequence number in the turn. */
  seq: number;
  /** The event's `type`. */
  type: string;
}

/** A rate-limit counter as the backend holds it. */
export interface RawCounter {
  /** Units used in the counter's newest window. */
  used: number;
}

/** A lease row as the backend holds it. */
export interface RawLease {
  /** Who holds it. */
  holder: string;
  /** Milliseconds until it expires by the storage's clock; zero or less when expired. */
  expiresInMs: number;
}

/** A lease held by another process, started by {@link DescribeStorageAdapterOptions.spawnLeaseHolder}. */
export interface LeaseHolderProcess {
  /** Kills the process with SIGKILL (no cleanup runs) and resolves once it has exited. */
  kill(): Promise<void>;
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
  /**
   * Starts another process on the same backend that acquires `lease.key` for `lease.holder` with
   * `lease.ttlMs`, and resolves once it holds it (reject if it could not take it). The suite then
   * kills it mid-turn and checks the lease is free after its TTL and not before. Without it the
   * holder is simulated in this process (it acquires and then stops renewing): give it for every
   * adapter that several processes share.
   */
  spawnLeaseHolder?: (adapter: A, lease: { key: string; holder: string; ttlMs: number }) => Promise<LeaseHolderProcess>;
}

/** Shared state of one suite run: the adapter and its inspector, set in `beforeAll`. */
export interface StorageSuiteContext {
  /** The adapter under test, initialised. */
  readonly adapter: StorageAdapter;
  /** Raw reads of its backend. */
  readonly inspect: StorageInspector;
  /** `spawnLeaseHolder` bound to the adapter, when the suite was given one. */
  readonly spawnLeaseHolder?: (lease: { key: string; holder: string; ttlMs: number }) => Promise<LeaseHolderProcess>;
}
