/** Who a memory follows: the player across every story (`user`), or one story (`thread`). */
export type MemoryScope = 'user' | 'thread';

/** A fact the GM remembers, kept in the storage adapter's LangGraph `BaseStore` (one namespace per user). */
export interface MemoryRecord {
  /** Unique id (`mem_…`). */
  id: string;
  /** The player it belongs to. */
  userId: string;
  /** `user`: follows the player into every story; `thread`: this story only. */
  scope: MemoryScope;
  /** The story of a `thread` memory. */
  threadId?: string;
  /** The fact, one short sentence. */
  text: string;
  /** `player`: the player said it (`/remember`, the Memory panel, the API); `extracted`: the GM noticed it. */
  source: 'player' | 'extracted';
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  /** What the fact is about (`name`, `sister`, `carries: the relic`): an extracted fact with the same subject updates it. */
  subject?: string;
  /** The message the fact came from, when known (a UI marks it "remembered"). */
  messageId?: string;
}

/** Options for {@link DreamdeckMemory.list}. */
export interface ListMemoriesOptions {
  /** Only memories that apply in this story: the player's `user` memories and this thread's. */
  threadId?: string;
  /** Rank by relevance to this text (the same ranking a turn's recall uses) and leave out the unrelated. */
  query?: string;
  /** At most this many (default 100, at most 1,000). */
  limit?: number;
}

/** What {@link DreamdeckMemory.remember} stores. */
export interface RememberInput {
  /** The fact (at most 500 characters). */
  text: string;
  /** Default `thread` when `threadId` is given, else `user`. */
  scope?: MemoryScope;
  /** The story a `thread` memory belongs to (it must be the user's). */
  threadId?: string;
}

/** The rolling summary of a thread: what left the recent window, folded into a few paragraphs. */
export interface StorySummary {
  /** The summary (within config `memory.summaryTokens`). */
  text: string;
  /** The newest message folded into it; the window starts after it. */
  throughMessageId: string;
  /** ISO 8601. */
  updatedAt: string;
}

/**
 * Long-term memory (`dd.memory`): facts about the player and the story, kept per user in the
 * storage's `BaseStore` (encrypted at rest with the adapter's `encryptionKey`). Every method is
 * owner-only: another user's memory id answers `NOT_FOUND`.
 */
export interface DreamdeckMemory {
  /** The user's memories, newest first (or, with `query`, most relevant first). */
  list(userId: string, options?: ListMemoriesOptions): Promise<MemoryRecord[]>;
  /** Stores a fact the player gave (`source: 'player'`); an identical one is returned instead of repeated. */
  remember(userId: string, input: RememberInput): Promise<MemoryRecord>;
  /** Changes a memory's text. */
  update(userId: string, id: string, patch: { text: string }): Promise<MemoryRecord>;
  /** Deletes a memory for good (no copy is kept). */
  forget(userId: string, id: string): Promise<void>;
  /**
   * Deletes what memory keeps of one story: its `thread` memories and its rolling summary. The HTTP
   * API calls it when a thread is deleted; call it yourself when you delete threads through storage.
   */
  forgetThread(userId: string, threadId: string): Promise<void>;
}
