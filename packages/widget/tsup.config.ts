import { defineConfig } from 'tsup';

/** The npm entry: ESM + d.ts, with lit, marked and eventsource-parser left to the user's bundler. */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  // the wire types come from @dreamdeck/core's sources; inline them so the d.ts needs no core install
  dts: { resolve: ['@dreamdeck/core'] },
  clean: true, // the script-tag files are built after this step (build-bundle.mjs)
  target: 'es2022',
  platform: 'browser',
  external: ['lit', 'marked', 'eventsource-parser'],
});
