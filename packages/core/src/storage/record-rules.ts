import { DreamdeckError } from '../errors.js';
import type { ConsumeResult } from './domains/counter-storage.js';

/**
 * Applies a preferences patch the way `setPreferences` documents it: keys with `null` (or
 * `undefined`) are removed, every other key is set. Returns a new object; `current` is not changed.
 */
export function mergePreferences(
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): Record<string, unknown> {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Clamps a thread page size to 1..200 (default 50), as `listThreads` documents it. */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 50), 1), 200);
}

/** The next `updatedAt` of a record: now, but always later than `previous`, so "newest first" is a strict order. */
export function nextTimestamp(previous: string): string {
  return new Date(Math.max(Date.now(), Date.parse(previous) + 1)).toISOString();
}

/**
 * The answer of a fixed-window `consume`, shared by every adapter. `counted` is the window's new
 * total when the atomic write counted the cost, `undefined` when it refused; `stored` is the
 * counter as stored (read after a refusal), whose units count only if it is of this window.
 */
export function consumeOutcome(
  window: { start: number; resetInMs: number },
  counted: number | undefined,
  stored?: { windowStart: number; used: number },
): ConsumeResult {
  if (counted !== undefined) return { allowed: true, used: counted, resetInMs: window.resetInMs };
  const used = stored && stored.windowStart === window.start ? stored.used : 0;
  return { allowed: false, used, resetInMs: window.resetInMs };
}

/**
 * Checks a lease TTL: a positive, finite number of milliseconds (fractions round up). Anything else
 * fails with `INVALID_INPUT`, so a bad TTL never takes a lease that expires at once or never.
 */
export function leaseTtlMs(ttlMs: number): number {
  if (typeof ttlMs !== 'number' || !Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] lease ttlMs must be a positive number of ms, got ${ttlMs}`);
  }
  return Math.ceil(ttlMs);
}
