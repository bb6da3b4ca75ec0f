import type { BaseStore } from '@langchain/langgraph-checkpoint';
import { DreamdeckError } from '../errors.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { DailyReport, TodoItem, TodoListOptions, TodoPage } from './todo-types.js';

// To-dos live in the LangGraph store, one namespace per user, keyed by their zero-padded number,
// so `/todo done 3` is one `get`. A small counts record beside them keeps the next number and the
// totals. A list page reads the user's entries once (at most MAX_TODOS) and cuts the page here.

/** Most to-dos one player may keep (open and done together). */
export const MAX_TODOS = 10_000;
/** Longest to-do text, in characters. */
export const MAX_TODO_LENGTH = 500;
/** Default page size of a to-do list. */
export const DEFAULT_TODO_PAGE = 20;
/** Largest page of a to-do list. */
export const MAX_TODO_PAGE = 100;

const CLEAR_BATCH = 500;

interface TodoCounts {
  userId: string;
  next: number;
  open: number;
  done: number;
}

/** The store namespace of a user's to-dos. */
export function todoNamespace(userId: string): string[] {
  return ['dreamdeck', 'todos', userId];
}

function countsNamespace(userId: string): string[] {
  return ['dreamdeck', 'todo-counts', userId];
}

const keyOf = (n: number) => String(n).padStart(8, '0');

/** The UTC day of a date, `YYYY-MM-DD`. */
export function utcDay(date = new Date()): string {
  return date.toISOString().slice(0, 10);
}

function toItem(value: unknown, userId: string): TodoItem | undefined {
  const item = value as (Partial<TodoItem> & { userId?: unknown }) | null;
  if (!item || item.userId !== userId || typeof item.n !== 'number' || typeof item.text !== 'string') return undefined;
  return {
    n: item.n,
    text: item.text,
    done: item.done === true,
    createdAt: String(item.createdAt),
    ...(typeof item.doneAt === 'string' && { doneAt: item.doneAt }),
  };
}

/** Clamps a page option to whole numbers within bounds; a non-number is `INVALID_INPUT`. */
function bounded(value: number | undefined, fallback: number, min: number, max: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DreamdeckError('INVALID_INPUT', `${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/**
 * A player's to-do list and daily report (`dd.todos`): `/todo add|done|list|clear`, `/report`
 * and `GET /todos` all go through it. To-dos are stored per user in the storage adapter's
 * LangGraph store; at most {@link MAX_TODOS} per user, each at most {@link MAX_TODO_LENGTH}
 * characters; lists come in pages.
 */
export class TodoBook {
  /** Used by `createDreamdeck`; reach it as `dd.todos`. */
  constructor(private readonly storage: StorageAdapter) {}

  private get store(): BaseStore {
    return this.storage.store;
  }

  private async counts(userId: string): Promise<TodoCounts> {
    const item = await this.store.get(countsNamespace(userId), 'counts');
    const value = item?.value as Partial<TodoCounts> | undefined;
    return {
      userId,
      next: typeof value?.next === 'number' ? value.next : 1,
      open: typeof value?.open === 'number' ? Math.max(0, value.open) : 0,
      done: typeof value?.done === 'number' ? Math.max(0, value.done) : 0,
    };
  }

  private async saveCounts(counts: TodoCounts): Promise<void> {
    await this.store.put(countsNamespace(counts.userId), 'counts', { ...counts }, false);
  }

  /**
   * Adds a to-do and resolves to it. Empty text, or text over {@link MAX_TODO_LENGTH} characters, is
   * `INVALID_INPUT`; a list already holding {@link MAX_TODOS} is `CONFLICT` (finish or clear some).
   */
  async add(userId: string, text: string): Promise<TodoItem> {
    const clean = text.replace(/\s+/g, ' ').trim();
    if (!clean) throw new DreamdeckError('INVALID_INPUT', 'A to-do needs some text, for example `/todo add buy rope`.');
    if (clean.length > MAX_TODO_LENGTH) {
      throw new DreamdeckError('INVALID_INPUT', `A to-do can be at most ${MAX_TODO_LENGTH} characters long.`);
    }
    const counts = await this.counts(userId);
    if (counts.open + counts.done >= MAX_TODOS) {
      throw new DreamdeckError(
        'CONFLICT',
        `Your to-do list is full (${MAX_TODOS.toLocaleString('en')} entries). Clear it with \`/todo clear\` first.`,
        { retryable: false },
      );
    }
    const item: TodoItem = { n: counts.next, text: clean, done: false, createdAt: new Date().toISOString() };
    await this.store.put(todoNamespace(userId), keyOf(item.n), { ...item, userId }, false);
    await this.saveCounts({ ...counts, next: counts.next + 1, open: counts.open + 1 });
    return item;
  }

  /**
   * Marks to-do number `n` done and resolves to it (already done: resolves to it unchanged).
   * A number that is not a positive whole number is `INVALID_INPUT`; one that does not exist, `NOT_FOUND`.
   */
  async done(userId: string, n: number): Promise<TodoItem> {
    if (!Number.isInteger(n) || n < 1) {
      throw new DreamdeckError('INVALID_INPUT', 'Say which to-do by its number, for example `/todo done 3`.');
    }
    const stored = await this.store.get(todoNamespace(userId), keyOf(n));
    const item = stored ? toItem(stored.value, userId) : undefined;
    if (!item) throw new DreamdeckError('NOT_FOUND', `There is no to-do number ${n}. \`/todo list\` shows them.`);
    if (item.done) return item;
    const finished: TodoItem = { ...item, done: true, doneAt: new Date().toISOString() };
    await this.store.put(todoNamespace(userId), keyOf(n), { ...finished, userId }, false);
    const counts = await this.counts(userId);
    await this.saveCounts({ ...counts, open: counts.open - 1, done: counts.done + 1 });
    await this.storage.addUsage?.(userId, 'todos-done');
    return finished;
  }

  /** A page of the user's to-dos (open ones by default), newest first, with the totals. */
  async list(userId: string, options: TodoListOptions = {}): Promise<TodoPage> {
    const status = options.status ?? 'open';
    if (status !== 'open' && status !== 'done' && status !== 'all') {
      throw new DreamdeckError('INVALID_INPUT', 'status must be open, done or all.');
    }
    const limit = bounded(options.limit, DEFAULT_TODO_PAGE, 1, MAX_TODO_PAGE, 'limit');
    const offset = bounded(options.offset, 0, 0, MAX_TODOS, 'offset');
    const counts = await this.counts(userId);
    const filter: Record<string, unknown> = { userId };
    if (status !== 'all') filter.done = status === 'done';
    // stores order search results differently (insertion, update time), so the page is cut here:
    // one read of at most MAX_TODOS entries, sorted by number
    const items = await this.store.search(todoNamespace(userId), { filter, limit: MAX_TODOS });
    const todos = items
      .flatMap((item) => toItem(item.value, userId) ?? [])
      .sort((a, b) => b.n - a.n)
      .slice(offset, offset + limit);
    const total = status === 'open' ? counts.open : status === 'done' ? counts.done : counts.open + counts.done;
    return { todos, total, open: counts.open, done: counts.done };
  }

  /** Removes every to-do of the user (numbers keep counting up); resolves to how many went. */
  async clear(userId: string): Promise<number> {
    let removed = 0;
    for (;;) {
      const items = await this.store.search(todoNamespace(userId), { filter: { userId }, limit: CLEAR_BATCH });
      if (items.length === 0) break;
      await this.store.batch(items.map((item) => ({ namespace: item.namespace, key: item.key, value: null })));
      removed += items.length;
      if (items.length < CLEAR_BATCH) break;
    }
    const counts = await this.counts(userId);
    await this.saveCounts({ ...counts, open: 0, done: 0 });
    return removed;
  }

  /**
   * The player's report for a UTC day (default today): turns played, dice rolled, to-dos done,
   * feedback given and searches run, from the storage's usage counters, plus the open to-dos, as
   * numbers and as markdown.
   */
  async report(userId: string, day = utcDay()): Promise<DailyReport> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(day))) {
      throw new DreamdeckError('INVALID_INPUT', 'day must be a date written YYYY-MM-DD.');
    }
    const counted = typeof this.storage.listUsage === 'function';
    const rows = counted ? await this.storage.listUsage!({ sinceDay: day, userId }) : [];
    const count = (metric: string) =>
      rows
        .filter((row) => row.day === day && row.userId === userId && row.metric === metric)
        .reduce((sum, row) => sum + row.count, 0);
    const counts = await this.counts(userId);
    const open = counts.open > 0 ? await this.list(userId, { status: 'open', limit: 5 }) : undefined;
    const report = {
      day,
      turns: count('turns'),
      rolls: count('rolls'),
      todosDone: count('todos-done'),
      feedback: count('feedback'),
      searches: count('searches'),
      openTodos: counts.open,
      counted,
    };
    const lines = [
      `## Report for ${day}`,
      '',
      `- Turns played: ${report.turns}`,
      `- Dice rolled: ${report.rolls}`,
      `- To-dos done: ${report.todosDone}`,
      `- Feedback given: ${report.feedback}`,
      `- Web searches: ${report.searches}`,
      `- To-dos still open: ${report.openTodos}`,
    ];
    if (open?.todos.length) {
      lines.push('', '**Open to-dos**', '', ...open.todos.map((todo) => `- #${todo.n} ${escapeMarkdown(todo.text)}`));
      if (counts.open > open.todos.length) lines.push(`- … and ${counts.open - open.todos.length} more`);
    }
    if (!counted) lines.push('', '_This server keeps no usage counters, so the counts above are not recorded._');
    return { ...report, markdown: lines.join('\n') };
  }
}

/** Player text shown inside markdown: markdown's punctuation is escaped so it reads as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()<>#+!|~])/g, '\\$1');
}
