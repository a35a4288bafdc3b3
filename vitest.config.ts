import { defineConfig } from 'vitest/config';
import { TEST_ENV } from './test/support/vitest-shared.js';

// `npm test`: every unit test and the bundle, deployment, integration and
// end-to-end suites, after `npm run build`. The hardening and browser suites
// have configurations of their own.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**', 'test/hardening/**', 'node_modules/**'],
    testTimeout: 30_000,
    env: TEST_ENV,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'handlers/**/*.ts'],
      // vitest's default exclude also drops source files named like tests (src/operations/send-test.ts).
      exclude: ['test/**', 'node_modules/**'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 90, functions: 90, branches: 85, statements: 90 },
    },
  },
});
