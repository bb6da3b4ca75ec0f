import type { AuditStorage } from '@dreamdeck/core/adapter-kit';
import { type AuditRow, rowToAudit } from '../storage-shared/row-codec.js';
import type { SqliteContext } from './sqlite-runner.js';

/** Audit events on SQLite (`dd_audit`, newest by `seq`). */
export function createSqliteAudit({ sql, run }: SqliteContext): AuditStorage {
  return {
    recordAudit: (event) =>
      run(() => {
        sql('INSERT INTO dd_audit (type, user_id, detail, created_at) VALUES (?, ?, ?, ?)').run(
          event.type,
          event.userId ?? null,
          event.detail === undefined ? null : JSON.stringify(event.detail),
          new Date().toISOString(),
        );
      }),
    listAudit: (options = {}) =>
      run(() => {
        const rows = sql(
          `SELECT * FROM dd_audit ${options.type ? 'WHERE type = @type' : ''} ORDER BY seq DESC LIMIT @limit`,
        ).all({ type: options.type, limit: Math.max(0, Math.trunc(options.limit ?? 100)) }) as AuditRow[];
        return rows.map(rowToAudit);
      }),
    pruneAudit: (before) => run(() => Number(sql('DELETE FROM dd_audit WHERE created_at < ?').run(before).changes)),
  };
}
