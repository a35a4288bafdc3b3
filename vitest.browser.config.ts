import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the preview in real Chromium (/usr/bin/chromium), kept out of `npm test`
// so that the unit tests pass on a machine without a browser.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
