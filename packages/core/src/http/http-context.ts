import type { Dreamdeck } from '../dreamdeck.js';
import type { Logger } from '../logging/logger.js';
import type { StorySession } from '../session.js';
import { writeAudit } from '../storage/audit-log.js';
import type { AuditEvent } from '../storage/storage-adapter.js';
import type { RequestHandlerOptions } from './handler-options.js';
import { createHttpMetrics, type HttpMetrics } from './http-metrics.js';
import type { AuthUser } from './token-auth.js';
import { createTurnStreams, type TurnStreams } from './turn-streams.js';

/** What every route of one handler shares: the engine, the options, and the handler's bookkeeping. */
export interface HttpContext {
  readonly dd: Dreamdeck;
  readonly options: RequestHandlerOptions;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: HttpMetrics;
  /** The open turn event streams. */
  readonly streams: TurnStreams;
  /**
   * Writes an audit event when the storage keeps an audit log, within config `audit` (refusals
   * bounded per user and hour, old events pruned); a failed write is logged, never thrown.
   */
  audit(event: Omit<AuditEvent, 'createdAt'>): Promise<void>;
  /** Opens `user`'s session on `threadId`: `NOT_FOUND` for a thread that is not theirs. */
  openSession(user: AuthUser, threadId: string): Promise<StorySession>;
}

/** Builds the shared context of a handler from its engine and options (defaults filled in). */
export function createHttpContext(dd: Dreamdeck, options: RequestHandlerOptions): HttpContext {
  const logger = options.logger ?? dd.logger;
  const metrics = createHttpMetrics(dd.events);
  const openSession = (user: AuthUser, threadId: string) => dd.openSession({ userId: user.id, threadId });
  return {
    dd,
    options,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    logger,
    metrics,
    streams: createTurnStreams({
      openSession,
      metrics,
      heartbeatMs: options.heartbeatMs ?? 15_000,
      rejoinGraceMs: options.rejoinGraceMs ?? 30_000,
    }),
    audit: (event) =>
      writeAudit(dd.storage, dd.config.audit, event).then(
        () => undefined,
        (error: unknown) => logger.warn({ err: error }, 'audit write failed'),
      ),
    openSession,
  };
}
