import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const worker = fileURLToPath(new URL('./storage-worker.ts', import.meta.url));
const tsconfig = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/** Starts a TypeScript file of this folder in a separate Node process (`node --import tsx`), stdout and stderr piped. */
export function spawnTsx(script: string, args: string[]): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, TSX_TSCONFIG_PATH: tsconfig },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the storage worker in a separate Node process (`node --import tsx`); resolves its JSON summary. */
export function spawnWorker(args: string[]): Promise<{ allowed: number }> {
  return new Promise((resolve, reject) => {
    const child = spawnTsx(worker, args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(JSON.parse(stdout) as { allowed: number });
      else reject(new Error(`worker exited with ${code}: ${stderr}`));
    });
  });
}
