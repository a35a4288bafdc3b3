/**
 * `npm run test:hardening`: runs the hardening suite (vitest.hardening.config.ts,
 * test/hardening/) and prints one summary of the figures its files write
 * (test/hardening/support/summary.ts). Exits non-zero on any failed test, any
 * violation, or a figure under the CI minimums. Arguments go to vitest (a file
 * filter runs part of the suite; the minimums are then not checked).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HARDENING_OUTPUT } from '../test/hardening/support/figures.js';
import { summarizeHardening } from '../test/hardening/support/summary.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const filters = process.argv.slice(2);
rmSync(HARDENING_OUTPUT, { recursive: true, force: true });
const started = Date.now();
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'vitest.hardening.config.ts', ...filters],
  { cwd: root, stdio: 'inherit' },
);
const { text, ok } = summarizeHardening({
  filters,
  wallSeconds: Math.round((Date.now() - started) / 1000),
  vitestStatus: vitest.status ?? vitest.signal,
});
console.log(text);
process.exitCode = ok ? 0 : 1;
