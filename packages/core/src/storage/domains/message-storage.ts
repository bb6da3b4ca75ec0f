import type { MessageAlternative, MessagePart, MessageStatus, StoryMessage } from '../../types.js';

/** Options for listing messages. */
export interface ListMessagesOptions {
  /** Return at most this many: the newest ones before `before` (or the newest overall). */
  limit?: number;
  /** A message id: only messages stored before it. */
  before?: string;
  /** Include messages rewound out of the story (default false: they are left out). */
  includeRewound?: boolean;
}

/** Fields of a stored message that may change after it is appended. */
export interface MessagePatch {
  /** New content (markdown). */
  content?: string;
  /** New status. */
  status?: MessageStatus;
  /** New parts (replace the stored ones). */
  parts?: MessagePart[];
  /** New alternatives: earlier versions of a regenerated reply. */
  alternatives?: MessageAlternative[];
  /** Where the shown version sits among all versions (see `StoryMessage.alternativeIndex`). */
  alternativeIndex?: number;
  /**
   * Apply the patch only while the stored message has this status (checked and written
   * atomically); otherwise the message is returned unchanged. Lets one instance mark another's
   * reply without overwriting a newer write.
   */
  ifStatus?: MessageStatus;
}

/** The story: messages of each thread, in the order they were appended. */
export interface MessageStorage {
  /** Appends a message at the end of its thread. An `id` that exists fails with INVALID_INPUT. */
  appendMessage(message: StoryMessage): Promise<void>;
  /**
   * Appends several messages in order, all or none (one transaction): a branch's copy, an
   * imported story. Any `id` that exists fails with INVALID_INPUT and nothing is stored.
   */
  appendMessages(messages: StoryMessage[]): Promise<void>;
  /**
   * Rewinds the story: marks `fromMessageId` and every later message of the thread that is still
   * in the story with `rewoundAt` (now), at once. Such messages leave `listMessages` (unless
   * `includeRewound`) but stay stored. Resolves how many were marked; throws NOT_FOUND when
   * `fromMessageId` is not a message of the thread still in the story.
   */
  rewindMessages(threadId: string, fromMessageId: string): Promise<number>;
  /** Messages of a thread in stored order (oldest first). See {@link ListMessagesOptions}. */
  listMessages(threadId: string, options?: ListMessagesOptions): Promise<StoryMessage[]>;
  /** The message, or null. */
  getMessage(id: string): Promise<StoryMessage | null>;
  /** Changes content, status, parts, alternatives or the shown version. Throws NOT_FOUND for unknown ids. */
  updateMessage(id: string, patch: MessagePatch): Promise<StoryMessage>;
}

/** The methods of {@link MessageStorage}. */
export const MESSAGE_STORAGE_METHODS = [
  'appendMessage',
  'appendMessages',
  'rewindMessages',
  'listMessages',
  'getMessage',
  'updateMessage',
] as const satisfies ReadonlyArray<keyof MessageStorage>;
