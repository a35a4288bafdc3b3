/**
 * `npm run replay-failures -- --stack <stack name> [--region R] [--dry-run] [--max N]`:
 * replays the sender invocations that failed for good, from the failure queue
 * of a deployed stack (src/operations/replay-failures.ts says how).
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { printable } from '../src/operations/printable.js';
import { readReplayTarget, replayFailures } from '../src/operations/replay-failures.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      region: { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const stack = values.stack;
  if (!stack) {
    throw new Error(
      'Give --stack: the deployed stack, e.g. cognito-trigger-pack-prod (and --region if not the default)',
    );
  }
  const region = values.region;
  const target = await readReplayTarget(new CloudFormationClient({ region }), stack);
  const max = values.max === undefined ? undefined : Number.parseInt(values.max, 10);
  const summary = await replayFailures({
    sqs: new SQSClient({ region }),
    lambda: new LambdaClient({ region }),
    target,
    max,
    dryRun: values['dry-run'],
  });
  console.log(`${summary.replayed} replayed, ${summary.kept} kept in the queue`);
}

main().catch((error: unknown) => {
  console.error(printable((error as Error).message));
  process.exitCode = 1;
});
