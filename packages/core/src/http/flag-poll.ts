import type { FeatureFlags } from '../flags/feature-flags.js';
import type { Logger } from '../logging/logger.js';

/**
 * Re-reads global flag overrides from storage every `intervalMs`, so `flag-change` fires on this
 * instance for changes made by others. The timer does not keep the process alive; a failed read is
 * logged and the next one tried. Returns the function that stops it (a no-op when `intervalMs` is 0).
 */
export function startFlagPoll(flags: FeatureFlags, intervalMs: number, logger: Logger): () => void {
  if (!(intervalMs > 0)) return () => {};
  const poll = setInterval(() => {
    flags.refresh(true).catch((error: unknown) => logger.warn({ err: error }, 'flag refresh failed'));
  }, intervalMs);
  poll.unref?.();
  return () => clearInterval(poll);
}
