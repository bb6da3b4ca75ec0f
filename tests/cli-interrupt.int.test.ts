/**
 * `pnpm example:cli` in a real pseudo-terminal (util-linux `script`), as a person runs it: Ctrl+C
 * while the GM writes stops the reply and the game goes on; each message starts on its own line,
 * without markdown's `**`. Before the fix (issue 21 fix 9) the terminal turned Ctrl+C into SIGINT
 * for the whole process group, and pnpm ended the game.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;

/** The terminal's output so far, without colours and carriage returns. */
function screen(output: string[]): string {
  return output
    .join('')
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r/g, '');
}

async function waitFor(output: string[], pattern: RegExp, from = 0, timeout = 60_000): Promise<void> {
  const started = Date.now();
  while (!pattern.test(screen(output).slice(from))) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${pattern}:\n${screen(output)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!hasScript)('pnpm example:cli in a terminal', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  afterEach(() => {
    child?.kill('SIGKILL');
  });

  it('Ctrl+C stops the reply, not the game; dice and narration on lines of their own, no raw markdown', async () => {
    child = spawn('script', ['-qfec', 'pnpm example:cli', '/dev/null'], {
      cwd: root,
      env: { ...process.env, DREAMDECK_MODEL: '', FORCE_COLOR: '0' },
    });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    await waitFor(output, /You › /);

    // a long reply, stopped while it streams (the demo model writes a word every 12 ms)
    child.stdin.write('I search the old library for the lost map\r');
    await waitFor(output, /GM › \S+ \S+/);
    child.stdin.write('\x03');
    await waitFor(output, /\(stopped\)/);
    const stoppedAt = screen(output).indexOf('(stopped)');
    await waitFor(output, /You › /, stoppedAt);

    // the game goes on: a roll, on its own line, its markdown rendered
    child.stdin.write('/roll 1d6 for luck\r');
    await waitFor(output, /→ \d+\n/, stoppedAt);
    const after = screen(output).slice(stoppedAt);
    expect(after).toMatch(/\n🎲 1d6 for luck: \[\d\] → \d+\n/);
    expect(after).not.toContain('**');

    // Ctrl+C with nothing being written asks first; Ctrl+D leaves
    child.stdin.write('\x03');
    await waitFor(output, /Ctrl\+C again, or Ctrl\+D, to leave/, stoppedAt);
    child.stdin.write('\x04');
    expect(await exited).toBe(0);
    expect(screen(output)).not.toMatch(/ELIFECYCLE|Command failed/);
  }, 120_000);
});
