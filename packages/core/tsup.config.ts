import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';

const diceMath = fileURLToPath(new URL('./src/dice/dice-math.ts', import.meta.url));

/**
 * The dice roller imports `evaluate` from mathjs's entry point, which builds all of mathjs at
 * import time; point that one import at the lightweight instance in `src/dice/dice-math.ts`.
 * The dice roller and mathjs are bundled (below) so the redirect holds for everyone who installs
 * @dreamdeck/core, and esbuild drops the parts of mathjs that instance does not use.
 */
export const lightMathjs: Plugin = {
  name: 'light-mathjs',
  setup(build) {
    build.onResolve({ filter: /^mathjs$/ }, (args) =>
      /rpg-dice-roller/.test(args.importer) ? { path: diceMath } : undefined,
    );
  },
};

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'http/index': 'src/http/index.ts',
    'adapter-kit/index': 'src/adapter-kit/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'node20',
  external: ['vitest'],
  // the dice stack, bundled so the lightweight mathjs instance is what runs (see lightMathjs), and
  // p-limit, which is ESM-only
  noExternal: [
    'p-limit',
    'yocto-queue',
    /^@dice-roller\//,
    /^mathjs/,
    'random-js',
    'typed-function',
    'complex.js',
    'fraction.js',
    'decimal.js',
    'seedrandom',
    'javascript-natural-sort',
    'escape-latex',
    'tiny-emitter',
    /^@babel\/runtime/,
  ],
  esbuildPlugins: [lightMathjs],
});
