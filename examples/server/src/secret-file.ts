import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Reads the token-signing secret kept at `path`, creating it (32 random bytes, base64url, file mode
 * 0600 in a 0700 folder) on first use, so guest tokens and the stories they open survive a restart
 * of `pnpm example`. Two servers starting at once agree: the file is created exclusively and the
 * loser reads the winner's secret.
 */
export function readOrCreateSecret(path: string): string {
  const existing = readSecret(path);
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  }
  const created = readSecret(path);
  if (!created) throw new Error(`[dreamdeck] could not read the secret just written to ${path}`);
  return created;
}

function readSecret(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}
