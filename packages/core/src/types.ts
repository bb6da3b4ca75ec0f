import type { ErrorCode } from './errors.js';

/** Who wrote a message. */
export type MessageRole = 'user' | 'assistant' | 'tool' | 'system';

/** What a message is, so a UI can render it. */
export type MessageKind =
  | 'player'
  | 'narration'
  | 'dice'
  | 'search'
  | 'storyboard'
  | 'knowledge'
  | 'todo'
  | 'help'
  | 'system';

/** Lifecycle of a stored message. */
export type MessageStatus = 'streaming' | 'complete' | 'aborted' | 'error';

/** One die roll result. */
export interface DiceRoll {
  /** Normalised notation, for example `4d6kh3`. */
  notation: string;
  /** Each die as rolled; `dropped` dice do not count toward the total. */
  rolls: Array<{ value: number; dropped?: boolean; exploded?: boolean; critical?: 'success' | 'failure' }>;
  /** The final total. */
  total: number;
  /** Why it was rolled ("for strength"). */
  reason?: string;
  /** The library's readable output, for example `4d6kh3: [6, 5, 3d, 4] = 15`. */
  output: string;
}

/** An image painted for the storyboard. */
export interface StoryImage {
  id: string;
  /** `data:` URL for inline images, or a remote URL. */
  url: string;
  mimeType: string;
  prompt: string;
}

/** Structured pieces attached to a message, beside its markdown `content`. */
export type MessagePart =
  | { type: 'dice'; roll: DiceRoll }
  | { type: 'image'; image: StoryImage }
  | { type: 'choices'; options: string[] }
  | { type: 'error'; code: ErrorCode; message: string }
  /** A chapter break left by `/reset`: the model's memory window stops here. */
  | { type: 'reset' };

/** An earlier version of a regenerated reply. */
export interface MessageAlternative {
  content: string;
  parts?: MessagePart[];
  createdAt: string;
  status: MessageStatus;
}

/** A message in a story thread. */
export interface StoryMessage {
  id: string;
  threadId: string;
  role: MessageRole;
  kind: MessageKind;
  persona?: string;
  /** Markdown. */
  content: string;
  parts?: MessagePart[];
  /** ISO 8601. */
  createdAt: string;
  status: MessageStatus;
  /** The turn that produced it. */
  turnId?: string;
  /** Replies replaced by `regenerate`, oldest first; the player can switch back. */
  alternatives?: MessageAlternative[];
}

/** The kinds of human-in-the-loop pauses. */
export type InterruptKind = 'approve-storyboard' | 'choice' | 'survey';

/** Events a turn yields, in order. A discriminated union on `type`. */
export type TurnEvent =
  | { type: 'turn-start'; turnId: string; threadId: string }
  | {
      type: 'message-start';
      messageId: string;
      role: 'assistant' | 'tool';
      kind: Exclude<MessageKind, 'player'>;
      persona?: string;
    }
  | { type: 'message-delta'; messageId: string; text: string }
  | { type: 'message-end'; message: StoryMessage }
  | { type: 'dice-roll'; messageId: string; roll: DiceRoll }
  | { type: 'image'; messageId: string; image: StoryImage }
  | { type: 'status'; text: string }
  | { type: 'interrupt'; interruptId: string; kind: InterruptKind; prompt: string; options?: string[] }
  | { type: 'error'; code: ErrorCode; message: string; retryable: boolean }
  | { type: 'turn-end'; turnId: string; status: TurnStatus };

/** How a turn ended. */
export type TurnStatus = 'complete' | 'interrupted' | 'error' | 'aborted';

/** The settled outcome of a turn. */
export interface TurnResult {
  turnId: string;
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
  readonly turnId: string;
  /** Resolves when the turn ends (it never rejects; failures are `status: 'error'`). */
  readonly result: Promise<TurnResult>;
}

/** A user of the story engine. */
export interface UserRecord {
  id: string;
  displayName?: string;
  roles: string[];
  createdAt: string;
}

/** A story thread. */
export interface ThreadRecord {
  id: string;
  userId: string;
  title: string;
  persona: string;
  createdAt: string;
  updatedAt: string;
}

/** One feedback entry: a player's thumbs on a message. */
export interface FeedbackRecord {
  messageId: string;
  threadId: string;
  userId: string;
  /** 1 (thumbs up) or -1 (thumbs down). */
  value: 1 | -1;
  comment?: string;
  persona?: string;
  createdAt: string;
}

/** Feedback counts per persona and day (UTC, `YYYY-MM-DD`). */
export interface FeedbackAggregate {
  persona: string;
  day: string;
  up: number;
  down: number;
}

/** A usage counter row: how much of `metric` a user spent on a day. */
export interface UsageRecord {
  userId: string;
  day: string;
  metric: 'turns' | 'images' | 'rate-limited' | 'tokens';
  count: number;
}
