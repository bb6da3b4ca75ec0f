import type { AuditStorage } from '../domains/audit-storage.js';
import { clone, type MemoryStorageRaw } from './memory-raw.js';

/** Audit events in memory, oldest first. */
export function createMemoryAudit(raw: MemoryStorageRaw): AuditStorage {
  return {
    async recordAudit(event) {
      raw.audit.push({ ...clone(event), createdAt: new Date().toISOString() });
    },
    async listAudit(options = {}) {
      return raw.audit
        .filter((event) => !options.type || event.type === options.type)
        .slice(-(options.limit ?? 100))
        .reverse()
        .map(clone);
    },
    async pruneAudit(before) {
      const kept = raw.audit.filter((event) => event.createdAt >= before);
      const pruned = raw.audit.length - kept.length;
      raw.audit.splice(0, raw.audit.length, ...kept);
      return pruned;
    },
  };
}
