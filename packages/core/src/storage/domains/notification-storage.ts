/**
 * The largest payload, in UTF-8 bytes, that {@link NotificationStorage.publish} accepts: under
 * PostgreSQL `NOTIFY`'s limit of 8,000 bytes, so every adapter holds the same bound.
 */
export const NOTIFICATION_PAYLOAD_LIMIT = 7900;

/** A channel name: letters, digits and `_ - . :`, 1 to 120 characters. */
export const NOTIFICATION_CHANNEL = /^[\w.:-]{1,120}$/;

/**
 * Messages between the instances sharing one storage (optional capability `notifications`): the
 * engine announces flag and config changes on them and carries a running turn's progress to an
 * instance where a client rejoined it. Delivery is best effort and at most once: a subscriber
 * whose connection was down misses what was published meanwhile (the engine polls as a fallback).
 * The publishing instance receives its own messages too.
 */
export interface NotificationStorage {
  /**
   * Sends `payload` to every subscriber of `channel` on every instance, this one included.
   * `channel` must match {@link NOTIFICATION_CHANNEL}, else `INVALID_INPUT`; `payload` must be
   * at most {@link NOTIFICATION_PAYLOAD_LIMIT} bytes of UTF-8, else `INVALID_INPUT`.
   */
  publish(channel: string, payload: string): Promise<void>;
  /**
   * Calls `listener` with each payload published on `channel` from now on, until the returned
   * function is called. Resolves once the subscription listens; when the backend cannot be reached
   * it resolves anyway and the adapter keeps trying on its own (a lost connection is re-established
   * and every subscription renewed). A listener that throws is ignored.
   */
  subscribe(channel: string, listener: (payload: string) => void): Promise<() => Promise<void>>;
}

/** The methods of {@link NotificationStorage}. */
export const NOTIFICATION_STORAGE_METHODS = ['publish', 'subscribe'] as const satisfies ReadonlyArray<
  keyof NotificationStorage
>;
