import type { DreamdeckError } from './errors.js';
import type { TurnStatus } from './types.js';

/** Events on `dd.events` (an eventemitter3 emitter). */
export interface DreamdeckEvents {
  'turn-start': [event: { turnId: string; threadId: string; userId: string }];
  'turn-end': [
    event: { turnId: string; threadId: string; userId: string; status: TurnStatus; durationMs: number; tokens: number },
  ];
  /** A turn or background job failed. */
  error: [event: { error: DreamdeckError; turnId?: string; threadId?: string; userId?: string }];
  'rate-limited': [event: { userId: string; limit: string; retryAfterMs: number }];
  'flag-change': [event: { name: string; value: boolean | null; userId?: string }];
  'image-generated': [event: { userId: string; threadId: string; imageId: string; adapter: string }];
  'config-reload': [event: { ok: boolean; error?: DreamdeckError }];
}
