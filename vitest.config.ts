import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores on CI: integration tests each start their own simulator on loopback.
    maxWorkers: 2,
    pool: 'forks',
  },
});
