import type { FeatureFlags } from '../flags/feature-flags.js';
import { FLAG_CHANNEL } from '../flags/feature-flags.js';
import type { Logger } from '../logging/logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/** The notification channel on which `dd.reloadConfig()` asks the other instances to reload theirs. */
export const CONFIG_CHANNEL = 'dreamdeck:config';

/** What {@link listenToInstances} wires up. */
export interface InstanceChannelsOptions {
  storage: StorageAdapter;
  flags: FeatureFlags;
  /** This engine, as its config announcements name it (its own are not applied twice). */
  instanceId: string;
  /** Reloads this engine's config from its own sources, without announcing it again. */
  reloadConfig: () => Promise<unknown>;
  logger: Logger;
}

/** The storage's notifications, when it declares and has them. */
function notifications(storage: StorageAdapter) {
  return storage.capabilities?.notifications &&
    typeof storage.publish === 'function' &&
    typeof storage.subscribe === 'function'
    ? { publish: storage.publish.bind(storage), subscribe: storage.subscribe.bind(storage) }
    : undefined;
}

/**
 * Listens to what other instances on the same storage announce: flag changes (applied at once,
 * see `FeatureFlags.applyAnnounced`) and config reloads (this engine reloads its own sources).
 * Resolves the function that stops listening; a no-op when the storage has no notifications.
 * Failures are logged, never thrown (the flag poll stays as the fallback).
 */
export async function listenToInstances(options: InstanceChannelsOptions): Promise<() => Promise<void>> {
  const channel = notifications(options.storage);
  if (!channel) return async () => {};
  const { flags, instanceId, logger } = options;
  const stops: Array<() => Promise<void>> = [];
  try {
    stops.push(
      await channel.subscribe(FLAG_CHANNEL, (payload) => {
        flags.applyAnnounced(payload).catch((error: unknown) => logger.warn({ err: error }, 'flag refresh failed'));
      }),
    );
    stops.push(
      await channel.subscribe(CONFIG_CHANNEL, (payload) => {
        let origin: unknown;
        try {
          origin = (JSON.parse(payload) as { origin?: unknown }).origin;
        } catch {
          return;
        }
        if (origin === instanceId) return;
        options
          .reloadConfig()
          .catch((error: unknown) => logger.warn({ err: error }, 'config reload asked by another instance failed'));
      }),
    );
  } catch (error) {
    logger.warn({ err: error }, 'listening to other instances failed; flags fall back to polling');
  }
  return async () => {
    await Promise.allSettled(stops.map((stop) => stop()));
  };
}

/** Asks the other instances to reload their config (when the storage has notifications); a failure is logged. */
export async function announceConfigReload(storage: StorageAdapter, instanceId: string, logger: Logger): Promise<void> {
  const channel = notifications(storage);
  if (!channel) return;
  try {
    await channel.publish(CONFIG_CHANNEL, JSON.stringify({ origin: instanceId }));
  } catch (error) {
    logger.warn({ err: error }, 'announcing a config reload failed');
  }
}
