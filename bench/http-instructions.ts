/**
 * CPU instructions per full SSE turn, counted by valgrind's callgrind: the example server (compiled,
 * SQLite, zero-latency demo model) runs under callgrind with instrumentation off, serves warm-up
 * turns, then counts `BENCH_TURNS` sequential turns (all threads: main, GC helpers, libuv). It
 * moves far less than turns per second on a shared host, so it compares two versions of the code
 * run back to back (how far it moves: docs/http.md). Prints its figure; skips (with a message) when
 * valgrind is missing.
 *
 *   pnpm bench http-instructions
 *   BENCH_WARMUP=600 BENCH_TURNS=300 pnpm bench http-instructions   (the defaults; at 100 turns the
 *   count moved by up to 6% between runs of the same code, at 300 by about 2%)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenAuth } from '@dreamdeck/core/http';

const here = fileURLToPath(new URL('.', import.meta.url));
const warmup = Number(process.env.BENCH_WARMUP ?? 600);
const turns = Number(process.env.BENCH_TURNS ?? 300);
const secret = 'bench-secret-bench-secret-bench-secret!';

function has(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!has('valgrind') || !has('callgrind_control')) {
  console.log('http-instructions: skipped, valgrind is not installed (apt-get install valgrind)');
  process.exit(0);
}

const out = mkdtempSync(join(tmpdir(), 'dreamdeck-callgrind-'));
const child: ChildProcess = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--instr-atstart=no',
    `--callgrind-out-file=${join(out, 'callgrind.out.%p')}`,
    process.execPath,
    'servers/http-server.mjs',
  ],
  {
    cwd: here,
    env: { ...process.env, BENCH_LATENCY_MS: '0', BENCH_SECRET: secret },
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
try {
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /bench server on (\S+)/.exec(text);
      if (match) resolve(`${match[1]}/api`);
    });
    child.once('exit', (code) => reject(new Error(`server under valgrind exited with ${code}`)));
  });
  const token = await createTokenAuth({ secret }).issueToken({ id: 'bench' });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const threads: string[] = [];
  for (let i = 0; i < 8; i++) {
    const response = await fetch(`${url}/threads`, { method: 'POST', headers, body: '{}' });
    threads.push(((await response.json()) as { thread: { id: string } }).thread.id);
  }
  const body = JSON.stringify({ text: 'I search the room for clues.' });
  const turn = async (i: number) => {
    const response = await fetch(`${url}/threads/${threads[i % threads.length]}/turns`, {
      method: 'POST',
      headers,
      body,
    });
    await response.text();
  };
  for (let i = 0; i < warmup; i++) await turn(i);
  const pid = String(child.pid);
  execFileSync('callgrind_control', ['-i', 'on', pid], { stdio: 'ignore' });
  for (let i = 0; i < turns; i++) await turn(warmup + i);
  execFileSync('callgrind_control', ['-i', 'off', pid], { stdio: 'ignore' });
  execFileSync('callgrind_control', ['-d', pid], { stdio: 'ignore' });
  let total = 0;
  for (const file of readdirSync(out)) {
    total += Number(/^totals: (\d+)/m.exec(readFileSync(join(out, file), 'utf8'))?.[1] ?? 0);
  }
  console.log(
    `\nhttp-instructions: ${(total / turns / 1e6).toFixed(2)} M instructions per full SSE turn ` +
      `(callgrind, all threads; ${turns} turns after ${warmup} warm-up, SQLite, zero-latency demo model)`,
  );
} finally {
  child.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
}
