/**
 * Runs one invocation of a built handler bundle (dist/<function>.js) in its
 * own Node process, as a fresh Lambda container would: configuration from
 * the environment, AWS endpoint from AWS_ENDPOINT_URL. The process is killed
 * at `limitMs`, so a hang shows up as "not finished" instead of stalling the
 * suite.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { HARDENING_OUTPUT } from './figures.js';

const DIST = join(HARDENING_OUTPUT, '..', '..', 'dist');

/** Every error class the pack throws on purpose, by the name each one spells out (src/runtime/errors.ts). */
export const PACK_ERROR_NAMES: ReadonlySet<string> = new Set([
  'TriggerPackError',
  'ConfigurationError',
  'InvalidEventError',
  'TemplateRenderError',
  'MessageValidationError',
  'DecryptionError',
  'CodeDecryptionError',
  'InvalidRecipientError',
  'DeliveryError',
]);

export interface BundleOutcome {
  /** False when the invocation was still running at the limit and the process was killed. */
  finished: boolean;
  ok: boolean;
  errorName?: string;
  errorMessage?: string;
  /** Time spent in the handler call (the part Lambda's function timeout measures). */
  elapsedMs: number;
  /** The structured log lines the handler wrote. */
  logs: Array<Record<string, unknown>>;
  /** Anything else on stdout or stderr (the SDK's own warnings). */
  otherOutput: string[];
}

const CHILD = `
const { handler } = require(process.env.HARDENING_BUNDLE);
const event = JSON.parse(process.env.HARDENING_EVENT);
const started = performance.now();
const finish = (outcome) => {
  outcome.elapsedMs = performance.now() - started;
  process.stdout.write('\\nHARDENING_OUTCOME ' + JSON.stringify(outcome) + '\\n', () => process.exit(0));
};
handler(event, { awsRequestId: 'fault-injection' }).then(
  () => finish({ ok: true }),
  (error) => finish({ ok: false, errorName: error && error.name, errorMessage: String(error && error.message) }),
);
`;

/** Invokes `bundle` once with `event`; `env` is the whole environment the function sees (plus PATH). */
export function invokeBundle(
  bundle: 'custom-email-sender.js' | 'custom-sms-sender.js',
  event: unknown,
  env: Record<string, string>,
  limitMs: number,
): Promise<BundleOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        HARDENING_BUNDLE: join(DIST, bundle),
        HARDENING_EVENT: JSON.stringify(event),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const logs: Array<Record<string, unknown>> = [];
      const otherOutput: string[] = [];
      let outcome: Omit<BundleOutcome, 'finished' | 'logs' | 'otherOutput'> | undefined;
      for (const line of stdout.split('\n').filter(Boolean)) {
        if (line.startsWith('HARDENING_OUTCOME ')) {
          outcome = JSON.parse(line.slice('HARDENING_OUTCOME '.length)) as typeof outcome;
          continue;
        }
        try {
          logs.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          otherOutput.push(line);
        }
      }
      otherOutput.push(...stderr.split('\n').filter((line) => line.trim() !== ''));
      if (outcome === undefined) {
        if (!killed) otherOutput.push('the process exited without an outcome');
        resolve({ finished: false, ok: false, elapsedMs: limitMs, logs, otherOutput });
      } else {
        resolve({ ...outcome, finished: true, logs, otherOutput });
      }
    });
  });
}
