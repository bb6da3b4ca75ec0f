import type { EventEmitter } from 'eventemitter3';
import { type DreamdeckConfig, FLAG_NAMES, type FlagName } from '../config/config-schema.js';
import { DreamdeckError } from '../errors.js';
import type { DreamdeckEvents } from '../events.js';
import type { Logger } from '../logging/logger.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';

/** The notification channel on which flag changes reach every instance sharing the storage. */
export const FLAG_CHANNEL = 'dreamdeck:flags';

/** Users whose own toggles are cached at once; past it the cache starts over. */
const MAX_CACHED_USERS = 10_000;

/** Effective flag values. */
export type Flags = Record<FlagName, boolean>;

/** Flags a player may switch for themselves (others are for admins only). */
export const USER_TOGGLEABLE_FLAGS: readonly FlagName[] = ['imageGeneration', 'storyboardReview', 'diceRolling'];

/** True when `name` is a known flag. */
export function isFlagName(name: string): name is FlagName {
  return (FLAG_NAMES as string[]).includes(name);
}

/**
 * Feature flags: defaults from config's `features`, global overrides persisted in storage (seen by
 * every instance; cached for `refreshMs`), and per-user overrides of the flags players may toggle
 * (`imageGeneration`, `storyboardReview`, `diceRolling`). When the storage has notifications
 * (capability `notifications`, PostgreSQL), a change is announced on `FLAG_CHANNEL` and
 * every instance applies it at once ({@link FeatureFlags.applyAnnounced}); the poll of
 * `refreshMs` (and the HTTP handler's `flagPollMs`) stays as the fallback.
 */
export class FeatureFlags {
  private global: Partial<Flags> = {};
  private loadedAt = 0;
  /** Users' own toggles, read at most once per `refreshMs` (a turn reads them on every turn). */
  private own = new Map<string, { at: number; flags: Partial<Flags> }>();
  private loading: Promise<void> | undefined;

  /** Used by `createDreamdeck`; reach it as `dd.flags`. */
  constructor(
    private readonly storage: StorageAdapter,
    private readonly config: () => DreamdeckConfig,
    private readonly events: EventEmitter<DreamdeckEvents>,
    private readonly logger: Logger,
    /** How long global overrides are cached before storage is read again. */
    readonly refreshMs = 1000,
  ) {}

  /** The effective flags for a user (or globally): config < global overrides < the user's own. */
  async effective(scope: { userId?: string } = {}): Promise<Flags> {
    await this.refresh();
    const flags = { ...this.config().features, ...this.global };
    if (scope.userId) {
      const own = await this.userOverrides(scope.userId);
      for (const name of USER_TOGGLEABLE_FLAGS) if (typeof own[name] === 'boolean') flags[name] = own[name];
    }
    return flags;
  }

  /** A user's own toggles, cached for `refreshMs` (so another instance's change shows within it). */
  private async userOverrides(userId: string): Promise<Partial<Flags>> {
    const now = Date.now();
    const cached = this.own.get(userId);
    if (cached && now - cached.at < this.refreshMs) return cached.flags;
    const flags = (await this.storage.getFlagOverrides({ userId })) as Partial<Flags>;
    if (this.own.size >= MAX_CACHED_USERS) this.own.clear();
    this.own.set(userId, { at: now, flags });
    return flags;
  }

  /**
   * Who switched a flag off for a user: `player` (their own toggle), `server` (the config or an
   * admin's global override); `undefined` while it is on. A reply can then say where to turn it
   * back on.
   */
  async offBy(name: FlagName, scope: { userId?: string } = {}): Promise<'player' | 'server' | undefined> {
    if ((await this.effective(scope))[name]) return undefined;
    if (scope.userId && (await this.userOverrides(scope.userId))[name] === false) return 'player';
    return 'server';
  }

  /** Whether one flag is on for a user. */
  async isEnabled(name: FlagName, scope: { userId?: string } = {}): Promise<boolean> {
    return (await this.effective(scope))[name];
  }

  /**
   * Sets a global override (no `userId`, an admin action) or a user's own toggle; `null` removes
   * it. Throws `INVALID_INPUT` for unknown flags and `FORBIDDEN` for flags users may not toggle.
   */
  async set(name: string, value: boolean | null, scope: { userId?: string } = {}): Promise<void> {
    if (!isFlagName(name))
      throw new DreamdeckError('INVALID_INPUT', `Unknown flag "${name}". Known flags: ${FLAG_NAMES.join(', ')}.`);
    if (scope.userId && !USER_TOGGLEABLE_FLAGS.includes(name)) {
      throw new DreamdeckError('FORBIDDEN', `The flag "${name}" can only be changed by an admin.`);
    }
    await this.storage.setFlagOverride(name, value, scope);
    if (scope.userId) this.own.delete(scope.userId);
    else {
      if (value === null) delete this.global[name];
      else this.global[name] = value;
    }
    this.logger.info({ flag: name, value, userId: scope.userId }, 'flag changed');
    this.events.emit('flag-change', { name, value, ...(scope.userId && { userId: scope.userId }) });
    await this.announce(name, scope.userId);
  }

  /** Tells the other instances about a change (when the storage has notifications); a failure is logged. */
  private async announce(name: string, userId: string | undefined): Promise<void> {
    const { storage } = this;
    if (!storage.capabilities?.notifications || typeof storage.publish !== 'function') return;
    try {
      await storage.publish(FLAG_CHANNEL, JSON.stringify({ name, ...(userId && { userId }) }));
    } catch (error) {
      this.logger.warn({ err: error, flag: name }, 'announcing a flag change failed; other instances poll for it');
    }
  }

  /**
   * Applies a change announced on `FLAG_CHANNEL` (by any instance, this one too): a global
   * change re-reads the overrides at once (emitting `flag-change` for what changed here); a user's
   * toggle drops that user's cached toggles. Malformed payloads are ignored.
   */
  async applyAnnounced(payload: string): Promise<void> {
    let change: { userId?: unknown };
    try {
      change = JSON.parse(payload) as { userId?: unknown };
    } catch {
      return;
    }
    if (typeof change?.userId === 'string') {
      this.own.delete(change.userId);
      return;
    }
    // a read already under way may have started before the change: read again after it
    await this.loading?.catch(() => {});
    await this.refresh(true);
  }

  /** Reads global overrides from storage when the cache is older than `refreshMs`; emits changes. */
  async refresh(force = false): Promise<void> {
    if (!force && Date.now() - this.loadedAt < this.refreshMs) return;
    this.loading ??= (async () => {
      try {
        const next = (await this.storage.getFlagOverrides()) as Partial<Flags>;
        const previous = this.global;
        this.global = next;
        this.loadedAt = Date.now();
        if (previous !== next) {
          for (const name of new Set([...Object.keys(previous), ...Object.keys(next)]) as Set<FlagName>) {
            if (previous[name] !== next[name] && this.loadedAt > 0) {
              this.events.emit('flag-change', { name, value: next[name] ?? null });
            }
          }
        }
      } finally {
        this.loading = undefined;
      }
    })();
    await this.loading;
  }
}
