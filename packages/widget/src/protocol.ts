/**
 * The wire types the widget shares with `@dreamdeck/core` (types only: the widget never loads core
 * at run time, it speaks HTTP), plus the shapes of the HTTP answers it reads.
 */
import type {
  DiceRoll,
  FeedbackAggregate,
  FeedbackRecord,
  MemoryRecord,
  MessageAlternative,
  MessagePart,
  StoryImage,
  StoryMessage,
  ThreadRecord,
  TurnEvent,
  UsageRecord,
} from '@dreamdeck/core';

export type {
  DiceRoll,
  MemoryRecord,
  MessageAlternative,
  MessagePart,
  StoryImage,
  StoryMessage,
  ThreadRecord,
  TurnEvent,
};

/** An `interrupt` event: the turn waits for the player's answer. */
export type InterruptEvent = Extract<
  TurnEvent,
  {
    /** Discriminant: `interrupt`. */
    type: 'interrupt';
  }
>;

/**
 * The answer to an `interrupt`: `true`/`false` for a storyboard, one of the options for a choice,
 * answers by question id (or `null` to skip) for a survey.
 */
export type InterruptAnswer = boolean | string | Record<string, number | string> | null;

/** A persona as `GET /personas` lists it. */
export interface PersonaInfo {
  /** The persona's id (`storyteller`, `dungeon-master`, …), as threads and preferences name it. */
  id: string;
  /** Display name. */
  name: string;
  /** One line for pickers. */
  description?: string;
  /** An emoji or short icon text. */
  icon?: string;
}

/** `GET /flags` and `GET /preferences`: effective flags and the ones a user may toggle. */
export interface FlagsAnswer {
  /** Every flag as it is in effect for the caller (defaults, global overrides, their own toggles). */
  flags: Record<string, boolean>;
  /** The flags a player may toggle for themselves. */
  toggleable: string[];
  /** The global overrides set by admins; only admins get them. */
  overrides?: Record<string, boolean>;
}

/** `GET /admin/usage`. */
export interface UsageAnswer {
  /** One counter per user, UTC day and metric, newest day first. */
  usage: UsageRecord[];
  /** The sum of `usage` per metric. */
  totals: Record<string, number>;
}

/** `GET /admin/feedback`. */
export interface FeedbackAnswer {
  /** Thumbs per persona and UTC day, newest day first. */
  summary: FeedbackAggregate[];
  /** The newest ratings that carry a comment. */
  recent: FeedbackRecord[];
}

/** The caller's own rating of a message, as the thread routes return it. */
export interface OwnFeedback {
  /** 1 (thumbs up) or -1 (thumbs down). */
  value: 1 | -1;
  /** Their comment, when they left one. */
  comment?: string;
}

/** A message from `GET /threads/:id` or its paging route: with the caller's rating when they gave one. */
export type LoadedMessage = StoryMessage & {
  /** The caller's rating; absent when they gave none. */
  feedback?: OwnFeedback;
};

/** `GET /threads/:id`: the thread, its newest messages and the question it waits on, if any. */
export interface ThreadAnswer {
  /** The thread. */
  thread: ThreadRecord;
  /** Its newest messages (200 unless `?limit=` says otherwise), oldest first. */
  messages: LoadedMessage[];
  /** Whether older messages exist (page back with `?before=` the oldest id). */
  hasMore?: boolean;
  /** The question the thread waits on, when no turn is running and its latest turn asked one. */
  interrupt?: Omit<InterruptEvent, 'type'>;
}
