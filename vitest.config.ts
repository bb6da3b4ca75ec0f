import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Tests run against the TypeScript sources, so `pnpm test` needs no build first. */
export const alias = [
  { find: /^@dreamdeck\/core\/testing$/, replacement: src('./packages/core/src/testing/index.ts') },
  { find: /^@dreamdeck\/core\/http$/, replacement: src('./packages/core/src/http/index.ts') },
  { find: /^@dreamdeck\/core\/adapter-kit$/, replacement: src('./packages/core/src/adapter-kit/index.ts') },
  { find: /^@dreamdeck\/core$/, replacement: src('./packages/core/src/index.ts') },
  { find: /^@dreamdeck\/adapters\/(.+)$/, replacement: src('./packages/adapters/src/$1/index.ts') },
  { find: /^@dreamdeck\/adapters$/, replacement: src('./packages/adapters/src/index.ts') },
];

/** As in the build (`packages/core/tsup.config.ts`): the dice roller gets the lightweight mathjs instance. */
const lightMathjs = {
  name: 'light-mathjs',
  enforce: 'pre' as const,
  resolveId(id: string, importer?: string) {
    return id === 'mathjs' && importer && /rpg-dice-roller/.test(importer)
      ? src('./packages/core/src/dice/dice-math.ts')
      : undefined;
  },
};

export default defineConfig({
  resolve: { alias },
  plugins: [lightMathjs],
  test: {
    // run the dice roller through Vite so its `mathjs` import reaches the plugin above
    server: { deps: { inline: [/rpg-dice-roller/] } },
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    // tests/packages needs built tarballs: `pnpm test:packages` (vitest.packages.config.ts)
    exclude: ['**/node_modules/**', '**/dist/**', 'tests/packages/**'],
    // builds the widget bundles the browser tests load, when they are stale
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
