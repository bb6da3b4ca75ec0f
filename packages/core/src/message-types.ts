// A story's messages as the engine stores and returns them: roles, kinds, statuses and structured parts.
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
  /** Each die as rolled, in order; `dropped` dice do not count toward the total. */
  rolls: Array<{
    /** The face the die landed on. */
    value: number;
    /** Present (`true`) when a keep/drop modifier (`kh`, `kl`, `d`, …) left the die out of the total. */
    dropped?: boolean;
    /** Present (`true`) when the die exploded (`!`): it rolled high enough to add another die. */
    exploded?: boolean;
    /** Set when the notation's critical modifiers (`cs`, `cf`) mark the die a critical success or failure. */
    critical?: 'success' | 'failure';
  }>;
  /** The final total. */
  total: number;
  /** Why it was rolled ("strength" from `/roll 1d20 for strength`: a leading "for" is dropped; at most 200 characters). */
  reason?: string;
  /** The library's readable output, for example `4d6kh3: [6, 5, 3d, 4] = 15`. */
  output: string;
}

/** An image painted for the storyboard. */
export interface StoryImage {
  /** Unique id of the image. */
  id: string;
  /** `data:` URL for inline images, or a remote URL. */
  url: string;
  /** Its media type, for example `image/png`. */
  mimeType: string;
  /** The prompt it was painted from. */
  prompt: string;
}

/** Structured pieces attached to a message, beside its markdown `content`. */
export type MessagePart =
  /** The roll a `dice` message shows. */
  | {
      /** Discriminant. */
      type: 'dice';
      /** The roll. */
      roll: DiceRoll;
    }
  /** One painted storyboard image, in scene order. */
  | {
      /** Discriminant. */
      type: 'image';
      /** The image. */
      image: StoryImage;
    }
  /** Options the GM offered as a numbered list in its reply (2 to 5), for a UI to show as buttons. */
  | {
      /** Discriminant. */
      type: 'choices';
      /** The options' text, in order, without their numbers. */
      options: string[];
    }
  /** Something that failed inside the message (a dice error, a disabled feature, images that could not be painted). */
  | {
      /** Discriminant. */
      type: 'error';
      /** What kind of failure. */
      code: ErrorCode;
      /** Safe to show to the player. */
      message: string;
    }
  /** A chapter break left by `/reset`: the model's memory window stops here. */
  | {
      /** Discriminant. */
      type: 'reset';
    }
  /**
   * One web search result of a `search` message. Untrusted text from the web: show `title` and
   * `snippet` as plain text, and link `url` only when it is `http(s)`.
   */
  | {
      /** Discriminant. */
      type: 'search-result';
      /** The page's title (plain text). */
      title: string;
      /** The page's address. */
      url: string;
      /** An extract of the page (plain text). */
      snippet: string;
    }
  /** A fact the GM took into long-term memory from this message (a UI marks the message "remembered"). */
  | {
      /** Discriminant. */
      type: 'remembered';
      /** The memory's id (`dd.memory`, `/memories/:id`); the part goes when the memory is forgotten. */
      memoryId: string;
    }
  /**
   * A knowledge-base passage the narration was given (`dd.knowledge`): a UI shows the title and
   * opens the passage on demand (`GET /knowledge/chunks/:chunkId`). The title is the uploader's
   * text: show it as plain text.
   */
  | {
      /** Discriminant. */
      type: 'citation';
      /** The document the passage comes from. */
      documentId: string;
      /** That document's title. */
      title: string;
      /** The passage (`<documentId>#<index>`). */
      chunkId: string;
    };

/** An earlier version of a regenerated reply. */
export interface MessageAlternative {
  /** Its markdown text. */
  content: string;
  /** Its structured parts, when it had any. */
  parts?: MessagePart[];
  /** When it was first written (ISO 8601). */
  createdAt: string;
  /** How it ended. */
  status: MessageStatus;
}

/** A message in a story thread. */
export interface StoryMessage {
  /** Unique id (`msg_…`). */
  id: string;
  /** The thread it belongs to. */
  threadId: string;
  /** Who wrote it: the player (`user`), the GM (`assistant`), the engine (`tool`, `system`). */
  role: MessageRole;
  /** What it is, so a UI can render it (`player` for the player's own messages). */
  kind: MessageKind;
  /** The id of the persona that narrated it; set on GM narration. */
  persona?: string;
  /** Markdown. */
  content: string;
  /** Structured pieces beside `content`: dice, images, choices, errors, a reset marker. */
  parts?: MessagePart[];
  /** ISO 8601. */
  createdAt: string;
  /** `streaming` while the GM writes it, then how it ended. */
  status: MessageStatus;
  /** The turn that produced it. */
  turnId?: string;
  /** The persona's prompt variant that wrote it, when its persona runs a prompt experiment (see docs/prompt-experiments.md). */
  variant?: string;
  /** Replies replaced by `regenerate`, oldest first; the player can switch back. */
  alternatives?: MessageAlternative[];
  /**
   * With `alternatives`: where the shown version sits among all versions (the alternatives in
   * order with the shown one inserted at this index; `session.selectAlternative` sets it). Absent
   * means last: the newest version is shown.
   */
  alternativeIndex?: number;
  /**
   * When the message was rewound out of the story (ISO 8601; `session.rewind`, or `session.edit`
   * with `rerun`). Only `session.history({ includeRewound: true })` returns such messages.
   */
  rewoundAt?: string;
}
