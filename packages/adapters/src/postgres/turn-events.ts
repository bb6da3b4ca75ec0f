import type { TurnEvent } from '@dreamdeck/core';
import type { TurnEventEntry, TurnEventStorage } from '@dreamdeck/core/adapter-kit';
import type { PostgresContext } from './postgres-runner.js';

/** Batches one read returns at most; the caller reads again after the last entry for the rest. */
const READ_BATCHES = 200;

interface BatchRow {
  first_seq: number;
  thread_id: string;
  events: string;
}

/**
 * Running turns' events on PostgreSQL (`dd_turn_events`, UNLOGGED): one row per appended batch
 * (`first_seq`..`last_seq`, the events as one JSON array, encrypted with the adapter's key when it
 * has one), so a turn costs one INSERT per batch rather than per token. Pruning deletes whole turns.
 */
export function createPostgresTurnEvents({ s, query, run, cipher }: PostgresContext): TurnEventStorage {
  return {
    appendTurnEvents: (turnId, threadId, entries, options = {}) =>
      run(async () => {
        const first = entries[0];
        if (!first) return;
        const last = first.seq + entries.length - 1;
        const ended = entries.some((entry) => entry.event.type === 'turn-end');
        const events = cipher.encryptJson(entries.map((entry) => entry.event));
        const values: unknown[] = [turnId, first.seq, last, threadId, events, ended];
        if (options.dropThrough === undefined) {
          await query(
            `INSERT INTO ${s}.dd_turn_events (turn_id, first_seq, last_seq, thread_id, events, ended)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            values,
          );
          return;
        }
        // one statement: the batches the engine's cap dropped go as the new one comes
        values.push(options.dropThrough);
        await query(
          `WITH dropped AS (DELETE FROM ${s}.dd_turn_events WHERE turn_id = $1 AND last_seq <= $7)
           INSERT INTO ${s}.dd_turn_events (turn_id, first_seq, last_seq, thread_id, events, ended)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          values,
        );
      }),
    readTurnEvents: (turnId, after) =>
      run(async () => {
        // the turn's oldest batch comes too (for its thread and first seq), then those past `after`
        const rows = await query<BatchRow>(
          `SELECT first_seq, thread_id, events FROM ${s}.dd_turn_events
           WHERE turn_id = $1
             AND (last_seq > $2 OR first_seq = (SELECT min(first_seq) FROM ${s}.dd_turn_events WHERE turn_id = $1))
           ORDER BY first_seq LIMIT $3`,
          [turnId, after, READ_BATCHES + 1],
        );
        const oldest = rows[0];
        if (!oldest) return null;
        const entries: TurnEventEntry[] = [];
        for (const row of rows) {
          const events = cipher.decryptJson<TurnEvent[]>(row.events);
          events.forEach((event, index) => {
            const seq = row.first_seq + index;
            if (seq > after) entries.push({ seq, event });
          });
        }
        return { threadId: oldest.thread_id, firstSeq: oldest.first_seq, entries };
      }),
    pruneTurnEvents: ({ endedMs, idleMs }) =>
      run(async () => {
        const [row] = await query<{ turns: string }>(
          `WITH stale AS (
             SELECT turn_id FROM ${s}.dd_turn_events GROUP BY turn_id
             HAVING max(created_at) < clock_timestamp() - $2::float8 * interval '1 millisecond'
                OR (bool_or(ended) AND max(created_at) < clock_timestamp() - $1::float8 * interval '1 millisecond')
           ), gone AS (
             DELETE FROM ${s}.dd_turn_events WHERE turn_id IN (SELECT turn_id FROM stale) RETURNING turn_id
           )
           SELECT count(DISTINCT turn_id) AS turns FROM gone`,
          [endedMs, idleMs],
        );
        return Number(row?.turns ?? 0);
      }),
  };
}
