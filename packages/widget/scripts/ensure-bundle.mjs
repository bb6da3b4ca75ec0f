// Builds the single-file bundles (dist/dreamdeck-chat.js and friends) unless they are newer than
// everything they are built from, so `pnpm example` and the browser tests need no separate build
// step on a fresh clone and cost ~0.1 s when nothing changed. `--force` always rebuilds.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outputs = [
  'dreamdeck-chat.js',
  'dreamdeck-admin.js',
  'dreamdeck-locale-de.js',
  'dreamdeck-memory.js',
  'dreamdeck-world.js',
].map((file) => join(root, 'dist', file));

/** Newest modification time under `path` (a file or a folder), in ms; 0 when it is missing. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((latest, name) => Math.max(latest, newest(join(path, name))), stat.mtimeMs);
}

/** Oldest output's modification time; 0 when one is missing. */
function oldestOutput() {
  return Math.min(...outputs.map((file) => newest(file)));
}

const inputs = ['src', 'scripts/build-bundle.mjs', 'package.json', 'tsconfig.json'].map((path) => join(root, path));
const stale = process.argv.includes('--force') || oldestOutput() <= Math.max(...inputs.map(newest));
if (stale) {
  const started = Date.now();
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-bundle.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  console.log(`[dreamdeck] built the widget bundles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
