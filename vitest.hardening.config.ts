import { defineConfig } from 'vitest/config';

// The hardening suite (test/hardening): fuzzing, tampered ciphertexts, injected
// faults and concurrency. Run it with `npm run test:hardening`, which prints the
// summary from the figures each file writes under test-output/hardening/.
export default defineConfig({
  test: {
    include: ['test/hardening/**/*.test.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'debug', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    reporters: ['default', ['json', { outputFile: 'test-output/hardening/vitest-results.json' }]],
  },
});
