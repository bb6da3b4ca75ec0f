/** One entry of a player's to-do list (`/todo`, `dd.todos`, `GET /todos`). */
export interface TodoItem {
  /** Its number, as the player refers to it (`/todo done 3`); never reused for that player. */
  n: number;
  /** What to do (plain text, at most 500 characters). */
  text: string;
  /** Whether it is done. */
  done: boolean;
  /** When it was added (ISO 8601). */
  createdAt: string;
  /** When it was marked done (ISO 8601). */
  doneAt?: string;
}

/** Which to-dos to list. */
export type TodoStatus = 'open' | 'done' | 'all';

/** Options of `dd.todos.list`. */
export interface TodoListOptions {
  /** `open` (default), `done` or `all`. */
  status?: TodoStatus;
  /** Page size, 1 to 100 (default 20). */
  limit?: number;
  /** Entries to skip, newest first (default 0). */
  offset?: number;
}

/** A page of to-dos, newest first, with the totals. */
export interface TodoPage {
  /** This page's to-dos, newest first. */
  todos: TodoItem[];
  /** How many to-dos of the asked status there are in all. */
  total: number;
  /** How many are open. */
  open: number;
  /** How many are done. */
  done: number;
}

/** What the day's report counts, for one player and one UTC day. */
export interface DailyReport {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  /** Turns played. */
  turns: number;
  /** Dice rolled. */
  rolls: number;
  /** To-dos marked done. */
  todosDone: number;
  /** Feedback given (thumbs up or down). */
  feedback: number;
  /** Web searches run. */
  searches: number;
  /** To-dos still open. */
  openTodos: number;
  /** False when the storage keeps no usage counters (capability `audit`): the counts are then 0. */
  counted: boolean;
  /** The report as markdown, as `/report` shows it. */
  markdown: string;
}
