import type { ErrorCode } from './errors.js';
import type { DiceRoll, MessageKind, StoryImage, StoryMessage } from './message-types.js';
import type { SurveyDefinition } from './surveys/survey-types.js';

// the memory API's wire types (`GET /memories` answers MemoryRecord[]); defined beside dd.memory
export type { MemoryRecord, MemoryScope } from './memory/memory-types.js';
// a story's messages and their parts; defined in message-types.ts
export type {
  DiceRoll,
  MessageAlternative,
  MessageKind,
  MessagePart,
  MessageRole,
  MessageStatus,
  StoryImage,
  StoryMessage,
} from './message-types.js';
// the admin routes' answers: `GET /admin/variants`, `GET /admin/surveys/:id`
export type { PersonaExperiment, VariantStats } from './personas/variant-types.js';
export type { QuestionReport, SurveyReport } from './surveys/survey-types.js';

/** The kinds of human-in-the-loop pauses. */
export type InterruptKind = 'approve-storyboard' | 'choice' | 'survey';

/** Events a turn yields, in order. A discriminated union on `type`. */
export type TurnEvent =
  /** The first event of every turn. */
  | {
      /** Discriminant. */
      type: 'turn-start';
      /** The turn's id (`turn_…`). */
      turnId: string;
      /** The thread it runs on. */
      threadId: string;
    }
  /** A GM or engine reply begins; its text follows as `message-delta`s. */
  | {
      /** Discriminant. */
      type: 'message-start';
      /** The id of the message being written. */
      messageId: string;
      /** `assistant` for GM narration, `tool` for engine replies (dice, commands, storyboards). */
      role: 'assistant' | 'tool';
      /** What the message is. */
      kind: Exclude<MessageKind, 'player'>;
      /** The narrating persona's id; set on narration. */
      persona?: string;
    }
  /** More text of a message: append it to what came before. */
  | {
      /** Discriminant. */
      type: 'message-delta';
      /** The message it extends. */
      messageId: string;
      /** The new text (a chunk of markdown, not the whole message). */
      text: string;
    }
  /** A message is finished and stored. */
  | {
      /** Discriminant. */
      type: 'message-end';
      /** The message as stored, with its final `status` and `parts`. */
      message: StoryMessage;
    }
  /** Dice were rolled. */
  | {
      /** Discriminant. */
      type: 'dice-roll';
      /** The `dice` message that shows the roll. */
      messageId: string;
      /** The roll. */
      roll: DiceRoll;
    }
  /** A storyboard image is ready. */
  | {
      /** Discriminant. */
      type: 'image';
      /** The storyboard message it belongs to. */
      messageId: string;
      /** The image. */
      image: StoryImage;
    }
  /**
   * The GM took a fact into long-term memory from a message (the `remember` task, after the
   * narration): a UI marks that message "remembered" now, as the stored `remembered` part does on reload.
   */
  | {
      /** Discriminant. */
      type: 'memory-added';
      /** The message the fact came from (it now carries a `remembered` part). */
      messageId: string;
      /**
       * The memory's id (`dd.memory`, `/memories/:id`). The fact's text is not in the event: turn
       * events are kept for a while (for rejoins, and in PostgreSQL's turn-event log), and a fact the
       * player forgets must be gone for good. Read it with `GET /memories` when it is needed.
       */
      memoryId: string;
    }
  /** Progress of long work, to show and then replace. */
  | {
      /** Discriminant. */
      type: 'status';
      /** What is happening ("Painting scene 2 of 3"). */
      text: string;
    }
  /** The turn pauses for the player; answer with `session.resume(interruptId, value)`. */
  | {
      /** Discriminant. */
      type: 'interrupt';
      /** Pass to `session.resume`. */
      interruptId: string;
      /** What is asked. */
      kind: InterruptKind;
      /** The question to show the player. */
      prompt: string;
      /** For `choice`, the answers to offer (resume with one); for `approve-storyboard`, the scene prompts to paint. */
      options?: string[];
      /** For `survey`: its id, title and questions (resume with answers by question id, or `null` to skip). */
      survey?: SurveyDefinition;
    }
  /**
   * The turn failed; the player's message is kept. A `RATE_LIMITED` error also carries
   * `retryAfterMs` (milliseconds until a retry can pass).
   */
  | {
      /** Discriminant. */
      type: 'error';
      /** Stable error code. */
      code: ErrorCode;
      /** Safe to show a player (an `INTERNAL` failure's details are logged, never sent). */
      message: string;
      /** Whether trying the same thing again later may succeed. */
      retryable: boolean;
    }
  /** The last event of every turn. */
  | {
      /** Discriminant. */
      type: 'turn-end';
      /** The turn's id, as in `turn-start`. */
      turnId: string;
      /** How it ended. */
      status: TurnStatus;
    };

/** How a turn ended. */
export type TurnStatus = 'complete' | 'interrupted' | 'error' | 'aborted';

/** The settled outcome of a turn. */
export interface TurnResult {
  /** The turn's id. */
  turnId: string;
  /** How it ended. */
  status: TurnStatus;
  /** Messages the turn stored, the player's included. */
  messages: StoryMessage[];
  /** The pending interrupt, when `status` is `interrupted`. */
  interrupt?: Extract<TurnEvent, { type: 'interrupt' }>;
  /** The error, when `status` is `error`. */
  error?: Extract<TurnEvent, { type: 'error' }>;
}

/** A running turn: iterate it for events, await `result` for the outcome. */
export interface Turn extends AsyncIterable<TurnEvent> {
  /** The turn's id, known before it starts (`turn_…`). */
  readonly turnId: string;
  /** Resolves when the turn ends (it never rejects; failures are `status: 'error'`). */
  readonly result: Promise<TurnResult>;
}

/** A user of the story engine. */
export interface UserRecord {
  /** The id your app gives the player (guests get `guest_…`). */
  id: string;
  /** A name to show, when one was given. */
  displayName?: string;
  /** Roles such as `admin` (may change flags and read analytics over HTTP) or `guest`. */
  roles: string[];
  /** When the user was first seen (ISO 8601). */
  createdAt: string;
}

/** A story thread. */
export interface ThreadRecord {
  /** Unique id (`thr_…` when generated). */
  id: string;
  /** The player who owns it; nobody else can read it. */
  userId: string;
  /** Shown in thread lists: `New story` unless a title was given or it was renamed. */
  title: string;
  /** The id of the persona narrating it (`/persona` switches it). */
  persona: string;
  /** ISO 8601. */
  createdAt: string;
  /** When a turn last started in it (ISO 8601; at first its creation); thread lists sort by it, newest first. A rename or persona switch leaves it unchanged. */
  updatedAt: string;
  /** The thread it was branched from (`session.branch`), when it is a branch. */
  parentThreadId?: string;
  /** The message of the parent thread the branch was made at (the branch holds the story up to it). */
  branchedFromMessageId?: string;
}

/** One feedback entry: a player's thumbs on a message. */
export interface FeedbackRecord {
  /** The message rated. */
  messageId: string;
  /** Its thread. */
  threadId: string;
  /** Who rated it (one entry per user and message; a new one replaces it). */
  userId: string;
  /** 1 (thumbs up) or -1 (thumbs down). */
  value: 1 | -1;
  /** The player's comment, when given (control characters stripped, at most 2000 characters). */
  comment?: string;
  /** The persona that wrote the message, when it had one. */
  persona?: string;
  /** When it was given (ISO 8601). */
  createdAt: string;
}

/** Feedback counts per persona and day (UTC, `YYYY-MM-DD`). */
export interface FeedbackAggregate {
  /** The persona rated (`unknown` for messages without one). */
  persona: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Thumbs up that day. */
  up: number;
  /** Thumbs down that day. */
  down: number;
}

/** A usage counter row: how much of `metric` a user spent on a day. */
export interface UsageRecord {
  /** The user. */
  userId: string;
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /**
   * What is counted: turns played, images painted, requests refused by a rate limit, dice rolled,
   * feedback given, to-dos done, web searches run; `tokens` is reserved (the engine does not count it yet).
   */
  metric: 'turns' | 'images' | 'rate-limited' | 'tokens' | 'rolls' | 'feedback' | 'todos-done' | 'searches';
  /** The total for that day. */
  count: number;
}
