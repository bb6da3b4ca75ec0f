import type { FeedbackAggregate } from '../../types.js';
import type { FeedbackStorage, VariantFeedback } from '../domains/feedback-storage.js';
import { utcDay } from '../ids.js';
import { clone, type MemoryStorageRaw } from './memory-raw.js';

/** Feedback in memory, one entry per message and user. */
export function createMemoryFeedback(raw: MemoryStorageRaw): FeedbackStorage {
  return {
    async setFeedback(feedback) {
      raw.feedback.set(`${feedback.messageId}\u0000${feedback.userId}`, {
        ...clone(feedback),
        createdAt: new Date().toISOString(),
      });
    },
    async getFeedback(messageId, userId) {
      const row = raw.feedback.get(`${messageId}\u0000${userId}`);
      return row ? clone(row) : null;
    },
    async feedbackSummary(options = {}) {
      const groups = new Map<string, FeedbackAggregate>();
      for (const row of raw.feedback.values()) {
        const day = utcDay(row.createdAt);
        if (options.sinceDay && day < options.sinceDay) continue;
        const persona = row.persona ?? 'unknown';
        const key = `${persona}\u0000${day}`;
        const group = groups.get(key) ?? { persona, day, up: 0, down: 0 };
        if (row.value > 0) group.up++;
        else group.down++;
        groups.set(key, group);
      }
      return [...groups.values()].sort((a, b) => b.day.localeCompare(a.day) || a.persona.localeCompare(b.persona));
    },
    async variantFeedback() {
      const groups = new Map<string, VariantFeedback>();
      for (const row of raw.feedback.values()) {
        const message = raw.messageIndex.get(row.messageId);
        if (!message?.variant) continue;
        const persona = message.persona ?? 'unknown';
        const key = `${persona}\u0000${message.variant}`;
        const group = groups.get(key) ?? { persona, variant: message.variant, up: 0, down: 0 };
        if (row.value > 0) group.up++;
        else group.down++;
        groups.set(key, group);
      }
      return [...groups.values()].sort(
        (a, b) => a.persona.localeCompare(b.persona) || a.variant.localeCompare(b.variant),
      );
    },
    async recentFeedback(options = {}) {
      return [...raw.feedback.values()]
        .filter((row) => row.comment)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, options.limit ?? 20)
        .map(clone);
    },
  };
}
