import type { FeedbackAggregate, FeedbackRecord } from '../../types.js';

/** Thumbs up or down (with an optional comment) per message and user, and their aggregates. */
export interface FeedbackStorage {
  /** Sets (or replaces) a user's feedback on a message. */
  setFeedback(feedback: Omit<FeedbackRecord, 'createdAt'>): Promise<void>;
  /** One user's feedback on a message, or null. */
  getFeedback(messageId: string, userId: string): Promise<FeedbackRecord | null>;
  /** Counts per persona and UTC day, newest day first. */
  feedbackSummary(options?: { sinceDay?: string }): Promise<FeedbackAggregate[]>;
  /** The newest feedback entries that carry a comment. */
  recentFeedback(options?: { limit?: number }): Promise<FeedbackRecord[]>;
}

/** The methods of {@link FeedbackStorage}. */
export const FEEDBACK_STORAGE_METHODS = [
  'setFeedback',
  'getFeedback',
  'feedbackSummary',
  'recentFeedback',
] as const satisfies ReadonlyArray<keyof FeedbackStorage>;
