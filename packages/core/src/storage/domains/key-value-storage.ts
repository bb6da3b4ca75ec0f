/** Small key/values: free-form thread data, user preferences and feature-flag overrides. */
export interface KeyValueStorage {
  /** Every key/value stored for a thread. */
  getThreadData(threadId: string): Promise<Record<string, unknown>>;
  /** Sets one key; `undefined` removes it. */
  setThreadData(threadId: string, key: string, value: unknown): Promise<void>;
  /** A user's preferences (`{}` when none are stored). */
  getPreferences(userId: string): Promise<Record<string, unknown>>;
  /** Merges `patch` into the user's preferences; `null` values remove keys. Returns the result. */
  setPreferences(userId: string, patch: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Global overrides (no `userId`) or one user's overrides. */
  getFlagOverrides(scope?: { userId?: string }): Promise<Record<string, boolean>>;
  /** Sets an override; `null` removes it. */
  setFlagOverride(name: string, value: boolean | null, scope?: { userId?: string }): Promise<void>;
}

/** The methods of {@link KeyValueStorage}. */
export const KEY_VALUE_STORAGE_METHODS = [
  'getThreadData',
  'setThreadData',
  'getPreferences',
  'setPreferences',
  'getFlagOverrides',
  'setFlagOverride',
] as const satisfies ReadonlyArray<keyof KeyValueStorage>;
