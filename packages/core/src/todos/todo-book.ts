import type { BaseStore } from '@langchain/langgraph-checkpoint';
import { DreamdeckError } from '../errors.js';
import type { StorageAdapter } from '../storage/storage-adapter.js';
import type { DailyReport, TodoItem, TodoListOptions, TodoPage } from './todo-types.js';

// To-dos live in the LangGraph store, one namespace per user, keyed by their zero-padded number,
// so `/todo done 3` is one `get`. Beside them an index record holds the next number, the first
// number still stored (a clear removes them all, so the stored numbers are always first..next-1)
// and the open numbers in order: a page is one index read and one batch of `get`s, whatever the
// list's size, on every store (no scan of 10,000 entries, and no reliance on a store's order).

/** Most to-dos one player may keep (open and done together). */
export const MAX_TODOS = 10_000;
/** Longest to-do text, in characters. */
export const MAX_TODO_LENGTH = 500;
/** Default page size of a to-do list. */
export const DEFAULT_TODO_PAGE = 20;
/** Largest page of a to-do list. */
export const MAX_TODO_PAGE = 100;

const CLEAR_BATCH = 500;

interface TodoIndex {
  userId: string;
  /** The number the next to-do gets. */
  next: number;
  /** The lowest number still stored (`next` when the list is empty). */
  first: number;
  /** The open to-dos' numbers, ascending. */
  open: number[];
}

/** The store namespace of a user's to-dos. */
export function todoNamespace(userId: string): string[] {
  return ['dreamdeck', 'todos', userId];
}

function indexNamespace(userId: string): string[] {
  return ['dreamdeck', 'todo-index', userId];
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

  private async index(userId: string): Promise<TodoIndex> {
    const item = await this.store.get(indexNamespace(userId), 'index');
    const value = item?.value as Partial<TodoIndex> | undefined;
    const next = typeof value?.next === 'number' ? value.next : 1;
    const open = Array.isArray(value?.open) ? value.open.filter((n): n is number => Number.isInteger(n)) : [];
    return { userId, next, first: typeof value?.first === 'number' ? value.first : 1, open };
  }

  private async saveIndex(index: TodoIndex): Promise<void> {
    await this.store.put(indexNamespace(index.userId), 'index', { ...index }, false);
  }

  /** Reads the to-dos with these numbers, in the order given (missing ones are skipped). */
  private async read(userId: string, numbers: number[]): Promise<TodoItem[]> {
    if (!numbers.length) return [];
    const items = await this.store.batch(numbers.map((n) => ({ namespace: todoNamespace(userId), key: keyOf(n) })));
    return items.flatMap((item) => (item ? (toItem(item.value, userId) ?? []) : []));
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
    const index = await this.index(userId);
    if (index.next - index.first >= MAX_TODOS) {
      throw new DreamdeckError(
        'CONFLICT',
        `Your to-do list is full (${MAX_TODOS.toLocaleString('en')} entries). Clear it with \`/todo clear\` first.`,
        { retryable: false },
      );
    }
    const item: TodoItem = { n: index.next, text: clean, done: false, createdAt: new Date().toISOString() };
    await this.store.put(todoNamespace(userId), keyOf(item.n), { ...item, userId }, false);
    await this.saveIndex({ ...index, next: index.next + 1, open: [...index.open, item.n] });
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
    const [item] = await this.read(userId, [n]);
    if (!item) throw new DreamdeckError('NOT_FOUND', `There is no to-do number ${n}. \`/todo list\` shows them.`);
    if (item.done) return item;
    const finished: TodoItem = { ...item, done: true, doneAt: new Date().toISOString() };
    await this.store.put(todoNamespace(userId), keyOf(n), { ...finished, userId }, false);
    const index = await this.index(userId);
    await this.saveIndex({ ...index, open: index.open.filter((open) => open !== n) });
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
    const index = await this.index(userId);
    const open = index.open.length;
    const done = Math.max(0, index.next - index.first - open);
    let numbers: number[];
    if (status === 'open')
      numbers = index.open
        .slice()
        .reverse()
        .slice(offset, offset + limit);
    else {
      // newest first from next-1 down to first, skipping (or keeping only) the open ones
      const isOpen = new Set(index.open);
      numbers = [];
      let skipped = 0;
      for (let n = index.next - 1; n >= index.first && numbers.length < limit; n--) {
        if (status === 'done' && isOpen.has(n)) continue;
        if (skipped++ < offset) continue;
        numbers.push(n);
      }
    }
    const total = status === 'open' ? open : status === 'done' ? done : open + done;
    return { todos: await this.read(userId, numbers), total, open, done };
  }

  /** Removes every to-do of the user (numbers keep counting up); resolves to how many went. */
  async clear(userId: string): Promise<number> {
    const index = await this.index(userId);
    for (let from = index.first; from < index.next; from += CLEAR_BATCH) {
      const to = Math.min(index.next, from + CLEAR_BATCH);
      const keys = Array.from({ length: to - from }, (_, i) => keyOf(from + i));
      await this.store.batch(keys.map((key) => ({ namespace: todoNamespace(userId), key, value: null })));
    }
    await this.saveIndex({ ...index, first: index.next, open: [] });
    return index.next - index.first;
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
    const open = await this.list(userId, { status: 'open', limit: 5 });
    const report = {
      day,
      turns: count('turns'),
      rolls: count('rolls'),
      todosDone: count('todos-done'),
      feedback: count('feedback'),
      searches: count('searches'),
      openTodos: open.open,
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
    if (open.todos.length) {
      lines.push('', '**Open to-dos**', '', ...open.todos.map((todo) => `- #${todo.n} ${escapeMarkdown(todo.text)}`));
      if (open.open > open.todos.length) lines.push(`- … and ${open.open - open.todos.length} more`);
    }
    if (!counted) lines.push('', '_This server keeps no usage counters, so the counts above are not recorded._');
    return { ...report, markdown: lines.join('\n') };
  }
}

/** Player text shown inside markdown: markdown's punctuation is escaped so it reads as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]{}()<>#+!|~])/g, '\\$1');
}
