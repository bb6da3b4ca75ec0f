import type { BaseStore } from '@langchain/langgraph-checkpoint';
import { newId } from '../storage/ids.js';
import type { MemoryRecord, MemoryScope } from './memory-types.js';

// Store access shared by `dd.memory` and the turn's memory tasks. One namespace per user, the key
// is the record id (so a record is read and deleted by id); a `thread` memory carries its thread id.

/** The LangGraph store namespace of a user's memories. */
export function memoryNamespace(userId: string): string[] {
  return ['dreamdeck', 'memory', userId];
}

/** Most records read for one user (the store pages; encrypted stores filter in process). */
const READ_LIMIT = 5000;

/** A record as stored, checked: anything malformed (or of another user) is skipped. */
function toRecord(value: unknown, userId: string): MemoryRecord | undefined {
  const record = value as Partial<MemoryRecord> | null;
  if (!record || typeof record.id !== 'string' || typeof record.text !== 'string' || record.userId !== userId)
    return undefined;
  return {
    id: record.id,
    userId,
    scope: record.scope === 'thread' ? 'thread' : 'user',
    ...(typeof record.threadId === 'string' && { threadId: record.threadId }),
    text: record.text,
    source: record.source === 'player' ? 'player' : 'extracted',
    createdAt: String(record.createdAt),
    updatedAt: String(record.updatedAt),
    ...(typeof record.subject === 'string' && { subject: record.subject }),
    ...(typeof record.messageId === 'string' && { messageId: record.messageId }),
  };
}

/**
 * Every memory of a user, newest first; with `threadId`, only those that apply in that story (the
 * user's `user` memories and the thread's own). `filter` on the user id keeps out another user's
 * records that a backend's prefix match could return (PostgreSQL matches namespace paths by `LIKE`).
 */
export async function readMemories(store: BaseStore, userId: string, threadId?: string): Promise<MemoryRecord[]> {
  const items = await store.search(memoryNamespace(userId), { filter: { userId }, limit: READ_LIMIT });
  const records = items.flatMap((item) => toRecord(item.value, userId) ?? []);
  return records
    .filter((record) => !threadId || record.scope === 'user' || record.threadId === threadId)
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id < b.id ? 1 : -1));
}

/** One memory of the user, or undefined. */
export async function readMemory(store: BaseStore, userId: string, id: string): Promise<MemoryRecord | undefined> {
  const item = await store.get(memoryNamespace(userId), id);
  return item ? toRecord(item.value, userId) : undefined;
}

/** Stores a record as it is (create or replace). */
export async function writeMemory(store: BaseStore, record: MemoryRecord): Promise<MemoryRecord> {
  // `index: false`: the text is ranked in process (BM25, vectors), never by the backend's own index
  await store.put(memoryNamespace(record.userId), record.id, { ...record }, false);
  return record;
}

/** Deletes a record for good. */
export async function deleteMemory(store: BaseStore, userId: string, id: string): Promise<void> {
  await store.delete(memoryNamespace(userId), id);
}

/** What a new record needs; the rest is filled in. */
export interface NewMemory {
  userId: string;
  scope: MemoryScope;
  threadId?: string;
  text: string;
  source: MemoryRecord['source'];
  subject?: string;
  messageId?: string;
}

/** A new record with a fresh id and timestamps. */
export function newMemory(fields: NewMemory): MemoryRecord {
  const now = new Date().toISOString();
  return {
    id: newId('mem'),
    userId: fields.userId,
    scope: fields.scope,
    ...(fields.scope === 'thread' && fields.threadId && { threadId: fields.threadId }),
    text: fields.text,
    source: fields.source,
    createdAt: now,
    updatedAt: now,
    ...(fields.subject && { subject: fields.subject }),
    ...(fields.messageId && { messageId: fields.messageId }),
  };
}

/** A fact's text as compared for duplicates: case, punctuation and spacing ignored. */
export function normalizeFact(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
