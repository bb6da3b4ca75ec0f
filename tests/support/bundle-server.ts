import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));
const source = (path: string) => join(root, path);

/** The workspace packages, from their TypeScript sources (as vitest.config.ts maps them). */
const WORKSPACE: Array<[RegExp, (match: RegExpExecArray) => string]> = [
  [/^@dreamdeck\/core$/, () => source('packages/core/src/index.ts')],
  [/^@dreamdeck\/core\/(http|testing|adapter-kit)$/, (m) => source(`packages/core/src/${m[1]}/index.ts`)],
  [/^@dreamdeck\/adapters$/, () => source('packages/adapters/src/index.ts')],
  [/^@dreamdeck\/adapters\/(.+)$/, (m) => source(`packages/adapters/src/${m[1]}/index.ts`)],
];

/**
 * The dice stack is bundled with mathjs pointed at core's lightweight instance, as core's own build
 * does (packages/core/tsup.config.ts); every other package stays an import of the very file Node
 * would load, so nothing is duplicated.
 */
const BUNDLED =
  /^(@dice-roller\/|mathjs|random-js|typed-function|complex\.js|fraction\.js|decimal\.js|seedrandom|javascript-natural-sort|escape-latex|tiny-emitter|@babel\/runtime)/;
const SKIP = Symbol('resolving');

const workspaceSources: Plugin = {
  name: 'workspace-sources',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^mathjs$/ }, (args) =>
      /rpg-dice-roller/.test(args.importer) ? { path: source('packages/core/src/dice/dice-math.ts') } : undefined,
    );
    esbuild.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === SKIP || args.path.startsWith('node:')) return undefined;
      for (const [pattern, to] of WORKSPACE) {
        const match = pattern.exec(args.path);
        if (match) return { path: to(match) };
      }
      if (BUNDLED.test(args.path)) return undefined;
      const resolved = await esbuild.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: SKIP,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.external ? args.path : resolved.path, external: true };
    });
  },
};

/**
 * Bundles a TypeScript server script with the workspace sources it imports into one ES module,
 * so a child process starts in well under a second instead of the two to three that `tsx` takes
 * to load a few hundred source files through its loader hooks: the chaos tests start a server 20
 * times and more. The bundle is written under `packages/adapters/node_modules/.cache/`, so the
 * adapters' optional drivers (`better-sqlite3`, `pg`, the LangGraph savers) resolve from it as
 * they do from the adapters' sources.
 *
 * @param entry - The script, relative to the repository root (`tests/support/chaos-server.ts`).
 * @returns The absolute path of the bundle, to run with `node`.
 */
export async function bundleServer(entry: string): Promise<string> {
  const outfile = source(`packages/adapters/node_modules/.cache/dreamdeck-tests/${entry.replace(/[/\\]/g, '_')}.mjs`);
  mkdirSync(dirname(outfile), { recursive: true });
  await build({
    entryPoints: [source(entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'error',
    plugins: [workspaceSources],
  });
  return outfile;
}
