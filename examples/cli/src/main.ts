/**
 * A playable terminal story on Dreamdeck. Type what your character does; `/help` lists commands.
 * Ctrl+C stops the reply being written (press it again while nothing is written, or Ctrl+D, to
 * leave). Runs on the offline demo model by default.
 */
import { createInterface } from 'node:readline/promises';
import { createDreamdeck, DreamdeckError, type Turn, type TurnResult } from '@dreamdeck/core';
import { createTerminalMarkdown } from './terminal-markdown.js';

const colors = Boolean(process.stdout.isTTY);
const color = (code: number) => (text: string) => (colors ? `\x1b[${code}m${text}\x1b[0m` : text);
const dim = color(2);
const gold = color(33);
const cyan = color(36);

const dd = await createDreamdeck({ config: { logging: { level: 'error' } } });
const session = await dd.openSession({ userId: 'cli-player', title: 'A terminal tale' });
// In a terminal, readline reads keys itself (raw mode): Ctrl+C arrives here as a key, not as a
// signal to the whole process group, so `pnpm example:cli` (which would end on SIGINT and take the
// game with it) never sees it. Piped input has no keys: there it comes as SIGINT to this process.
const terminal = Boolean(process.stdin.isTTY);
const lines = createInterface({ input: process.stdin, output: process.stdout, terminal });
const controller = { current: undefined as AbortController | undefined };
let leaveAsked = 0;

/** Ctrl+C: stops the reply being written; with none, asks once, then leaves on a second press. */
function onInterrupt(): void {
  if (controller.current) {
    controller.current.abort();
    return;
  }
  if (Date.now() - leaveAsked < 3000) {
    void shutdown();
    return;
  }
  leaveAsked = Date.now();
  process.stdout.write(dim('\n  (Ctrl+C again, or Ctrl+D, to leave)\n'));
}
lines.on('SIGINT', onInterrupt);
process.on('SIGINT', onInterrupt);

/** Whether the cursor is at the start of a line (so each message starts on its own). */
let atLineStart = true;
function print(text: string): void {
  if (!text) return;
  process.stdout.write(text);
  atLineStart = text.endsWith('\n');
}

console.log(gold('Dreamdeck — a story with an AI game master'));
console.log(dim(`Model: ${dd.model.name} (offline demo unless you plug in a real one). Type /help for commands.\n`));

async function play(turn: Turn): Promise<TurnResult> {
  let markdown = createTerminalMarkdown({ color: colors });
  for await (const event of turn) {
    switch (event.type) {
      case 'message-start':
        // a blank line between messages: the dice, then the narration, never run together
        print(atLineStart ? '\n' : '\n\n');
        markdown = createTerminalMarkdown({ color: colors });
        if (event.kind === 'narration') print(gold('GM › '));
        break;
      case 'message-delta':
        print(markdown.write(event.text));
        break;
      case 'message-end':
        print(`${markdown.end()}\n`);
        break;
      case 'dice-roll':
        break;
      case 'image':
        print(cyan(`  [image painted: ${event.image.prompt.slice(0, 70)}…]\n`));
        break;
      case 'status':
        print(`${atLineStart ? '' : '\n'}${dim(`  ${event.text}`)}\n`);
        break;
      case 'error':
        print(`\n${color(31)(`! ${event.message}`)}\n`);
        break;
      case 'turn-end':
        if (event.status === 'aborted') print(`${markdown.end()}${dim('\n  (stopped)')}\n`);
        break;
    }
  }
  return turn.result;
}

async function shutdown(): Promise<void> {
  lines.close();
  await dd.close();
  process.exit(0);
}

const input = lines[Symbol.asyncIterator]();
/** Prompts and reads one line; `undefined` at end of input. Works for a terminal and for piped input. */
async function ask(prompt: string): Promise<string | undefined> {
  // readline redraws the line with its prompt as the player edits it
  lines.setPrompt(prompt);
  process.stdout.write(prompt);
  const next = await input.next();
  if (!terminal && !next.done) process.stdout.write(`${next.value}\n`);
  atLineStart = true;
  return next.done ? undefined : next.value;
}

for (;;) {
  const text = await ask(cyan('\nYou › '));
  if (text === undefined) break;
  if (!text.trim()) continue;
  try {
    controller.current = new AbortController();
    let result = await play(session.send(text, { signal: controller.current.signal }));
    while (result.status === 'interrupted' && result.interrupt) {
      const { interrupt } = result;
      console.log(cyan(`\n${interrupt.prompt}`));
      for (const option of interrupt.options ?? []) console.log(dim(`  • ${option.slice(0, 100)}`));
      const answer = ((await ask(cyan('Paint it? [y/N] '))) ?? '').trim().toLowerCase();
      result = await play(
        session.resume(interrupt.interruptId, answer.startsWith('y'), { signal: controller.current.signal }),
      );
    }
  } catch (error) {
    console.log(DreamdeckError.isInstance(error) ? `! ${error.message}` : error);
  } finally {
    controller.current = undefined;
  }
}
await shutdown();
