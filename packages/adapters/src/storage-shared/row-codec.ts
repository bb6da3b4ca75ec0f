import type { FeedbackRecord, StoryMessage, ThreadRecord, UserRecord } from '@dreamdeck/core';
import type { AuditEvent, FeedbackStorage, MessagePatch, Page, UsageRecord } from '@dreamdeck/core/adapter-kit';
import { decodeThreadCursor, encodeThreadCursor } from '@dreamdeck/core/adapter-kit';
import type { FieldCipher } from '../crypto/field-cipher.js';

/**
 * Row shapes and their mappers, shared by both SQL adapters. Where the drivers hand back different
 * types for one column (SQLite: ISO text and JSON text; PostgreSQL: `Date`, JSONB and BIGINT as
 * text), a row type accepts both, so one mapper serves both adapters.
 */

/** A stored timestamp: ISO text (SQLite) or a `Date` (PostgreSQL `TIMESTAMPTZ`). */
export type StoredTime = string | Date;

/** A stored timestamp as ISO text. */
export function isoString(value: StoredTime): string {
  return typeof value === 'string' ? value : value.toISOString();
}

/** A message as stored in the `dd_messages` table of both SQL adapters. */
export interface MessageRow {
  id: string;
  thread_id: string;
  role: string;
  kind: string;
  persona: string | null;
  content: string;
  parts: string | null;
  alternatives: string | null;
  turn_id: string | null;
  status: string;
  created_at: string;
  /** When it was rewound out of the story (ISO text), or null. */
  rewound_at?: string | null;
  /** Where the shown version sits among all versions, or null (the newest). */
  alternative_index?: number | null;
  /** The persona's prompt variant that wrote it, or null. */
  variant?: string | null;
}

/** Encodes a message for storage; content, parts and alternatives go through the cipher. */
export function messageToRow(message: StoryMessage, cipher: FieldCipher): MessageRow {
  return {
    id: message.id,
    thread_id: message.threadId,
    role: message.role,
    kind: message.kind,
    persona: message.persona ?? null,
    content: cipher.encrypt(message.content),
    parts: message.parts === undefined ? null : cipher.encryptJson(message.parts),
    alternatives: message.alternatives === undefined ? null : cipher.encryptJson(message.alternatives),
    turn_id: message.turnId ?? null,
    status: message.status,
    created_at: message.createdAt,
    rewound_at: message.rewoundAt ?? null,
    alternative_index: message.alternativeIndex ?? null,
    variant: message.variant ?? null,
  };
}

/** Decodes a stored message row. */
export function rowToMessage(row: MessageRow, cipher: FieldCipher): StoryMessage {
  const message: StoryMessage = {
    id: row.id,
    threadId: row.thread_id,
    role: row.role as StoryMessage['role'],
    kind: row.kind as StoryMessage['kind'],
    content: cipher.decrypt(row.content),
    createdAt: row.created_at,
    status: row.status as StoryMessage['status'],
  };
  if (row.persona !== null) message.persona = row.persona;
  if (row.parts !== null) message.parts = cipher.decryptJson(row.parts);
  if (row.turn_id !== null) message.turnId = row.turn_id;
  if (row.alternatives !== null) message.alternatives = cipher.decryptJson(row.alternatives);
  if (row.alternative_index !== null && row.alternative_index !== undefined)
    message.alternativeIndex = Number(row.alternative_index);
  if (row.rewound_at !== null && row.rewound_at !== undefined) message.rewoundAt = row.rewound_at;
  if (row.variant !== null && row.variant !== undefined) message.variant = row.variant;
  return message;
}

/** The columns a {@link MessagePatch} writes, encoded for storage; a field absent from the patch is absent here. */
export interface MessagePatchColumns {
  content?: string;
  status?: string;
  parts?: string;
  alternatives?: string;
  alternative_index?: number;
}

/** Encodes the fields of a message patch (content, parts and alternatives through the cipher). */
export function patchToColumns(patch: MessagePatch, cipher: FieldCipher): MessagePatchColumns {
  const columns: MessagePatchColumns = {};
  if (patch.content !== undefined) columns.content = cipher.encrypt(patch.content);
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.parts !== undefined) columns.parts = cipher.encryptJson(patch.parts);
  if (patch.alternatives !== undefined) columns.alternatives = cipher.encryptJson(patch.alternatives);
  if (patch.alternativeIndex !== undefined) columns.alternative_index = patch.alternativeIndex;
  return columns;
}

/** A thread as stored in the `dd_threads` table. */
export interface ThreadRow {
  id: string;
  user_id: string;
  title: string;
  persona: string;
  created_at: StoredTime;
  updated_at: StoredTime;
  /** A branch's parent thread, or null. */
  parent_thread_id?: string | null;
  /** The parent's message a branch was made at, or null. */
  branched_from_message_id?: string | null;
}

/** Decodes a stored thread row. */
export function rowToThread(row: ThreadRow): ThreadRecord {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    persona: row.persona,
    createdAt: isoString(row.created_at),
    updatedAt: isoString(row.updated_at),
    ...(row.parent_thread_id && { parentThreadId: row.parent_thread_id }),
    ...(row.branched_from_message_id && { branchedFromMessageId: row.branched_from_message_id }),
  };
}

/**
 * A page of `listThreads` from up to `limit + 1` rows in listing order: the extra row only tells
 * that a next page exists, and the last row of the page becomes its keyset cursor.
 */
export function threadPage(rows: Array<ThreadRow & { seq: number | string }>, limit: number): Page<ThreadRecord> {
  const items = rows.slice(0, limit).map(rowToThread);
  const last = rows[limit - 1];
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor(isoString(last.updated_at), Number(last.seq)) }
    : { items };
}

/** A user as stored in the `dd_users` table; `roles` is JSON text (SQLite) or a JSONB array. */
export interface UserRow {
  id: string;
  display_name: string | null;
  roles: string | string[];
  created_at: StoredTime;
}

/** Decodes a stored user row. */
export function rowToUser(row: UserRow): UserRecord {
  const roles = typeof row.roles === 'string' ? (JSON.parse(row.roles) as string[]) : row.roles;
  const user: UserRecord = { id: row.id, roles, createdAt: isoString(row.created_at) };
  if (row.display_name !== null) user.displayName = row.display_name;
  return user;
}

/** A feedback entry as stored in the `dd_feedback` table. */
export interface FeedbackRow {
  message_id: string;
  thread_id: string;
  user_id: string;
  value: number;
  comment: string | null;
  persona: string | null;
  created_at: StoredTime;
}

/** The feedback to store: `value` as 1 or -1, the comment through the cipher (null when absent). */
export type FeedbackInput = Parameters<FeedbackStorage['setFeedback']>[0];

/** Encodes feedback for storage, in the column order `message_id, user_id, thread_id, value, comment, persona`. */
export function feedbackToValues(feedback: FeedbackInput, cipher: FieldCipher): unknown[] {
  return [
    feedback.messageId,
    feedback.userId,
    feedback.threadId,
    feedback.value > 0 ? 1 : -1,
    feedback.comment === undefined ? null : cipher.encrypt(feedback.comment),
    feedback.persona ?? null,
  ];
}

/** Decodes a stored feedback row; the comment goes through the cipher. */
export function rowToFeedback(row: FeedbackRow, cipher: FieldCipher): FeedbackRecord {
  const record: FeedbackRecord = {
    messageId: row.message_id,
    threadId: row.thread_id,
    userId: row.user_id,
    value: row.value > 0 ? 1 : -1,
    createdAt: isoString(row.created_at),
  };
  if (row.comment !== null) record.comment = cipher.decrypt(row.comment);
  if (row.persona !== null) record.persona = row.persona;
  return record;
}

/** An audit event as stored in the `dd_audit` table; `detail` is JSON text (SQLite) or JSONB. */
export interface AuditRow {
  type: AuditEvent['type'];
  user_id: string | null;
  detail: string | Record<string, unknown> | null;
  created_at: StoredTime;
}

/** Decodes a stored audit row. */
export function rowToAudit(row: AuditRow): AuditEvent {
  const event: AuditEvent = { type: row.type, createdAt: isoString(row.created_at) };
  if (row.user_id !== null) event.userId = row.user_id;
  if (row.detail !== null) {
    event.detail = typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail;
  }
  return event;
}

/** A usage counter as stored in the `dd_usage` table; `count` is BIGINT text on PostgreSQL. */
export interface UsageRow {
  user_id: string;
  day: string;
  metric: UsageRecord['metric'];
  count: number | string;
}

/** Decodes a stored usage row. */
export function rowToUsage(row: UsageRow): UsageRecord {
  return { userId: row.user_id, day: row.day, metric: row.metric, count: Number(row.count) };
}

/** Encodes a keyset cursor for thread listing (core's `encodeThreadCursor`). */
export const encodeCursor = encodeThreadCursor;

/**
 * Decodes a keyset cursor for thread listing (core's `decodeThreadCursor`): `undefined` for the
 * first page; a malformed or crafted cursor fails with `INVALID_INPUT` before it reaches SQL.
 */
export const decodeCursor = decodeThreadCursor;
