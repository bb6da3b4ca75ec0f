import type { Server } from 'node:http';
import type { Dreamdeck } from '../dreamdeck.js';
import type { Logger } from '../logging/logger.js';

/** Options for {@link gracefulShutdown}. */
export interface GracefulShutdownOptions {
  /** The listening server: it stops accepting connections first. */
  server: Server;
  /** The request handler: its open streams end with their `turn-end`, its flag poll stops. */
  handler?: {
    /** Ends the handler's open streams and resolves once they have closed (`RequestHandler.close`). */
    close(): Promise<void>;
  };
  /** The engine: closed last (closes storage). */
  dreamdeck?: Dreamdeck;
  /** Longest wait for streams and connections before they are cut (default 10,000 ms). */
  timeoutMs?: number;
  /** Signals that start the shutdown (default `['SIGTERM', 'SIGINT']`; `[]` installs none). */
  signals?: NodeJS.Signals[];
  /** Where to log progress. */
  logger?: Logger;
}

/**
 * Wires a graceful shutdown: stop accepting, end open streams cleanly, close idle keep-alive
 * connections, close the engine and its storage. Returns `shutdown()`, which is idempotent and also
 * runs on the given signals.
 */
export function gracefulShutdown(options: GracefulShutdownOptions): () => Promise<void> {
  const { server, handler, dreamdeck, logger } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let running: Promise<void> | undefined;
  const shutdown = () => {
    running ??= (async () => {
      logger?.info('shutting down');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections?.();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref?.();
      });
      await Promise.race([handler?.close() ?? Promise.resolve(), deadline]);
      server.closeIdleConnections?.();
      await Promise.race([closed, deadline]);
      server.closeAllConnections?.();
      clearTimeout(timer);
      await dreamdeck?.close();
      for (const signal of signals) process.off(signal, onSignal);
      logger?.info('shut down');
    })();
    return running;
  };
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const onSignal = () => {
    void shutdown();
  };
  for (const signal of signals) process.once(signal, onSignal);
  return shutdown;
}
