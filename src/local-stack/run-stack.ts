/**
 * The local stack in the foreground, for `npm run stack` and the command
 * line's `stack`: start it, print the endpoints and one line per trigger
 * invocation, stop everything on Ctrl-C or SIGTERM.
 */
import { printable } from '../operations/printable.js';
import { invocationLine } from './lambda-invoke-server.js';
import { type StackMode, startStack } from './start-stack.js';

export interface RunStackOptions {
  mode: StackMode;
  keepWorkDir: boolean;
  /** The built bundles (default: this repository's dist/). */
  distDir?: string;
  out: (line: string) => void;
}

export function parseMode(value: string | undefined, flag = '--mode'): StackMode {
  if (value === undefined || value === 'message' || value === 'sender') return value ?? 'message';
  throw new StackUsageError(`${flag} must be message or sender, not "${value}"`);
}

/** A wrong option of the stack or the demo. */
export class StackUsageError extends Error {
  override name = 'StackUsageError';
}

/** Runs until a signal stops it; resolves with the exit code once everything is stopped. */
export async function runStack(options: RunStackOptions): Promise<number> {
  const { mode, out } = options;
  const started = performance.now();
  const stack = await startStack({
    mode,
    keepWorkDir: options.keepWorkDir,
    distDir: options.distDir,
    onInvocation: (record) => out(invocationLine(record)),
  });
  const pool = await stack.createPool('local');
  out(`Local stack (${mode} mode) ready in ${Math.round(performance.now() - started)} ms:
  cognito-local      ${stack.endpoints.cognito}   (user pool ${pool.poolId}, app client ${pool.clientId})
  Lambda Invoke API  ${stack.endpoints.lambda}   (${stack.endpoints.lambda}/local/invocations)
  moto (KMS/SES/SNS) ${stack.endpoints.moto}   (sent mail and SMS: ${stack.endpoints.moto}/moto-api/data.json)
  KMS key            ${stack.kmsKeyArn}
  messages           ${mode === 'message' ? `${stack.workDir}/outbox.jsonl (cognito-local delivers them)` : 'moto SES (the sender delivers them)'}
  logs               ${stack.workDir}/*.log
Region ${stack.region}, any access key. Ctrl-C stops everything.`);

  const signal = await new Promise<string>((done) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.once(name, () => done(name));
  });
  out(`\n${signal}: stopping the stack…`);
  try {
    await stack.stop();
  } catch (error) {
    out(printable(error instanceof Error ? error.message : String(error)));
    return 1;
  }
  out(options.keepWorkDir ? `stopped; files kept in ${stack.workDir}` : 'stopped');
  return 0;
}
