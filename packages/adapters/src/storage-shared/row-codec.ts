import type { FeedbackRecord, StoryMessage, ThreadRecord } from '@dreamdeck/core';
import type { FieldCipher } from '../crypto/field-cipher.js';

/** A message as stored in the `messages` table of both SQL adapters. */
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
  return message;
}

/** A thread as stored in the `threads` table. */
export interface ThreadRow {
  id: string;
  user_id: string;
  title: string;
  persona: string;
  created_at: string;
  updated_at: string;
}

/** Decodes a stored thread row. */
export function rowToThread(row: ThreadRow): ThreadRecord {
  return {
    id: row.id,
    userId: row.user_id,
    title: row.title,
    persona: row.persona,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A feedback entry as stored in the `feedback` table. */
export interface FeedbackRow {
  message_id: string;
  thread_id: string;
  user_id: string;
  value: number;
  comment: string | null;
  persona: string | null;
  created_at: string;
}

/** Decodes a stored feedback row; the comment goes through the cipher. */
export function rowToFeedback(row: FeedbackRow, cipher: FieldCipher): FeedbackRecord {
  const record: FeedbackRecord = {
    messageId: row.message_id,
    threadId: row.thread_id,
    userId: row.user_id,
    value: row.value > 0 ? 1 : -1,
    createdAt: row.created_at,
  };
  if (row.comment !== null) record.comment = cipher.decrypt(row.comment);
  if (row.persona !== null) record.persona = row.persona;
  return record;
}

/** The next `updatedAt`: now, but always later than the previous value so ordering is strict. */
export function nextTimestamp(previous: string): string {
  return new Date(Math.max(Date.now(), Date.parse(previous) + 1)).toISOString();
}

/** Encodes a keyset cursor for thread listing. */
export function encodeCursor(updatedAt: string, seq: number): string {
  return Buffer.from(JSON.stringify([updatedAt, seq])).toString('base64url');
}

/** Decodes a keyset cursor; malformed cursors start from the top. */
export function decodeCursor(cursor: string | undefined): { updatedAt: string; seq: number } | undefined {
  if (!cursor) return undefined;
  try {
    const [updatedAt, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof updatedAt === 'string' && typeof seq === 'number') return { updatedAt, seq };
  } catch {
    // fall through
  }
  return undefined;
}

/** Clamps a page size to 1..200 (default 50). */
export function pageSize(limit: number | undefined): number {
  return Math.min(Math.max(Math.trunc(limit ?? 50), 1), 200);
}
