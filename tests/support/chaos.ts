import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createTokenAuth } from '@dreamdeck/core/http';
// the demo model's mulberry32: the same seed gives the same kill moments (DREAMDECK_CHAOS_SEED replays a run)
import { seededRandom } from '../../packages/core/src/models/seeded-random.js';
import { bundleServer } from './bundle-server.js';

export { seededRandom };

/** The token secret the chaos servers and the tests share. */
export const CHAOS_SECRET = 'chaos-tests-secret-0123456789abcdefghijklmnop';

/** A bearer token for `userId`, signed as the chaos servers expect. */
export function chaosToken(userId: string): Promise<string> {
  return createTokenAuth({ secret: CHAOS_SECRET }).issueToken({ id: userId });
}

/** The seed of this run: `DREAMDECK_CHAOS_SEED`, else `fallback`. */
export function chaosSeed(fallback: number): number {
  const given = process.env.DREAMDECK_CHAOS_SEED;
  return given ? Number(given) : fallback;
}

/** One running chaos server (`tests/support/chaos-server.ts`). */
export interface ChaosServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** Everything the process wrote to stderr (its logs when `CHAOS_LOG_LEVEL` is set). */
  readonly stderr: () => string;
}

/**
 * Starts chaos servers on one storage, one at a time. A spare process is kept loaded and waiting
 * (modules imported, storage not yet opened), so a restart after a kill costs the storage's open
 * and the listen, not Node's module loading: the spare opens the storage only when it is started,
 * after the previous server is dead, as a restarted server would.
 */
export class ChaosServers {
  private spare: ChildProcess | undefined;
  private readonly all = new Set<ChildProcess>();

  private constructor(
    private readonly bundle: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Bundles the server once and prepares the first process. `env`: the `CHAOS_*` variables. */
  static async create(env: Record<string, string>): Promise<ChaosServers> {
    const servers = new ChaosServers(await bundleServer('tests/support/chaos-server.ts'), env);
    servers.spare = servers.spawn();
    return servers;
  }

  private spawn(): ChildProcess {
    const child = spawn(process.execPath, [this.bundle], {
      env: { ...process.env, ...this.env, CHAOS_SECRET, CHAOS_WAIT_FOR_START: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.all.add(child);
    child.once('exit', () => this.all.delete(child));
    return child;
  }

  /** Starts a server (the waiting spare) and loads the next spare. Resolves once it listens. */
  async start(): Promise<ChaosServer> {
    const child = this.spare ?? this.spawn();
    this.spare = undefined;
    let stderr = '';
    let stdout = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    const url = new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then(() => reject(new Error(`the chaos server exited before listening:\n${stderr}`)));
    });
    child.stdin?.write('start\n');
    const server = { url: await url, child, exited, stderr: () => stderr };
    this.spare = this.spawn();
    return server;
  }

  /** Kills every process still running (the spare too) and waits for them to exit. */
  async close(): Promise<void> {
    const children = [...this.all];
    for (const child of children) child.kill('SIGKILL');
    await Promise.all(children.map((child) => (child.exitCode === null ? once(child, 'exit') : undefined)));
  }
}

/** `kill -9`, resolved once the process is gone. */
export async function killHard(server: ChaosServer): Promise<void> {
  server.child.kill('SIGKILL');
  await server.exited;
}

/** One event of a turn's stream. */
export interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
}

/** How one `POST /threads/:id/turns` went. */
export interface TurnOutcome {
  /** The HTTP status, or 0 when the connection failed before an answer. */
  status: number;
  /** The events received, in order (a JSON answer has none). */
  events: StreamEvent[];
  /** The JSON error of a non-stream answer. */
  error?: { code: string; message: string };
  /** The stream ended without `turn-end` (the server went away). */
  cut: boolean;
}

/**
 * Posts a player's text to a thread and reads the event stream to its end (or until the
 * connection dies), calling `onEvent` for each event as it arrives.
 */
export async function postTurn(
  url: string,
  token: string,
  threadId: string,
  text: string,
  onEvent: (event: StreamEvent) => void = () => {},
): Promise<TurnOutcome> {
  let response: Response;
  try {
    response = await fetch(`${url}/api/threads/${threadId}/turns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  } catch {
    return { status: 0, events: [], cut: true };
  }
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
    const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    return { status: response.status, events: [], cut: false, ...(body.error && { error: body.error }) };
  }
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (!type || data === undefined) continue;
        const event = { type, data: JSON.parse(data) as Record<string, unknown> };
        events.push(event);
        onEvent(event);
      }
    }
  } catch {
    // the connection died mid-stream
  }
  return { status: response.status, events, cut: events.at(-1)?.type !== 'turn-end' };
}

/** A thread as `GET /threads/:id` answers it. */
export interface ThreadView {
  status: number;
  messages: Array<{ id: string; role: string; kind: string; content: string; status: string }>;
}

/** Reads a thread's story over HTTP. */
export async function readThread(url: string, token: string, threadId: string): Promise<ThreadView> {
  const response = await fetch(`${url}/api/threads/${threadId}?limit=200`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!response.ok) return { status: response.status, messages: [] };
  const body = (await response.json()) as { messages: ThreadView['messages'] };
  return { status: response.status, messages: body.messages };
}

/** Creates a thread over HTTP and returns its id. */
export async function createThread(url: string, token: string, title: string): Promise<string> {
  const response = await fetch(`${url}/api/threads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (response.status !== 201) throw new Error(`POST /threads answered ${response.status}`);
  return ((await response.json()) as { thread: { id: string } }).thread.id;
}

/** A promise that resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
