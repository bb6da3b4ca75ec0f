import { createHash } from 'node:crypto';
import {
  DreamdeckError,
  NOTIFICATION_CHANNEL,
  NOTIFICATION_PAYLOAD_LIMIT,
  type NotificationStorage,
} from '@dreamdeck/core/adapter-kit';
import type pg from 'pg';
import type { PostgresContext } from './postgres-runner.js';

/** Longest wait between two attempts to bring the listening connection back. */
const MAX_RETRY_MS = 5000;

/** {@link NotificationStorage} on PostgreSQL, with the listening connection to close. */
export interface PostgresNotifications extends NotificationStorage {
  /** Ends the listening connection and forgets every subscription. */
  close(): Promise<void>;
}

/** What {@link createPostgresNotifications} needs. */
export interface PostgresNotificationsOptions {
  /** The adapter's shared context (its pool sends `NOTIFY`). */
  context: PostgresContext;
  /** The schema name: channels are scoped to it, since `NOTIFY` channels are per database. */
  schema: string;
  /** Creates the dedicated listening connection (not yet connected). */
  createClient: () => pg.Client;
  /** Called with errors of the listening connection (it reconnects on its own). */
  onError: (error: Error) => void;
}

/**
 * Notifications over PostgreSQL `LISTEN`/`NOTIFY`. `publish` is one `pg_notify` on the pool.
 * Subscriptions share one dedicated connection (opened on the first subscription, outside the
 * pool, so it never holds a pooled client); a channel becomes one `LISTEN` on a name derived from
 * the schema and the channel (a hash, so any channel fits PostgreSQL's 63-byte identifiers and two
 * schemas in one database never hear each other). When that connection is lost it is opened again
 * with backoff (100 ms doubling to 5 s) and every channel listened to again; what was published
 * meanwhile is missed, as the contract allows.
 */
export function createPostgresNotifications(options: PostgresNotificationsOptions): PostgresNotifications {
  const { context, schema } = options;
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let attempt = 0;
  let closed = false;

  const physical = (channel: string) =>
    `dd_${createHash('sha256').update(`${schema}\u0000${channel}`).digest('hex').slice(0, 40)}`;

  const dispatch = (message: pg.Notification) => {
    for (const listener of [...(listeners.get(message.channel) ?? [])]) {
      try {
        listener(message.payload ?? '');
      } catch {
        // a listener's failure is its own
      }
    }
  };

  const lost = (which: pg.Client) => {
    if (which !== client) return;
    client = undefined;
    retry();
  };

  const retry = () => {
    if (closed || retryTimer || listeners.size === 0) return;
    attempt++;
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        connect().catch((error: unknown) => {
          options.onError(error as Error);
          retry();
        });
      },
      Math.min(MAX_RETRY_MS, 100 * 2 ** (attempt - 1)),
    );
    retryTimer.unref?.();
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = options.createClient();
      next.on('notification', dispatch);
      next.on('error', (error: Error) => {
        options.onError(error);
        lost(next);
      });
      next.on('end', () => lost(next));
      try {
        await next.connect();
        // a channel subscribed while this ran is visited too: Map iteration sees keys added meanwhile
        for (const name of listeners.keys()) await next.query(`LISTEN "${name}"`);
        if (closed) throw new DreamdeckError('STORAGE_ERROR', '[dreamdeck] [postgres] the storage is closed');
        client = next;
        attempt = 0;
        return next;
      } catch (error) {
        next.removeAllListeners('end');
        await next.end().catch(() => {});
        throw error;
      } finally {
        connecting = undefined;
      }
    })();
    return connecting;
  };

  return {
    publish: (channel, payload) => {
      if (typeof channel !== 'string' || !NOTIFICATION_CHANNEL.test(channel))
        return Promise.reject(new DreamdeckError('INVALID_INPUT', `[dreamdeck] [postgres] invalid channel name`));
      if (typeof payload !== 'string' || Buffer.byteLength(payload, 'utf8') > NOTIFICATION_PAYLOAD_LIMIT) {
        return Promise.reject(
          new DreamdeckError(
            'INVALID_INPUT',
            `[dreamdeck] [postgres] a notification payload is a string of at most ${NOTIFICATION_PAYLOAD_LIMIT} bytes`,
          ),
        );
      }
      return context.run(async () => {
        await context.query('SELECT pg_notify($1, $2)', [physical(channel), payload]);
      });
    },
    async subscribe(channel, listener) {
      if (typeof channel !== 'string' || !NOTIFICATION_CHANNEL.test(channel))
        throw new DreamdeckError('INVALID_INPUT', `[dreamdeck] [postgres] invalid channel name`);
      if (closed) throw new DreamdeckError('STORAGE_ERROR', '[dreamdeck] [postgres] the storage is closed');
      const name = physical(channel);
      let set = listeners.get(name);
      const fresh = set === undefined;
      if (!set) {
        set = new Set();
        listeners.set(name, set);
      }
      set.add(listener);
      try {
        if (!client) await connect();
        else if (fresh) await client.query(`LISTEN "${name}"`);
      } catch (error) {
        // keeps trying on its own: the subscription listens once the connection is back
        options.onError(error as Error);
        retry();
      }
      let active = true;
      return async () => {
        if (!active) return;
        active = false;
        const current = listeners.get(name);
        if (!current?.delete(listener) || current.size > 0) return;
        listeners.delete(name);
        await client?.query(`UNLISTEN "${name}"`).catch(() => {});
      };
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      listeners.clear();
      const current = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
