import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSqliteStorage } from '@dreamdeck/adapters/sqlite';
import { createDemoModel, createDreamdeck } from '@dreamdeck/core';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('a process killed mid-turn loses nothing the player wrote, and the story goes on', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'dd-kill-')), 'story.db');
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/turn-then-hang.ts', path], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: 'tests/tsconfig.json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const threadId = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /streaming (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));

  const dd = await createDreamdeck({
    storage: createSqliteStorage({ path }),
    model: createDemoModel({ latencyMs: 0 }),
    env: false,
    config: { logging: { level: 'silent' }, features: { imageGeneration: false } },
  });
  const session = await dd.openSession({ userId: 'victim', threadId });
  const before = await session.history();
  expect(before[0]).toMatchObject({
    role: 'user',
    content: 'I light the lantern and step into the crypt',
    status: 'complete',
  });
  expect(before[1]).toMatchObject({ kind: 'narration', status: 'aborted' });
  // The killed process still holds the thread's turn lease until it expires (1 s, see
  // turn-then-hang.ts); until then a turn is refused with CONFLICT and stores nothing.
  let turn = session.send('I try the lantern again');
  for (;;) {
    for await (const _ of turn) {
      // drain
    }
    if ((await turn.result).error?.code !== 'CONFLICT') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
    turn = session.send('I try the lantern again');
  }
  expect((await turn.result).status).toBe('complete');
  const after = await session.history();
  expect(after.map((m) => m.status)).toEqual(['complete', 'aborted', 'complete', 'complete']);
  await dd.close();
});
