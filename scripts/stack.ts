/**
 * `npm run stack [-- --mode message|sender] [--keep]`: builds, then runs the
 * local stack (src/local-stack/run-stack.ts) until Ctrl-C or SIGTERM. Point
 * any Cognito SDK or CLI at the printed cognito-local endpoint.
 */
import { parseArgs } from 'node:util';
import { parseMode, runStack } from '../src/local-stack/run-stack.js';
import { printable } from '../src/operations/printable.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { mode: { type: 'string' }, keep: { type: 'boolean', default: false } } });
  return runStack({ mode: parseMode(values.mode), keepWorkDir: values.keep, out: (line) => console.log(line) });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(printable(error instanceof Error ? error.message : String(error)));
    process.exit(1);
  },
);
