import type { AuditStorage } from '@dreamdeck/core/adapter-kit';
import { type AuditRow, rowToAudit } from '../storage-shared/row-codec.js';
import type { PostgresContext } from './postgres-runner.js';

/** Audit events on PostgreSQL (`dd_audit`, newest by `seq`). */
export function createPostgresAudit({ s, query, run }: PostgresContext): AuditStorage {
  return {
    recordAudit: (event) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_audit (type, user_id, detail, created_at) VALUES ($1, $2, $3, clock_timestamp())`,
          [event.type, event.userId ?? null, event.detail === undefined ? null : JSON.stringify(event.detail)],
        );
      }),
    listAudit: (options = {}) =>
      run(async () => {
        const rows = await query<AuditRow>(
          `SELECT * FROM ${s}.dd_audit WHERE ($1::text IS NULL OR type = $1) ORDER BY seq DESC LIMIT $2`,
          [options.type ?? null, Math.max(0, Math.trunc(options.limit ?? 100))],
        );
        return rows.map(rowToAudit);
      }),
    pruneAudit: (before) =>
      run(async () => {
        const rows = await query<{ pruned: string }>(
          `WITH gone AS (DELETE FROM ${s}.dd_audit WHERE created_at < $1::timestamptz RETURNING 1)
           SELECT count(*) AS pruned FROM gone`,
          [before],
        );
        return Number(rows[0]?.pruned ?? 0);
      }),
  };
}
