/**
 * `npm run stack [-- --mode message|sender] [--keep]`: builds, then runs the
 * local stack (src/local-stack/start-stack.ts) until Ctrl-C or SIGTERM, and
 * prints one line per trigger invocation. Point any Cognito SDK or CLI at
 * the printed cognito-local endpoint.
 */
import { parseArgs } from 'node:util';
import { invocationLine } from '../src/local-stack/lambda-invoke-server.js';
import { type StackMode, startStack } from '../src/local-stack/start-stack.js';
import { printable } from '../src/operations/printable.js';

function parseMode(value: string | undefined): StackMode {
  if (value === undefined || value === 'message' || value === 'sender') return value ?? 'message';
  throw new Error(`--mode must be message or sender, not "${value}"`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mode: { type: 'string' }, keep: { type: 'boolean', default: false } },
  });
  const mode = parseMode(values.mode);
  const started = performance.now();
  const stack = await startStack({
    mode,
    keepWorkDir: values.keep,
    onInvocation: (record) => console.log(invocationLine(record)),
  });
  const pool = await stack.createPool('local');
  console.log(`Local stack (${mode} mode) ready in ${Math.round(performance.now() - started)} ms:
  cognito-local      ${stack.endpoints.cognito}   (user pool ${pool.poolId}, app client ${pool.clientId})
  Lambda Invoke API  ${stack.endpoints.lambda}   (${stack.endpoints.lambda}/local/invocations)
  moto (KMS/SES/SNS) ${stack.endpoints.moto}   (sent mail and SMS: ${stack.endpoints.moto}/moto-api/data.json)
  KMS key            ${stack.kmsKeyArn}
  messages           ${mode === 'message' ? `${stack.workDir}/outbox.jsonl (cognito-local delivers them)` : 'moto SES (the sender delivers them)'}
  logs               ${stack.workDir}/*.log
Region ${stack.region}, any access key. Ctrl-C stops everything.`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the stack…`);
    stack
      .stop()
      .then(() => {
        console.log(values.keep ? `stopped; files kept in ${stack.workDir}` : 'stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(printable(error instanceof Error ? error.message : String(error)));
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(printable(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
