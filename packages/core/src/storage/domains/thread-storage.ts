import type { ThreadRecord, UserRecord } from '../../types.js';

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  /** The records of this page, in listing order. */
  items: T[];
  /** Pass as `cursor` to get the next page; absent on the last page. */
  nextCursor?: string;
}

/** Options for listing threads. */
export interface ListThreadsOptions {
  /** Page size (default 50, at most 200). */
  limit?: number;
  /**
   * From a previous page's `nextCursor` (a keyset cursor: later pages are neither shifted nor
   * repeated by threads created meanwhile). Anything else fails with `INVALID_INPUT`.
   */
  cursor?: string;
}

/** Users: who plays, with their roles. */
export interface UserStorage {
  /** Creates the user or updates the given fields. */
  upsertUser(user: { id: string; displayName?: string; roles?: string[] }): Promise<UserRecord>;
  /** The user, or null. */
  getUser(id: string): Promise<UserRecord | null>;
}

/** Story threads of each user. */
export interface ThreadStorage {
  /** Creates a thread; `id` is generated when absent. An `id` that exists fails with INVALID_INPUT. */
  createThread(input: {
    id?: string;
    userId: string;
    title?: string;
    persona: string;
    /** A branch: the thread it was branched from. */
    parentThreadId?: string;
    /** A branch: the parent's message it was branched at. */
    branchedFromMessageId?: string;
  }): Promise<ThreadRecord>;
  /** A thread that is not deleted, or null. */
  getThread(id: string): Promise<ThreadRecord | null>;
  /** A user's threads, most recently updated (by story activity: see `updateThread`) first. */
  listThreads(userId: string, options?: ListThreadsOptions): Promise<Page<ThreadRecord>>;
  /**
   * Renames or switches persona, or touches the thread with an empty patch. Only a touch (story
   * activity: the engine touches the thread as each turn starts) changes `updatedAt`, to now and
   * later than every other thread of the user, which moves it to the top of `listThreads`; a rename
   * or persona switch leaves it in its place, so a client paging the list never skips it. Throws
   * NOT_FOUND for unknown threads.
   */
  updateThread(id: string, patch: { title?: string; persona?: string }): Promise<ThreadRecord>;
  /** Soft-deletes: the thread disappears from get and list; its rows stay. */
  deleteThread(id: string): Promise<void>;
}

/** The methods of {@link UserStorage} and {@link ThreadStorage}. */
export const THREAD_STORAGE_METHODS = [
  'upsertUser',
  'getUser',
  'createThread',
  'getThread',
  'listThreads',
  'updateThread',
  'deleteThread',
] as const satisfies ReadonlyArray<keyof (UserStorage & ThreadStorage)>;
