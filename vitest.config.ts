import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous bounds only to catch hangs: speed is measured by `npm run bench`, not by tests.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
