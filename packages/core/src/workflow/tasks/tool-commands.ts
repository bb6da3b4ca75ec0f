import { task } from '@langchain/langgraph';
import { DreamdeckError } from '../../errors.js';
import { escapeMarkdown, TodoBook } from '../../todos/todo-book.js';
import { availableHelpText, type CommandAvailability, commandHelpText } from '../command-help.js';
import { sendReply } from '../story-messages.js';
import type { TurnContext } from '../turn-context.js';

/** A command of a player in a thread, with its arguments. */
export interface ToolCommandInput {
  threadId: string;
  turnId: string;
  userId: string;
  args: string;
}

/** `/help` with an optional intro line (for an unknown command). */
export interface HelpInput extends ToolCommandInput {
  intro?: string;
}

/** Which commands work for the player now: their effective flags, and whether web search is set up. */
export async function commandAvailability(context: TurnContext, userId: string): Promise<CommandAvailability> {
  return { flags: await context.flags.effective({ userId }), searchConfigured: context.search?.() !== undefined };
}

/**
 * The `help` task: `/help` lists the commands that work for the player (a command whose flag is
 * off, or `/search` without a search service, is left out); `/help <command>` explains one.
 * Also the answer to an unknown command (with `intro`). Resolves to the reply's id.
 */
export function createHelpTask(context: TurnContext) {
  return task('help', async (input: HelpInput): Promise<string> => {
    const availability = await commandAvailability(context, input.userId);
    const content = input.args.trim()
      ? commandHelpText(input.args, availability)
      : availableHelpText(availability, input.intro);
    return sendReply(context, { threadId: input.threadId, turnId: input.turnId, kind: 'help', content });
  });
}

const TODO_USAGE = 'Use `/todo add <text>`, `/todo list [page]`, `/todo done <n>` or `/todo clear`.';

/**
 * The `todo-command` task (`/todo add|done|list|clear`): runs it on `dd.todos` for the player and
 * replies with a `todo` message. Bad input (no text, a number that does not exist, a full list)
 * is answered with an `error` part; nothing is half-done. Resolves to the reply's id.
 */
export function createTodoCommandTask(context: TurnContext) {
  return task('todo-command', async (input: ToolCommandInput): Promise<string> => {
    const todos = new TodoBook(context.storage);
    const base = { threadId: input.threadId, turnId: input.turnId, kind: 'todo' as const };
    const [verb = '', ...rest] = input.args.trim().split(/\s+/);
    const argument = input.args.trim().slice(verb.length).trim();
    try {
      switch (verb.toLowerCase()) {
        case 'add': {
          const item = await todos.add(input.userId, argument);
          return await sendReply(context, { ...base, content: `Added to-do #${item.n}: ${escapeMarkdown(item.text)}` });
        }
        case 'done': {
          const n = Number(argument.replace(/^#/, ''));
          if (!argument || rest.length > 1 || !Number.isInteger(n)) {
            throw new DreamdeckError('INVALID_INPUT', 'Say which to-do by its number, for example `/todo done 3`.');
          }
          const item = await todos.done(input.userId, n);
          return await sendReply(context, { ...base, content: `✓ Done: #${item.n} ${escapeMarkdown(item.text)}` });
        }
        case 'clear': {
          const removed = await todos.clear(input.userId);
          return await sendReply(context, {
            ...base,
            content: removed
              ? `Cleared ${removed} to-do${removed === 1 ? '' : 's'}.`
              : 'Your to-do list was already empty.',
          });
        }
        case '':
        case 'list': {
          const page = argument ? Number(argument) : 1;
          if (!Number.isInteger(page) || page < 1) {
            throw new DreamdeckError('INVALID_INPUT', 'A page is a whole number, for example `/todo list 2`.');
          }
          const size = 20;
          const list = await todos.list(input.userId, {
            status: 'open',
            limit: size,
            offset: Math.min((page - 1) * size, 10_000),
          });
          if (!list.open) {
            return await sendReply(context, {
              ...base,
              content: `You have no open to-dos${list.done ? ` (${list.done} done)` : ''}. Add one with \`/todo add <text>\`.`,
            });
          }
          const pages = Math.ceil(list.open / size);
          const lines = list.todos.map((todo) => `- #${todo.n} ${escapeMarkdown(todo.text)}`);
          const footer = page < pages ? `\n\nPage ${page} of ${pages}: \`/todo list ${page + 1}\` shows more.` : '';
          return await sendReply(context, {
            ...base,
            content: `**To-dos** (${list.open} open, ${list.done} done)\n\n${lines.join('\n') || '_Nothing on this page._'}${footer}`,
          });
        }
        default:
          throw new DreamdeckError('INVALID_INPUT', `I don't know \`/todo ${verb}\`. ${TODO_USAGE}`);
      }
    } catch (error) {
      if (!DreamdeckError.isInstance(error) || !['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT'].includes(error.code)) {
        throw error;
      }
      return sendReply(context, {
        ...base,
        content: error.message,
        parts: [{ type: 'error', code: error.code, message: error.message }],
      });
    }
  });
}

/** The `daily-report` task (`/report`): today's report as a markdown `todo` message. Resolves to its id. */
export function createDailyReportTask(context: TurnContext) {
  return task('daily-report', async (input: ToolCommandInput): Promise<string> => {
    const report = await new TodoBook(context.storage).report(input.userId);
    return sendReply(context, {
      threadId: input.threadId,
      turnId: input.turnId,
      kind: 'todo',
      content: report.markdown,
    });
  });
}
