import type { FeedbackAggregate, FeedbackStorage, VariantFeedback } from '@dreamdeck/core/adapter-kit';
import { type FeedbackRow, feedbackToValues, rowToFeedback } from '../storage-shared/row-codec.js';
import type { SqliteContext } from './sqlite-runner.js';

/** Feedback on SQLite (`dd_feedback`, one row per message and user). */
export function createSqliteFeedback({ sql, run, cipher }: SqliteContext): FeedbackStorage {
  return {
    setFeedback: (feedback) =>
      run(() => {
        sql(
          `INSERT INTO dd_feedback (message_id, user_id, thread_id, value, comment, persona, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (message_id, user_id) DO UPDATE SET
             thread_id = excluded.thread_id, value = excluded.value, comment = excluded.comment,
             persona = excluded.persona, created_at = excluded.created_at`,
        ).run(...feedbackToValues(feedback, cipher), new Date().toISOString());
      }),
    getFeedback: (messageId, userId) =>
      run(() => {
        const row = sql('SELECT * FROM dd_feedback WHERE message_id = ? AND user_id = ?').get(messageId, userId) as
          | FeedbackRow
          | undefined;
        return row ? rowToFeedback(row, cipher) : null;
      }),
    feedbackSummary: (options = {}) =>
      run(
        () =>
          sql(
            `SELECT COALESCE(persona, 'unknown') AS persona, substr(created_at, 1, 10) AS day,
                 SUM(CASE WHEN value > 0 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN value < 0 THEN 1 ELSE 0 END) AS down
               FROM dd_feedback WHERE substr(created_at, 1, 10) >= ?
               GROUP BY 1, 2 ORDER BY day DESC, persona`,
          ).all(options.sinceDay ?? '') as FeedbackAggregate[],
      ),
    variantFeedback: () =>
      run(
        () =>
          sql(
            `SELECT COALESCE(m.persona, 'unknown') AS persona, m.variant AS variant,
                 SUM(CASE WHEN f.value > 0 THEN 1 ELSE 0 END) AS up, SUM(CASE WHEN f.value < 0 THEN 1 ELSE 0 END) AS down
               FROM dd_feedback f JOIN dd_messages m ON m.id = f.message_id
               WHERE m.variant IS NOT NULL
               GROUP BY 1, 2 ORDER BY 1, 2`,
          ).all() as VariantFeedback[],
      ),
    recentFeedback: (options = {}) =>
      run(() =>
        (
          sql('SELECT * FROM dd_feedback WHERE comment IS NOT NULL ORDER BY created_at DESC, rowid DESC LIMIT ?').all(
            Math.max(0, Math.trunc(options.limit ?? 20)),
          ) as FeedbackRow[]
        ).map((row) => rowToFeedback(row, cipher)),
      ),
  };
}
