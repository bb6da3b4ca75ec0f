import { fileURLToPath } from 'node:url';
import type { LeaseHolderProcess } from '@dreamdeck/core/testing';
import { spawnTsx } from './spawn-worker.js';

const script = fileURLToPath(new URL('./lease-holder.ts', import.meta.url));

/**
 * Starts `lease-holder.ts` in a separate Node process (`node --import tsx`) on the storage named
 * by `target` (`['sqlite', path, '-']` or `['postgres', url, schema]`); resolves once it holds the
 * lease, with a `kill()` that SIGKILLs it.
 */
export function spawnLeaseHolder(
  target: [kind: 'sqlite' | 'postgres', pathOrUrl: string, schema: string],
  lease: { key: string; holder: string; ttlMs: number },
): Promise<LeaseHolderProcess> {
  const child = spawnTsx(script, [...target, lease.key, lease.holder, String(lease.ttlMs)]);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('held\n')) resolve({ kill });
      else if (stdout.includes('refused\n')) void kill().then(() => reject(new Error('the holder was refused')));
    });
    child.once('error', reject);
    void exited.then(() => reject(new Error(`lease holder exited before holding the lease: ${stderr}`)));
  });
}
