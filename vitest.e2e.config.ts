// Browser tests (test/e2e): Debian's Chromium driven by playwright-core against a real server on
// SQLite that each test file starts itself. Run after `npm run build` (the UI must be built).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two files at a time: each starts its own server (free ports, own data folder) and browser, and most of
    // their time is spent waiting on pages.
    maxWorkers: 2,
    pool: 'forks',
  },
});
