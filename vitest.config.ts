import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds dist/ when src/ changed since the last build (tests spawn bin/ds-ars.js).
    globalSetup: ['test/support/fresh-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration tests each start their own simulator on loopback.
    maxWorkers: 2,
    pool: 'forks',
  },
});
