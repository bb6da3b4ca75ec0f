import type { DreamdeckConfig } from '../config/config-schema.js';
import type { AuditEvent, AuditType } from './domains/audit-storage.js';
import type { StorageAdapter } from './storage-adapter.js';

/** Refusals: written at most `audit.refusalsPerUserPerHour` times per user and hour. */
const REFUSALS: ReadonlySet<AuditType> = new Set(['auth-failure', 'forbidden', 'input-rejected', 'rate-limited']);

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** How often one process prunes one storage's audit log (the first write after start prunes at once). */
export const AUDIT_PRUNE_EVERY_MS = HOUR_MS;

const lastPrune = new WeakMap<StorageAdapter, number>();

/** The audit settings {@link writeAudit} applies (config `audit`). */
export type AuditSettings = Pick<DreamdeckConfig['audit'], 'retentionDays' | 'refusalsPerUserPerHour'>;

/**
 * Writes an audit event when the storage keeps an audit log, within bounds, and resolves whether
 * it was written. Refusals (`auth-failure`, `forbidden`, `input-rejected`, `rate-limited`) are
 * written at most `refusalsPerUserPerHour` times per user (or per hour for events without a user),
 * counted on the storage's shared rate-limit counters, so refused requests cannot grow the log
 * without limit; other events (`flag-changed`) are always written. At most once an hour per
 * process, a write also prunes the events older than `retentionDays`.
 */
export async function writeAudit(
  storage: StorageAdapter,
  settings: AuditSettings,
  event: Omit<AuditEvent, 'createdAt'>,
  now = Date.now(),
): Promise<boolean> {
  if (!storage.recordAudit) return false;
  if (REFUSALS.has(event.type)) {
    const budget = settings.refusalsPerUserPerHour;
    if (budget <= 0) return false;
    const key = `audit-refusals:${event.userId ?? '-'}`;
    if (!(await storage.consume(key, 1, HOUR_MS, budget)).allowed) return false;
  }
  await storage.recordAudit(event);
  await pruneAuditIfDue(storage, settings, now);
  return true;
}

/**
 * Prunes the audit events older than `retentionDays` when this process has not done so for this
 * storage in the last {@link AUDIT_PRUNE_EVERY_MS}; resolves how many went (0 when not due).
 */
export async function pruneAuditIfDue(storage: StorageAdapter, settings: AuditSettings, now = Date.now()) {
  const last = lastPrune.get(storage);
  if (!storage.pruneAudit || (last !== undefined && now - last < AUDIT_PRUNE_EVERY_MS)) return 0;
  lastPrune.set(storage, now);
  return storage.pruneAudit(new Date(now - settings.retentionDays * DAY_MS).toISOString());
}
