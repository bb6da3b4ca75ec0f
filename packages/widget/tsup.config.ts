import { defineConfig } from 'tsup';

/** The npm entry: ESM + d.ts, with lit, marked and eventsource-parser left to the user's bundler. */
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  // the wire types come from @dreamdeck/core's sources; inline them so the d.ts needs no core install
  dts: { resolve: ['@dreamdeck/core'] },
  sourcemap: true,
  clean: false,
  target: 'es2022',
  platform: 'browser',
  external: ['lit', 'marked', 'eventsource-parser'],
});
