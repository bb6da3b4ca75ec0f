import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const running: ChildProcess[] = [];

/** Starts `pnpm example`'s entry (examples/server/src/main.ts) as `pnpm example` would from `cwd`. */
async function startExample(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    INIT_CWD: cwd,
    PORT: '0',
    HOST: '127.0.0.1',
    DREAMDECK_LOGGING__LEVEL: 'silent',
  };
  delete env.DREAMDECK_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/server/src/main.ts'], {
    cwd: root,
    env: { ...env, TSX_TSCONFIG_PATH: 'examples/server/tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the example exited early with ${code}`)));
  });
  return { child, url };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

afterEach(() => {
  for (const child of running.splice(0)) child.kill('SIGKILL');
});

it('a story survives a restart of `pnpm example`: the signing secret is kept in ./.dreamdeck/secret (0600)', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'dd-example-'));
  const first = await startExample(cwd);
  const { token } = (await (await fetch(`${first.url}/api/auth/guest`, { method: 'POST' })).json()) as {
    token: string;
  };
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${first.url}/api/threads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ title: 'The lantern crypt' }),
  });
  expect(created.status).toBe(201);
  const { thread } = (await created.json()) as { thread: { id: string } };
  await stop(first.child);

  expect(statSync(join(cwd, '.dreamdeck/secret')).mode & 0o777).toBe(0o600);
  const second = await startExample(cwd);
  const me = await fetch(`${second.url}/api/me`, { headers });
  expect(me.status).toBe(200);
  const listed = (await (await fetch(`${second.url}/api/threads`, { headers })).json()) as {
    threads: Array<{ id: string; title: string }>;
  };
  expect(listed.threads).toEqual([expect.objectContaining({ id: thread.id, title: 'The lantern crypt' })]);
  await stop(second.child);
}, 120_000); // two cold starts of the example through tsx: ~3 s each here, 12 s on a loaded machine
