import { InMemoryStore, MemorySaver } from '@langchain/langgraph-checkpoint';
import type { StoryMessage, ThreadRecord, UserRecord } from '../types.js';
import { fixedWindow, newId, utcDay } from './ids.js';
import { createMemoryLeases, type MemoryLease } from './memory-leases.js';
import { consumeOutcome, mergePreferences, nextTimestamp, pageSize } from './record-rules.js';
import type {
  AuditEvent,
  FeedbackAggregate,
  FeedbackRecord,
  KnowledgeHit,
  ListMessagesOptions,
  ListThreadsOptions,
  MessagePatch,
  Page,
  StorageAdapter,
  UsageRecord,
} from './storage-adapter.js';
import { alreadyExistsError, notFoundError } from './storage-errors.js';

interface ThreadRow extends ThreadRecord {
  deleted: boolean;
  seq: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/** Freezes a value and everything in it, so it can be shared with callers without copying. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Splits text into lowercase search terms. */
export function searchTerms(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 1);
}

/** Cuts a snippet of about `width` characters around the first term found in `text`. */
export function snippetAround(text: string, terms: string[], width = 200): string {
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), text.length));
  const start = Math.max(0, at - Math.floor(width / 3));
  const piece = text.slice(start, start + width).trim();
  return `${start > 0 ? '…' : ''}${piece}${start + width < text.length ? '…' : ''}`;
}

/**
 * The reference {@link StorageAdapter}: everything in process memory, lost on exit.
 * Good for tests, benchmarks and trying Dreamdeck out; use SQLite or PostgreSQL to keep stories.
 * Messages it returns are frozen (shared, not copied): spread them to change a field.
 */
export function createMemoryStorage(): StorageAdapter & { readonly raw: MemoryStorageRaw } {
  const raw: MemoryStorageRaw = {
    users: new Map(),
    threads: new Map(),
    messages: new Map(),
    messageIndex: new Map(),
    feedback: new Map(),
    threadData: new Map(),
    preferences: new Map(),
    flags: new Map(),
    counters: new Map(),
    knowledge: [],
    audit: [],
    usage: new Map(),
    leases: new Map(),
  };
  let threadSeq = 0;
  const checkpointer = new MemorySaver();

  const requireThread = (id: string): ThreadRow => {
    const row = raw.threads.get(id);
    if (!row || row.deleted) throw notFoundError('memory', 'thread', id);
    return row;
  };
  const publicThread = ({ deleted: _d, seq: _s, ...thread }: ThreadRow): ThreadRecord => clone(thread);

  return {
    name: 'memory',
    capabilities: { knowledge: true, audit: true, encryption: false, multiProcess: false },
    checkpointer,
    store: new InMemoryStore(),
    raw,
    async init() {},
    async close() {},

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
      const row: ThreadRow = {
        id: input.id ?? newId('thr'),
        userId: input.userId,
        title: input.title ?? 'New story',
        persona: input.persona,
        createdAt: now,
        updatedAt: now,
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
      const offset = options.cursor ? Number.parseInt(options.cursor, 10) || 0 : 0;
      const rows = [...raw.threads.values()]
        .filter((row) => row.userId === userId && !row.deleted)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.seq - a.seq);
      const items = rows.slice(offset, offset + limit).map(publicThread);
      return offset + limit < rows.length ? { items, nextCursor: String(offset + limit) } : { items };
    },
    async updateThread(id, patch) {
      const row = requireThread(id);
      if (patch.title !== undefined) row.title = patch.title;
      if (patch.persona !== undefined) row.persona = patch.persona;
      row.updatedAt = nextTimestamp(row.updatedAt);
      row.seq = ++threadSeq;
      return publicThread(row);
    },
    async deleteThread(id) {
      const row = raw.threads.get(id);
      if (row) row.deleted = true;
    },

    async appendMessage(message) {
      const list = raw.messages.get(message.threadId);
      if (!list) throw notFoundError('memory', 'thread', message.threadId);
      if (raw.messageIndex.has(message.id)) throw alreadyExistsError('memory', 'message', message.id);
      // Messages are stored frozen and shared on read: no copy per read keeps the hot path cheap.
      const copy = deepFreeze(clone(message));
      list.push(copy);
      raw.messageIndex.set(message.id, copy);
    },
    async listMessages(threadId, options: ListMessagesOptions = {}) {
      const list = raw.messages.get(threadId) ?? [];
      let end = list.length;
      if (options.before) {
        // Search from the end: the cursor is almost always recent.
        end = 0;
        for (let i = list.length - 1; i >= 0; i--) {
          if (list[i]?.id === options.before) {
            end = i;
            break;
          }
        }
      }
      const start = options.limit === undefined ? 0 : Math.max(0, end - options.limit);
      return list.slice(start, end);
    },
    async getMessage(id) {
      return raw.messageIndex.get(id) ?? null;
    },
    async updateMessage(id, patch: MessagePatch) {
      const message = raw.messageIndex.get(id);
      if (!message) throw notFoundError('memory', 'message', id);
      if (patch.ifStatus !== undefined && message.status !== patch.ifStatus) return message;
      const next: StoryMessage = { ...message };
      for (const key of ['content', 'status', 'parts', 'alternatives'] as const) {
        if (patch[key] !== undefined) Object.assign(next, { [key]: clone(patch[key]) });
      }
      deepFreeze(next);
      const list = raw.messages.get(message.threadId) ?? [];
      for (let i = list.length - 1; i >= 0; i--) {
        if (list[i] === message) {
          list[i] = next;
          break;
        }
      }
      raw.messageIndex.set(id, next);
      return next;
    },

    async setFeedback(feedback) {
      raw.feedback.set(`${feedback.messageId}\u0000${feedback.userId}`, {
        ...clone(feedback),
        createdAt: new Date().toISOString(),
      });
    },
    async getFeedback(messageId, userId) {
      const row = raw.feedback.get(`${messageId}\u0000${userId}`);
      return row ? clone(row) : null;
    },
    async feedbackSummary(options = {}) {
      const groups = new Map<string, FeedbackAggregate>();
      for (const row of raw.feedback.values()) {
        const day = utcDay(row.createdAt);
        if (options.sinceDay && day < options.sinceDay) continue;
        const persona = row.persona ?? 'unknown';
        const key = `${persona}\u0000${day}`;
        const group = groups.get(key) ?? { persona, day, up: 0, down: 0 };
        if (row.value > 0) group.up++;
        else group.down++;
        groups.set(key, group);
      }
      return [...groups.values()].sort((a, b) => b.day.localeCompare(a.day) || a.persona.localeCompare(b.persona));
    },
    async recentFeedback(options = {}) {
      return [...raw.feedback.values()]
        .filter((row) => row.comment)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, options.limit ?? 20)
        .map(clone);
    },

    async getThreadData(threadId) {
      return clone(Object.fromEntries(raw.threadData.get(threadId) ?? []));
    },
    async setThreadData(threadId, key, value) {
      const data = raw.threadData.get(threadId) ?? new Map<string, unknown>();
      if (value === undefined) data.delete(key);
      else data.set(key, clone(value));
      raw.threadData.set(threadId, data);
    },
    async getPreferences(userId) {
      return clone(raw.preferences.get(userId) ?? {});
    },
    async setPreferences(userId, patch) {
      const next = mergePreferences(raw.preferences.get(userId) ?? {}, clone(patch));
      raw.preferences.set(userId, next);
      return clone(next);
    },

    async getFlagOverrides(scope = {}) {
      return { ...(raw.flags.get(scope.userId ?? '') ?? {}) };
    },
    async setFlagOverride(name, value, scope = {}) {
      const key = scope.userId ?? '';
      const flags = { ...(raw.flags.get(key) ?? {}) };
      if (value === null) delete flags[name];
      else flags[name] = value;
      raw.flags.set(key, flags);
    },

    async consume(key, cost, windowMs, limit) {
      const window = fixedWindow(Date.now(), windowMs);
      const counter = raw.counters.get(key);
      const used = counter && counter.windowStart === window.start ? counter.used : 0;
      if (used + cost > limit) return consumeOutcome(window, undefined, counter);
      raw.counters.set(key, { windowStart: window.start, used: used + cost });
      return consumeOutcome(window, used + cost);
    },

    async addKnowledge(source, chunks) {
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== source);
      chunks.forEach((text, index) => {
        raw.knowledge.push({ id: `${source}#${index}`, source, text });
      });
      return chunks.length;
    },
    async searchKnowledge(query, options = {}) {
      const terms = searchTerms(query);
      if (terms.length === 0) return [];
      const hits: KnowledgeHit[] = [];
      for (const chunk of raw.knowledge) {
        const words = searchTerms(chunk.text);
        let score = 0;
        for (const term of terms) score += words.filter((w) => w === term).length;
        if (score > 0) {
          hits.push({
            id: chunk.id,
            source: chunk.source,
            snippet: snippetAround(chunk.text, terms),
            score: score / Math.sqrt(words.length),
          });
        }
      }
      return hits.sort((a, b) => b.score - a.score).slice(0, options.limit ?? 5);
    },
    async deleteKnowledge(source) {
      raw.knowledge = raw.knowledge.filter((chunk) => chunk.source !== source);
    },

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
    async addUsage(userId, metric, count = 1) {
      const day = utcDay();
      const key = `${userId}\u0000${day}\u0000${metric}`;
      const row = raw.usage.get(key) ?? { userId, day, metric, count: 0 };
      row.count += count;
      raw.usage.set(key, row);
    },
    async listUsage(options = {}) {
      return [...raw.usage.values()]
        .filter(
          (row) =>
            (!options.sinceDay || row.day >= options.sinceDay) && (!options.userId || row.userId === options.userId),
        )
        .sort(
          (a, b) => b.day.localeCompare(a.day) || a.userId.localeCompare(b.userId) || a.metric.localeCompare(b.metric),
        )
        .map(clone);
    },
    async pruneCheckpoints(threadId) {
      pruneMemorySaver(checkpointer, threadId);
    },
    ...createMemoryLeases(raw.leases),
  };
}

/** Keeps only the newest checkpoint (and its pending writes) of each namespace of a thread. */
function pruneMemorySaver(saver: MemorySaver, threadId: string): void {
  const namespaces = saver.storage[threadId];
  if (!namespaces) return;
  for (const [namespace, checkpoints] of Object.entries(namespaces)) {
    const ids = Object.keys(checkpoints).sort();
    ids.pop();
    for (const id of ids) {
      delete checkpoints[id];
      // MemorySaver keys pending writes by [thread, namespace, checkpoint]: drop those of pruned checkpoints only.
      delete saver.writes[JSON.stringify([threadId, namespace, id])];
    }
  }
}

/** The raw maps behind {@link createMemoryStorage}, for the conformance suite's `inspect`. */
export interface MemoryStorageRaw {
  users: Map<string, UserRecord>;
  threads: Map<string, ThreadRow>;
  messages: Map<string, StoryMessage[]>;
  messageIndex: Map<string, StoryMessage>;
  feedback: Map<string, FeedbackRecord>;
  threadData: Map<string, Map<string, unknown>>;
  preferences: Map<string, Record<string, unknown>>;
  flags: Map<string, Record<string, boolean>>;
  counters: Map<string, { windowStart: number; used: number }>;
  knowledge: Array<{ id: string; source: string; text: string }>;
  audit: AuditEvent[];
  usage: Map<string, UsageRecord>;
  /** Leases by key (see {@link createMemoryLeases}). */
  leases: Map<string, MemoryLease>;
}
