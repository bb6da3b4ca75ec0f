import type { FeedbackAggregate, FeedbackStorage, VariantFeedback } from '@dreamdeck/core/adapter-kit';
import { type FeedbackRow, feedbackToValues, rowToFeedback } from '../storage-shared/row-codec.js';
import type { PostgresContext } from './postgres-runner.js';

/** Feedback on PostgreSQL (`dd_feedback`, one row per message and user). */
export function createPostgresFeedback({ s, query, run, cipher }: PostgresContext): FeedbackStorage {
  return {
    setFeedback: (entry) =>
      run(async () => {
        await query(
          `INSERT INTO ${s}.dd_feedback (message_id, user_id, thread_id, value, comment, persona, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
           ON CONFLICT (message_id, user_id) DO UPDATE SET thread_id = EXCLUDED.thread_id, value = EXCLUDED.value,
             comment = EXCLUDED.comment, persona = EXCLUDED.persona, created_at = EXCLUDED.created_at`,
          feedbackToValues(entry, cipher),
        );
      }),
    getFeedback: (messageId, userId) =>
      run(async () => {
        const [row] = await query<FeedbackRow>(
          `SELECT * FROM ${s}.dd_feedback WHERE message_id = $1 AND user_id = $2`,
          [messageId, userId],
        );
        return row ? rowToFeedback(row, cipher) : null;
      }),
    feedbackSummary: (options = {}) =>
      run(async () => {
        const rows = await query<{ persona: string; day: string; up: string; down: string }>(
          `SELECT COALESCE(persona, 'unknown') AS persona, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             count(*) FILTER (WHERE value > 0) AS up, count(*) FILTER (WHERE value < 0) AS down
           FROM ${s}.dd_feedback WHERE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') >= $1
           GROUP BY 1, 2 ORDER BY day DESC, persona`,
          [options.sinceDay ?? ''],
        );
        return rows.map(
          (row): FeedbackAggregate => ({
            persona: row.persona,
            day: row.day,
            up: Number(row.up),
            down: Number(row.down),
          }),
        );
      }),
    variantFeedback: () =>
      run(async () => {
        const rows = await query<{ persona: string; variant: string; up: string; down: string }>(
          `SELECT COALESCE(m.persona, 'unknown') AS persona, m.variant AS variant,
             count(*) FILTER (WHERE f.value > 0) AS up, count(*) FILTER (WHERE f.value < 0) AS down
           FROM ${s}.dd_feedback f JOIN ${s}.dd_messages m ON m.id = f.message_id
           WHERE m.variant IS NOT NULL
           GROUP BY 1, 2 ORDER BY 1, 2`,
        );
        return rows.map(
          (row): VariantFeedback => ({
            persona: row.persona,
            variant: row.variant,
            up: Number(row.up),
            down: Number(row.down),
          }),
        );
      }),
    recentFeedback: (options = {}) =>
      run(async () => {
        const rows = await query<FeedbackRow>(
          `SELECT * FROM ${s}.dd_feedback WHERE comment IS NOT NULL ORDER BY created_at DESC LIMIT $1`,
          [Math.max(0, Math.trunc(options.limit ?? 20))],
        );
        return rows.map((row) => rowToFeedback(row, cipher));
      }),
  };
}
