import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Vitest global setup: the browser tests load the widget's single-file bundles, so build them when
 * they are missing or older than their sources (about 5 s; ~0.1 s when nothing changed). This is
 * what lets `pnpm test` pass on a fresh clone with no build step first.
 */
export default function setup(): void {
  const script = fileURLToPath(new URL('../../packages/widget/scripts/ensure-bundle.mjs', import.meta.url));
  const build = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`building the widget bundles failed (exit ${build.status})`);
}
