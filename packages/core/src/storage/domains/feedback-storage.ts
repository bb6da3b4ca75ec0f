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
  /**
   * Thumbs on messages that record a prompt variant (`StoryMessage.variant`), counted per persona
   * and variant: the feedback joined to its message. Messages without a variant are left out.
   */
  variantFeedback(): Promise<VariantFeedback[]>;
}

/** Thumbs up and down on the messages one prompt variant of a persona wrote. */
export interface VariantFeedback {
  /** The persona. */
  persona: string;
  /** The variant id. */
  variant: string;
  /** Thumbs up. */
  up: number;
  /** Thumbs down. */
  down: number;
}

/** The methods of {@link FeedbackStorage}. */
export const FEEDBACK_STORAGE_METHODS = [
  'setFeedback',
  'getFeedback',
  'feedbackSummary',
  'recentFeedback',
  'variantFeedback',
] as const satisfies ReadonlyArray<keyof FeedbackStorage>;
