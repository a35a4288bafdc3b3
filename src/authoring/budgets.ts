/**
 * The performance budgets, in one place: `build` warns when a bundle passes
 * its size budget, the bundle and deployment tests fail past them for the
 * example set, and `npm run bench` (and its `--scale` run) reports every
 * figure against them. Sizes are bytes (KB and MB are 1,000 and 1,000,000).
 */
import type { FunctionName } from './functions.js';

export interface SizeBudget {
  /** The bundle file Lambda loads whole at every cold start; the build warns past it, whatever the template set. */
  raw: number;
  /** The deployed .zip (the bundle and the pack's files beside it) with the example set, 7 locales × 2 brands. */
  zip: number;
}

/**
 * CustomMessage runs inside Cognito's 5-second limit, so its bundle is kept
 * small; the senders carry the AWS SDK and the Encryption SDK's decryption.
 */
export const SIZE_BUDGETS: Readonly<Record<FunctionName, SizeBudget>> = {
  'custom-message': { raw: 100_000, zip: 60 * 1024 },
  'custom-email-sender': { raw: 600_000, zip: 250 * 1024 },
  'custom-sms-sender': { raw: 600_000, zip: 250 * 1024 },
};

/** What any function may ship zipped with a set of up to 50 locales × 100 brands; the build warns past it. */
export const MAX_ZIP_BYTES = 5_000_000;

/** CustomMessage's cold start with the shipped set: over `node -e 0`, and against the AWS-sample-style baseline. */
export const CUSTOM_MESSAGE_COLD = { maxOverNodeMs: 15, minSpeedupOverBaseline: 5 } as const;

/**
 * How much a larger template set may slow a cold start, against the shipped
 * set's (7 locales × 2 brands) in the same run, for every function.
 */
export const SCALE_COLD_RATIO: ReadonlyArray<{ locales: number; brands: number; max: number }> = [
  { locales: 50, brands: 30, max: 1.1 },
  { locales: 50, brands: 100, max: 1.2 },
];
