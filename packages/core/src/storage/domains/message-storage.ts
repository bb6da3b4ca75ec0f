import type { MessageAlternative, MessagePart, MessageStatus, StoryMessage } from '../../types.js';

/** Options for listing messages. */
export interface ListMessagesOptions {
  /** Return at most this many: the newest ones before `before` (or the newest overall). */
  limit?: number;
  /** A message id: only messages stored before it. */
  before?: string;
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
  /** Messages of a thread in stored order (oldest first). See {@link ListMessagesOptions}. */
  listMessages(threadId: string, options?: ListMessagesOptions): Promise<StoryMessage[]>;
  /** The message, or null. */
  getMessage(id: string): Promise<StoryMessage | null>;
  /** Changes content, status, parts or alternatives. Throws NOT_FOUND for unknown ids. */
  updateMessage(id: string, patch: MessagePatch): Promise<StoryMessage>;
}

/** The methods of {@link MessageStorage}. */
export const MESSAGE_STORAGE_METHODS = [
  'appendMessage',
  'listMessages',
  'getMessage',
  'updateMessage',
] as const satisfies ReadonlyArray<keyof MessageStorage>;
