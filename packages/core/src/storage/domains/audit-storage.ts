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
}

/** The methods of {@link AuditStorage}. */
export const AUDIT_STORAGE_METHODS = ['recordAudit', 'listAudit'] as const satisfies ReadonlyArray<keyof AuditStorage>;
