// `npm run test:resilience`: the suites that run several desk processes, kill them and restart
// Redis or the store under load. Slower than the rest (a few minutes), so not part of `npm test`;
// .ci/run runs them after the main pass.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/resilience/**/*.test.ts'],
    globalSetup: ['test/support/redis-global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One at a time: each suite starts processes of its own, and they share two cores.
    fileParallelism: false,
  },
});
