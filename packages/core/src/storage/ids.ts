import { randomUUID } from 'node:crypto';

/** A new random id with a short readable prefix, for example `msg_…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '')}`;
}

/** The UTC day of an ISO timestamp or Date, as `YYYY-MM-DD`. */
export function utcDay(at: string | Date = new Date()): string {
  return (typeof at === 'string' ? at : at.toISOString()).slice(0, 10);
}

/** Milliseconds until the fixed window of `windowMs` containing `now` ends, and its start. */
export function fixedWindow(
  now: number,
  windowMs: number,
): {
  /** When the window began (epoch ms, a multiple of `windowMs`). */
  start: number;
  /** Milliseconds from `now` until it ends. */
  resetInMs: number;
} {
  const start = Math.floor(now / windowMs) * windowMs;
  return { start, resetInMs: start + windowMs - now };
}
