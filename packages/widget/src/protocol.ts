/**
 * The wire types the widget shares with `@dreamdeck/core` (types only: the widget never loads core
 * at run time, it speaks HTTP), plus the shapes of the HTTP answers it reads.
 */
import type {
  DiceRoll,
  FeedbackAggregate,
  FeedbackRecord,
  MessageAlternative,
  MessagePart,
  StoryImage,
  StoryMessage,
  ThreadRecord,
  TurnEvent,
  UsageRecord,
} from '@dreamdeck/core';

export type { DiceRoll, MessageAlternative, MessagePart, StoryImage, StoryMessage, ThreadRecord, TurnEvent };

/** An `interrupt` event: the turn waits for the player's answer. */
export type InterruptEvent = Extract<TurnEvent, { type: 'interrupt' }>;

/** A persona as `GET /personas` lists it. */
export interface PersonaInfo {
  id: string;
  name: string;
  description?: string;
  icon?: string;
}

/** `GET /flags` and `GET /preferences`: effective flags and the ones a user may toggle. */
export interface FlagsAnswer {
  flags: Record<string, boolean>;
  toggleable: string[];
  overrides?: Record<string, boolean>;
}

/** `GET /admin/usage`. */
export interface UsageAnswer {
  usage: UsageRecord[];
  totals: Record<string, number>;
}

/** `GET /admin/feedback`. */
export interface FeedbackAnswer {
  summary: FeedbackAggregate[];
  recent: FeedbackRecord[];
}

/** The caller's own rating of a message, as the thread routes return it. */
export interface OwnFeedback {
  value: 1 | -1;
  comment?: string;
}

/** A message from `GET /threads/:id` or its paging route: with the caller's rating when they gave one. */
export type LoadedMessage = StoryMessage & { feedback?: OwnFeedback };

/** `GET /threads/:id`: the thread, its newest messages and the question it waits on, if any. */
export interface ThreadAnswer {
  thread: ThreadRecord;
  messages: LoadedMessage[];
  hasMore?: boolean;
  interrupt?: Omit<InterruptEvent, 'type'>;
}
