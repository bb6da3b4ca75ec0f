import type { StoryMessage } from '../../types.js';
import type { ListMessagesOptions, MessagePatch, MessageStorage } from '../domains/message-storage.js';
import { alreadyExistsError, notFoundError } from '../storage-errors.js';
import { clone, deepFreeze, type MemoryStorageRaw } from './memory-raw.js';

/** Messages in memory: stored frozen and shared on read (no copy per read keeps the hot path cheap). */
export function createMemoryMessages(raw: MemoryStorageRaw): MessageStorage {
  return {
    async appendMessage(message) {
      const list = raw.messages.get(message.threadId);
      if (!list) throw notFoundError('memory', 'thread', message.threadId);
      if (raw.messageIndex.has(message.id)) throw alreadyExistsError('memory', 'message', message.id);
      // Messages are stored frozen and shared on read: no copy per read keeps the hot path cheap.
      const copy = deepFreeze(clone(message));
      list.push(copy);
      raw.messageIndex.set(message.id, copy);
    },
    async listMessages(threadId, options: ListMessagesOptions = {}) {
      const list = raw.messages.get(threadId) ?? [];
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
    async getMessage(id) {
      return raw.messageIndex.get(id) ?? null;
    },
    async updateMessage(id, patch: MessagePatch) {
      const message = raw.messageIndex.get(id);
      if (!message) throw notFoundError('memory', 'message', id);
      if (patch.ifStatus !== undefined && message.status !== patch.ifStatus) return message;
      const next: StoryMessage = { ...message };
      for (const key of ['content', 'status', 'parts', 'alternatives'] as const) {
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
