import type { DreamdeckError } from './errors.js';
import type { TurnStatus } from './types.js';

/** Events on `dd.events` (an eventemitter3 emitter). */
export interface DreamdeckEvents {
  /** A turn started (a rate-limited or refused turn too: it ends with `turn-end` status `error`). */
  'turn-start': [
    event: {
      /** The turn's id. */
      turnId: string;
      /** The thread it runs on. */
      threadId: string;
      /** The player. */
      userId: string;
    },
  ];
  /** A turn ended, however it ended. */
  'turn-end': [
    event: {
      /** The turn's id. */
      turnId: string;
      /** The thread it ran on. */
      threadId: string;
      /** The player. */
      userId: string;
      /** How it ended. */
      status: TurnStatus;
      /** Wall-clock time from start to end, in milliseconds. */
      durationMs: number;
      /** Narration chunks the model streamed, one counted per chunk (an estimate of output tokens). */
      tokens: number;
    },
  ];
  /** A turn or background job failed. */
  error: [
    event: {
      /** What went wrong, with its code and cause. */
      error: DreamdeckError;
      /** The turn, when a turn failed. */
      turnId?: string;
      /** Its thread, when known. */
      threadId?: string;
      /** The player, when known. */
      userId?: string;
    },
  ];
  /** A user went over a rate limit; the request failed with `RATE_LIMITED`. */
  'rate-limited': [
    event: {
      /** The user. */
      userId: string;
      /** Which limit: `turnsPerMinute`, `imagesPerMinute` or `apiCallsPerHour`. */
      limit: string;
      /** Milliseconds until the limit's window resets. */
      retryAfterMs: number;
    },
  ];
  /** A flag override changed here, or another instance's global change was seen on refresh. */
  'flag-change': [
    event: {
      /** The flag. */
      name: string;
      /** The new override; `null` when it was removed (the configured default applies). */
      value: boolean | null;
      /** The user whose own toggle changed; absent for a global override. */
      userId?: string;
    },
  ];
  /** A storyboard image was painted. */
  'image-generated': [
    event: {
      /** Who it was painted for. */
      userId: string;
      /** The thread it belongs to. */
      threadId: string;
      /** The image's id (`StoryImage.id`). */
      imageId: string;
      /** The image adapter's `name`. */
      adapter: string;
    },
  ];
  /** `dd.reloadConfig()` finished. */
  'config-reload': [
    event: {
      /** Whether the new config was applied. */
      ok: boolean;
      /** Why not, when `ok` is false (the old config stays in effect). */
      error?: DreamdeckError;
    },
  ];
}
