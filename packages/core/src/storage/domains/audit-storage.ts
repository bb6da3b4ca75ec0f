/** Kinds of security and audit events. */
export type AuditType = 'auth-failure' | 'rate-limited' | 'input-rejected' | 'forbidden' | 'flag-changed';

/** A security or audit event. */
export interface AuditEvent {
  /** What happened. */
  type: AuditType;
  /** The user it concerns, when known. */
  userId?: string;
  /** Structured detail (never shown to players). */
  detail?: Record<string, unknown>;
  /** When it was recorded (ISO 8601). */
  createdAt: string;
}

/** Security and audit events (capability `audit`, together with the usage counters). */
export interface AuditStorage {
  /** Records an event, stamped with the current time. */
  recordAudit(event: Omit<AuditEvent, 'createdAt'>): Promise<void>;
  /** The newest events first, optionally of one type. */
  listAudit(options?: { type?: AuditType; limit?: number }): Promise<AuditEvent[]>;
  /**
   * Deletes the events recorded before `before` (ISO 8601) and resolves how many went. The engine
   * calls it now and then (config `audit.retentionDays`), so the log cannot grow without limit.
   */
  pruneAudit(before: string): Promise<number>;
}

/** The methods of {@link AuditStorage}. */
export const AUDIT_STORAGE_METHODS = ['recordAudit', 'listAudit', 'pruneAudit'] as const satisfies ReadonlyArray<
  keyof AuditStorage
>;
