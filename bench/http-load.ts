/**
 * HTTP load benchmark: full SSE turns per second and p99 latency against the example server on
 * the zero-latency demo model (autocannon), and the server's resident memory with 1,000 idle
 * open event streams (as they open, and once the server has idled). Prints its figures.
 *
 *   pnpm --filter @dreamdeck/bench bench:http
 *   BENCH_DURATION=20 BENCH_ROUNDS=5 BENCH_CONNECTIONS=32 BENCH_STORAGE=memory pnpm --filter @dreamdeck/bench bench:http
 *   BENCH_ONLY=idle pnpm --filter @dreamdeck/bench bench:http   (or BENCH_ONLY=turns)
 *   BENCH_SETTLE_S=120 (the default) bounds how long the idle part waits for the RSS to settle
 *   BENCH_NODE=/path/to/node BENCH_STORAGE=memory pnpm --filter @dreamdeck/bench bench:http   (server on another Node)
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createTokenAuth } from '@dreamdeck/core/http';
import autocannon from 'autocannon';

const here = fileURLToPath(new URL('.', import.meta.url));
const secret = 'bench-secret-bench-secret-bench-secret!';
const auth = createTokenAuth({ secret });
const duration = Number(process.env.BENCH_DURATION ?? 10);
// turn rates swing from run to run on a shared host: each server gets several rounds, and the median counts
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const idleStreams = Number(process.env.BENCH_STREAMS ?? 1000);

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  // The server runs compiled (`pnpm build` first) on plain node, as it is deployed.
  // BENCH_NODE runs the server on another Node binary (the client stays on this one)
  const child = spawn(process.env.BENCH_NODE ?? process.execPath, ['servers/http-server.mjs'], {
    cwd: here,
    env: { ...process.env, BENCH_SECRET: secret, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /bench server on (\S+)/.exec(text);
      if (match) resolve({ child, url: `${match[1]!.replace('localhost', '127.0.0.1')}/api` });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function rssBytes(api: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** CPU seconds the server process has used (its own /metrics: one process, so single-process runs only). */
async function cpuSeconds(api: string): Promise<number> {
  const text = await (await fetch(`${api}/metrics`)).text();
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? Number.NaN);
}

async function createThreads(api: string, token: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${api}/threads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    ids.push(((await response.json()) as { thread: { id: string } }).thread.id);
  }
  return ids;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function turnsPerSecond(workers: number) {
  const { child, url } = await startServer({ BENCH_LATENCY_MS: '0', BENCH_WORKERS: String(workers) });
  try {
    const token = await auth.issueToken({ id: 'bench' });
    // Four threads per connection. A request takes the thread that has waited longest and gives it
    // back when its response ends, so no thread ever runs two turns at once (a plain round-robin
    // would send a thread its next turn while a slow one is still running there: a 409).
    const free = await createThreads(url, token, connections * 4);
    const body = JSON.stringify({ text: 'I search the room for clues.' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const thread = free.shift() as string;
          (context as { thread?: string }).thread = thread;
          return { ...request, path: `/api/threads/${thread}/turns`, headers, body };
        },
        onResponse: (_status, _body, context) => {
          free.push((context as { thread: string }).thread);
        },
      },
    ];
    // warm up (JIT, SQLite page cache)
    await autocannon({
      url,
      connections,
      amount: connections * 10,
      requests,
    });
    const cpuBefore = workers === 1 ? await cpuSeconds(url) : Number.NaN;
    const results: autocannon.Result[] = [];
    for (let round = 0; round < rounds; round++)
      results.push(await autocannon({ url, connections, duration, requests }));
    const cpuMs = ((await cpuSeconds(url)) - cpuBefore) * 1000;
    const ok = results.reduce((sum, result) => sum + result['2xx'], 0);
    const failed = results.reduce((sum, result) => sum + result.non2xx + result.errors, 0);
    // the round with the median turn rate stands for the run; every round's rate is printed
    const median = [...results].sort((a, b) => a['2xx'] - b['2xx'])[Math.floor(results.length / 2)]!;
    const rate = (result: autocannon.Result) => (result['2xx'] / duration).toFixed(1);
    console.log(
      `\nfull SSE turns (zero-latency demo model, ${connections} connections, ${rounds} × ${duration} s, ${process.env.BENCH_STORAGE ?? 'sqlite'} storage, ${workers} server process${workers === 1 ? '' : 'es'})`,
    );
    console.log(
      `  turns/s          ${rate(median)} median (rounds: ${results.map(rate).join(', ')}; ${ok} turns ok, ${failed} non-2xx or errors)`,
    );
    console.log(`  latency p50      ${median.latency.p50} ms (median round)`);
    console.log(
      `  latency p99      ${median.latency.p99} ms (median round; rounds: ${results.map((r) => r.latency.p99).join(', ')})`,
    );
    if (workers === 1) {
      // steadier than turns/s on a shared machine: what one turn costs the server, GC threads included
      console.log(`  server CPU       ${(cpuMs / ok).toFixed(2)} ms per turn (all threads, all rounds)`);
      console.log(
        `  LangGraph floor  ${langGraphFloor('cpu').cpuMsPerRun?.toFixed(2)} ms CPU per bare one-task run, alone on the machine (servers/langgraph-floor.mjs)`,
      );
    }
    console.log(`  server RSS after ${mb(await rssBytes(url))}`);
    return { turnsPerSecond: median['2xx'] / duration, p99: median.latency.p99 };
  } finally {
    await stop(child);
  }
}

/**
 * The server's RSS once it has idled: opening the streams leaves garbage and a grown young
 * generation behind, which V8 gives back on its own once allocation slows (its memory reducer,
 * typically 20 to 60 s later). Polls every 5 s until the RSS has fallen below `atOpen` and then
 * held within 1% for three polls, or `BENCH_SETTLE_S` (default 120) seconds have passed.
 */
async function settledRss(api: string, atOpen: number): Promise<{ rss: number; seconds: number }> {
  const limitMs = Number(process.env.BENCH_SETTLE_S ?? 120) * 1000;
  const started = Date.now();
  let last = atOpen;
  let steady = 0;
  let fell = false;
  while (Date.now() - started < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    const now = await rssBytes(api);
    if (now < atOpen * 0.97) fell = true;
    steady = Math.abs(now - last) <= last * 0.01 ? steady + 1 : 0;
    last = now;
    if (fell && steady >= 3) break;
  }
  return { rss: last, seconds: (Date.now() - started) / 1000 };
}

/**
 * What a bare one-task LangGraph run costs on this machine (servers/langgraph-floor.mjs with
 * `args`): `kbPerRun`, the heap it holds while its task waits, or with `cpu` `cpuMsPerRun`, the CPU
 * a finished run takes: the framework's share of a turn, and a yardstick for how fast the machine is.
 */
function langGraphFloor(...args: string[]): { kbPerRun?: number; cpuMsPerRun?: number } {
  const script = ['--expose-gc', 'servers/langgraph-floor.mjs', ...args];
  return JSON.parse(execFileSync(process.execPath, script, { cwd: here, encoding: 'utf8' }));
}

async function idleStreamMemory() {
  // a model that waits long before each token keeps every stream open and idle (heartbeats only)
  const { child, url } = await startServer({ BENCH_LATENCY_MS: '600000' });
  const controller = new AbortController();
  try {
    const token = await auth.issueToken({ id: 'idler' });
    const threads = await createThreads(url, token, idleStreams);
    // one dice roll first, so the figure is for a server that has loaded everything a turn can use
    const roll = await fetch(`${url}/threads/${threads[0]}/turns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text: '/roll 1d20' }),
    });
    await roll.text();
    const before = await rssBytes(url);
    const open = await Promise.all(
      threads.map(async (id) => {
        const response = await fetch(`${url}/threads/${id}/turns`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text: 'I wait.' }),
          signal: controller.signal,
        });
        const reader = response.body!.getReader();
        await reader.read();
        return { status: response.status, reader };
      }),
    );
    const ok = open.filter((stream) => stream.status === 200).length;
    const metrics = await (await fetch(`${url}/metrics`)).text();
    const gauge = Number(/^dreamdeck_open_streams (\d+)/m.exec(metrics)?.[1]);
    const after = await rssBytes(url);
    // what holding the streams costs while nothing happens (a poll loop per turn would show here)
    const idleCpuBefore = await cpuSeconds(url);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleCpuMsPerSecond = (((await cpuSeconds(url)) - idleCpuBefore) * 1000) / 3;
    const settled = await settledRss(url, after);
    const floor = langGraphFloor(String(ok)).kbPerRun ?? Number.NaN;
    const perStream = (rss: number) => `${((rss - before) / ok / 1024).toFixed(0)} KB`;
    console.log(`\nidle open streams`);
    console.log(`  streams open     ${ok} (server gauge ${gauge})`);
    console.log(`  server RSS       ${mb(before)} before; with ${ok} streams open:`);
    console.log(`    at open        ${mb(after)} (${perStream(after)} per stream, the burst's garbage included)`);
    console.log(
      `    settled        ${mb(settled.rss)} after ${settled.seconds.toFixed(0)} s idle (the young generation shrinks too)`,
    );
    console.log(`  server CPU       ${idleCpuMsPerSecond.toFixed(0)} ms per second while they wait`);
    console.log(
      `  LangGraph floor  ${floor.toFixed(0)} KB of heap per pending one-task run (servers/langgraph-floor.mjs)`,
    );
    return { streams: ok, rss: after, settled: settled.rss };
  } finally {
    controller.abort();
    await stop(child);
  }
}

const only = process.env.BENCH_ONLY; // `turns` or `idle` runs just that part
const single = only === 'idle' ? undefined : await turnsPerSecond(1);
const cores = availableParallelism();
const multi =
  only !== 'idle' && cores > 1 && process.env.BENCH_STORAGE !== 'memory' ? await turnsPerSecond(cores) : undefined;
const idle = only === 'turns' ? undefined : await idleStreamMemory();
console.log(
  '\nsummary: ' +
    [
      single && `${single.turnsPerSecond.toFixed(0)} turns/s (p99 ${single.p99} ms) on 1 process`,
      multi && `${multi.turnsPerSecond.toFixed(0)} turns/s (p99 ${multi.p99} ms) on ${cores}`,
      idle && `RSS ${mb(idle.rss)} at open and ${mb(idle.settled)} settled with ${idle.streams} idle streams`,
    ]
      .filter(Boolean)
      .join(', '),
);
