import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    // Generous: these bound a hang, and a 2-core machine shared with other test runs is several times slower
    // than an idle one.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
    allowOnly: !process.env.CI,
    reporters: ['default'],
  },
});
