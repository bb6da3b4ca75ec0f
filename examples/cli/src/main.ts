/**
 * A playable terminal story on Dreamdeck. Type what your character does; `/help` lists commands,
 * Ctrl+C (or Ctrl+D) quits. Runs on the offline demo model by default.
 */
import { createInterface } from 'node:readline/promises';
import { createDreamdeck, DreamdeckError, type Turn, type TurnResult } from '@dreamdeck/core';

const color = (code: number) => (text: string) => (process.stdout.isTTY ? `\x1b[${code}m${text}\x1b[0m` : text);
const dim = color(2);
const gold = color(33);
const cyan = color(36);

const dd = await createDreamdeck({ config: { logging: { level: 'error' } } });
const session = await dd.openSession({ userId: 'cli-player', title: 'A terminal tale' });
const lines = createInterface({ input: process.stdin, terminal: false });
const controller = { current: undefined as AbortController | undefined };

process.on('SIGINT', () => {
  if (controller.current) controller.current.abort();
  else void shutdown();
});

console.log(gold('Dreamdeck — a story with an AI game master'));
console.log(dim(`Model: ${dd.model.name} (offline demo unless you plug in a real one). Type /help for commands.\n`));

async function play(turn: Turn): Promise<TurnResult> {
  for await (const event of turn) {
    switch (event.type) {
      case 'message-start':
        if (event.kind === 'narration') process.stdout.write(gold('\nGM › '));
        break;
      case 'message-delta':
        process.stdout.write(event.text);
        break;
      case 'message-end':
        process.stdout.write('\n');
        break;
      case 'dice-roll':
        break;
      case 'image':
        process.stdout.write(cyan(`  [image painted: ${event.image.prompt.slice(0, 70)}…]\n`));
        break;
      case 'status':
        process.stdout.write(dim(`  ${event.text}\n`));
        break;
      case 'error':
        process.stdout.write(`\n${color(31)(`! ${event.message}`)}\n`);
        break;
      case 'turn-end':
        if (event.status === 'aborted') process.stdout.write(dim('\n  (stopped)\n'));
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
  process.stdout.write(prompt);
  const next = await input.next();
  if (!process.stdin.isTTY && !next.done) process.stdout.write(`${next.value}\n`);
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
      for (const option of interrupt.options ?? []) console.log(dim(`  • ${option}`));
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
