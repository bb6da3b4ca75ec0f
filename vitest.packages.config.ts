import { defineConfig } from 'vitest/config';

/** `pnpm test:packages`: the npm-package checks (tests/packages), against the built tarballs. */
export default defineConfig({
  test: {
    include: ['tests/packages/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
  },
});
