import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every JSON report a test produces is validated against schema/report.schema.json.
    setupFiles: ['test/setup/json-reports-match-schema.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
