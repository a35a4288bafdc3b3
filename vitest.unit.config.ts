import { defineConfig } from 'vitest/config';
import { TEST_ENV, UNIT_TESTS } from './test/support/vitest-shared.js';

// `npm run test:unit`: the unit tests alone, with no moto and no prior build
// (the global setup precompiles the templates the runtime embeds).
export default defineConfig({
  test: {
    include: UNIT_TESTS,
    globalSetup: ['test/support/generate-pack.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: TEST_ENV,
  },
});
