/**
 * What vitest.config.ts and vitest.unit.config.ts share. The unit tests
 * mirror the source (test/runtime, test/authoring, …); the other folders of
 * test/ are suites that need a build, moto or a browser.
 */
export const UNIT_TESTS = [
  'test/handlers/**/*.test.ts',
  'test/runtime/**/*.test.ts',
  'test/authoring/**/*.test.ts',
  'test/local-stack/**/*.test.ts',
  'test/operations/**/*.test.ts',
  'test/layout/**/*.test.ts',
  'test/library/**/*.test.ts',
  'test/cli/**/*.test.ts',
];

export const TEST_ENV = {
  LOG_LEVEL: 'error',
  // The handlers' embedded-metric lines would fill the test output; test/runtime checks them with metrics on.
  METRICS: 'off',
  // The AWS SDK warns in every process on Node below 22; Lambda runs nodejs22.x, so here it is noise.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
