import type { ThreadRecord, UserRecord } from '../../types.js';
import type { ListThreadsOptions, Page, ThreadStorage, UserStorage } from '../domains/thread-storage.js';
import { newId } from '../ids.js';
import { nextTimestamp, pageSize } from '../record-rules.js';
import { alreadyExistsError, notFoundError } from '../storage-errors.js';
import { decodeThreadCursor, encodeThreadCursor } from '../thread-cursor.js';
import { clone, type MemoryStorageRaw, type MemoryThreadRow } from './memory-raw.js';

/** Users and threads in memory; threads are soft-deleted, listed by a keyset cursor (`updatedAt`, `seq`). */
export function createMemoryThreads(raw: MemoryStorageRaw): UserStorage & ThreadStorage {
  let threadSeq = 0;
  const requireThread = (id: string): MemoryThreadRow => {
    const row = raw.threads.get(id);
    if (!row || row.deleted) throw notFoundError('memory', 'thread', id);
    return row;
  };
  const publicThread = ({ deleted: _d, seq: _s, ...thread }: MemoryThreadRow): ThreadRecord => clone(thread);

  return {
    async upsertUser(user) {
      const existing = raw.users.get(user.id);
      const next: UserRecord = {
        id: user.id,
        roles: user.roles ?? existing?.roles ?? [],
        createdAt: existing?.createdAt ?? new Date().toISOString(),
        ...((user.displayName ?? existing?.displayName) !== undefined && {
          displayName: user.displayName ?? existing?.displayName,
        }),
      };
      raw.users.set(user.id, next);
      return clone(next);
    },
    async getUser(id) {
      const user = raw.users.get(id);
      return user ? clone(user) : null;
    },

    async createThread(input) {
      const now = new Date().toISOString();
      const row: MemoryThreadRow = {
        id: input.id ?? newId('thr'),
        userId: input.userId,
        title: input.title ?? 'New story',
        persona: input.persona,
        createdAt: now,
        updatedAt: now,
        ...(input.parentThreadId !== undefined && { parentThreadId: input.parentThreadId }),
        ...(input.branchedFromMessageId !== undefined && { branchedFromMessageId: input.branchedFromMessageId }),
        deleted: false,
        seq: ++threadSeq,
      };
      if (raw.threads.has(row.id)) throw alreadyExistsError('memory', 'thread', row.id);
      raw.threads.set(row.id, row);
      raw.messages.set(row.id, []);
      return publicThread(row);
    },
    async getThread(id) {
      const row = raw.threads.get(id);
      return row && !row.deleted ? publicThread(row) : null;
    },
    async listThreads(userId, options: ListThreadsOptions = {}): Promise<Page<ThreadRecord>> {
      const limit = pageSize(options.limit);
      const after = decodeThreadCursor(options.cursor);
      const rows = [...raw.threads.values()]
        .filter(
          (row) =>
            row.userId === userId &&
            !row.deleted &&
            (!after || row.updatedAt < after.updatedAt || (row.updatedAt === after.updatedAt && row.seq < after.seq)),
        )
        .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.seq - a.seq));
      const items = rows.slice(0, limit).map(publicThread);
      const last = rows[limit - 1];
      return rows.length > limit && last
        ? { items, nextCursor: encodeThreadCursor(last.updatedAt, last.seq) }
        : { items };
    },
    async updateThread(id, patch) {
      const row = requireThread(id);
      // a rename or persona switch is not story activity: only a touch (an empty patch) moves the thread
      if (patch.title === undefined && patch.persona === undefined) {
        row.updatedAt = nextTimestamp(row.updatedAt);
        row.seq = ++threadSeq;
      }
      if (patch.title !== undefined) row.title = patch.title;
      if (patch.persona !== undefined) row.persona = patch.persona;
      return publicThread(row);
    },
    async deleteThread(id) {
      const row = raw.threads.get(id);
      if (row) row.deleted = true;
    },
  };
}
