// Rewrites custom-elements.json (written by `cem analyze` from src/*.ts) so that it names the files
// the npm package ships: every declaration lives in dist/index.js (tsup bundles src/ into it), and
// the single-file bundles dist/dreamdeck-chat.js and dist/dreamdeck-admin.js list the elements they
// define, found by following their imports through src/.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const manifestPath = `${root}custom-elements.json`;
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const INDEX = 'dist/index.js';
const BUNDLES = {
  'src/dreamdeck-chat-bundle.ts': 'dist/dreamdeck-chat.js',
  'src/dreamdeck-admin-bundle.ts': 'dist/dreamdeck-admin.js',
};

/** Every `module` reference into src/ now points at dist/index.js. */
function pointAtIndex(value) {
  if (Array.isArray(value)) return value.map(pointAtIndex);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === 'module' && typeof inner === 'string' && /^(src\/|\.\/)/.test(inner) ? INDEX : pointAtIndex(inner),
    ]),
  );
}

/**
 * The src modules `entry` reaches through its static relative imports, itself included. Dynamic
 * and type-only imports are left out: the bundle fetches those files on demand (the Memory panel, locales), so
 * loading the bundle alone does not define what they hold.
 */
function reachable(entry, seen = new Set()) {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  // type-only imports and re-exports are erased by the build: they load nothing
  const source = readFileSync(`${root}${entry}`, 'utf8').replace(/(?:import|export)\s+type\s[^;]*;/g, '');
  for (const [, path] of source.matchAll(/(?:from\s*|import\s+)'\.\/([\w-]+)\.js'/g)) reachable(`src/${path}.ts`, seen);
  return seen;
}

const sources = manifest.modules.filter((module) => !(module.path in BUNDLES));
const definitions = (paths) =>
  sources
    .filter((module) => paths.has(module.path))
    .flatMap((module) => module.exports ?? [])
    .filter((entry) => entry.kind === 'custom-element-definition')
    .map(pointAtIndex);
const everything = new Set(sources.map((module) => module.path));
const indexExports = sources.find((module) => module.path === 'src/index.ts')?.exports ?? [];

manifest.modules = [
  {
    kind: 'javascript-module',
    path: INDEX,
    declarations: sources.flatMap((module) => module.declarations ?? []).map(pointAtIndex),
    exports: [...indexExports.map(pointAtIndex), ...definitions(everything)],
  },
  ...Object.entries(BUNDLES).map(([entry, path]) => {
    const own = manifest.modules.find((module) => module.path === entry);
    return {
      kind: 'javascript-module',
      path,
      declarations: [],
      exports: [...(own?.exports ?? []).map(pointAtIndex), ...definitions(reachable(entry))],
    };
  }),
];
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
