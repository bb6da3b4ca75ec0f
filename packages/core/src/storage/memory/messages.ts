import type { StoryMessage } from '../../types.js';
import type { ListMessagesOptions, MessagePatch, MessageStorage } from '../domains/message-storage.js';
import { alreadyExistsError, notFoundError } from '../storage-errors.js';
import { clone, deepFreeze, type MemoryStorageRaw } from './memory-raw.js';

/** Messages in memory: stored frozen and shared on read (no copy per read keeps the hot path cheap). */
export function createMemoryMessages(raw: MemoryStorageRaw): MessageStorage {
  /** Threads that hold rewound messages (their listing filters them out). */
  const rewound = new Set<string>();
  const append = async (message: StoryMessage) => {
    const list = raw.messages.get(message.threadId);
    if (!list) throw notFoundError('memory', 'thread', message.threadId);
    if (raw.messageIndex.has(message.id)) throw alreadyExistsError('memory', 'message', message.id);
    // Messages are stored frozen and shared on read: no copy per read keeps the hot path cheap.
    const copy = deepFreeze(clone(message));
    list.push(copy);
    raw.messageIndex.set(message.id, copy);
  };
  return {
    appendMessage: append,
    async listMessages(threadId, options: ListMessagesOptions = {}) {
      const stored = raw.messages.get(threadId) ?? [];
      // rewound messages stay in the list; a thread that never rewound skips the filter
      const list =
        options.includeRewound || !rewound.has(threadId) ? stored : stored.filter((m) => m.rewoundAt === undefined);
      let end = list.length;
      if (options.before) {
        // Search from the end: the cursor is almost always recent.
        end = 0;
        for (let i = list.length - 1; i >= 0; i--) {
          if (list[i]?.id === options.before) {
            end = i;
            break;
          }
        }
      }
      const start = options.limit === undefined ? 0 : Math.max(0, end - options.limit);
      return list.slice(start, end);
    },
    async appendMessages(messages) {
      const ids = new Set<string>();
      for (const message of messages) {
        if (!raw.messages.has(message.threadId)) throw notFoundError('memory', 'thread', message.threadId);
        if (raw.messageIndex.has(message.id) || ids.has(message.id))
          throw alreadyExistsError('memory', 'message', message.id);
        ids.add(message.id);
      }
      for (const message of messages) await append(message);
    },
    async rewindMessages(threadId, fromMessageId) {
      const list = raw.messages.get(threadId) ?? [];
      const from = list.findIndex((m) => m.id === fromMessageId && m.rewoundAt === undefined);
      if (from < 0) throw notFoundError('memory', 'message', fromMessageId);
      const rewoundAt = new Date().toISOString();
      let count = 0;
      for (let i = from; i < list.length; i++) {
        const message = list[i] as StoryMessage;
        if (message.rewoundAt !== undefined) continue;
        const next = deepFreeze({ ...message, rewoundAt });
        list[i] = next;
        raw.messageIndex.set(next.id, next);
        count++;
      }
      rewound.add(threadId);
      return count;
    },
    async getMessage(id) {
      return raw.messageIndex.get(id) ?? null;
    },
    async updateMessage(id, patch: MessagePatch) {
      const message = raw.messageIndex.get(id);
      if (!message) throw notFoundError('memory', 'message', id);
      if (patch.ifStatus !== undefined && message.status !== patch.ifStatus) return message;
      const next: StoryMessage = { ...message };
      for (const key of ['content', 'status', 'parts', 'alternatives', 'alternativeIndex'] as const) {
        if (patch[key] !== undefined) Object.assign(next, { [key]: clone(patch[key]) });
      }
      deepFreeze(next);
      const list = raw.messages.get(message.threadId) ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === message) {
          list[i] = next;
          break;
        }
      }
      raw.messageIndex.set(id, next);
      return next;
    },
  };
}
