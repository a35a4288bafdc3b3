/**
 * `npm run replay-failures -- --queue-url <FailureQueueUrl> [--dry-run] [--max N]`
 *
 * Replays the sender invocations that failed for good. Lambda's on-failure
 * destination (serverless.yml, SenderFailureQueue) holds one record per failed
 * event: `requestContext.functionArn` and the original Cognito event in
 * `requestPayload`, its code still encrypted. Each record's event is invoked
 * again asynchronously on its function; the record is deleted only once Lambda
 * has accepted that invocation. A replay that fails again comes back to the
 * queue through the same destination, so nothing is lost either way.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

/** What one on-failure record asks to replay. */
export interface FailureRecord {
  functionArn: string;
  /** The Cognito event, passed on unchanged. */
  payload: unknown;
}

export interface ReplayOptions {
  sqs: Pick<SQSClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  queueUrl: string;
  /** Stop after this many records (default: until the queue is empty). */
  max?: number;
  /** Print what would be replayed; invoke and delete nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface ReplaySummary {
  replayed: number;
  /** Records left in the queue: not a sender record of this account, or Lambda refused the invocation. */
  kept: number;
}

const SENDER_FUNCTION =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([\w-]+-custom-(?:email|sms)-sender)(?::\$LATEST)?$/;
const QUEUE_URL = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/[\w-]+$/;
const SENDER_TRIGGER = /^Custom(?:Email|SMS)Sender_/;

/**
 * Reads one on-failure record. Only a sender event for a sender function of
 * the queue's own account and region is replayed: the queue is a place others
 * could write to, and a replay runs with the operator's rights.
 */
export function parseFailureRecord(body: string, queueUrl: string): FailureRecord {
  const queue = QUEUE_URL.exec(queueUrl);
  if (!queue) throw new Error(`--queue-url "${queueUrl}" is not an SQS queue URL`);
  let record: unknown;
  try {
    record = JSON.parse(body);
  } catch {
    throw new Error('the message body is not JSON');
  }
  const functionArn = (record as { requestContext?: { functionArn?: unknown } })?.requestContext?.functionArn;
  const payload = (record as { requestPayload?: unknown })?.requestPayload;
  if (typeof functionArn !== 'string') throw new Error('the record has no requestContext.functionArn');
  const target = SENDER_FUNCTION.exec(functionArn);
  if (!target || target[1] !== queue[1] || target[2] !== queue[2]) {
    throw new Error(`${functionArn} is not a sender function of this queue's account and region`);
  }
  const trigger = (payload as { triggerSource?: unknown } | null)?.triggerSource;
  if (typeof trigger !== 'string' || !SENDER_TRIGGER.test(trigger)) {
    throw new Error('requestPayload is not a Cognito custom sender event');
  }
  return { functionArn, payload };
}

/** Drains the queue once: replays every valid record, keeps the rest for a person to look at. */
export async function replayFailures(options: ReplayOptions): Promise<ReplaySummary> {
  const { sqs, lambda, queueUrl, max = Number.POSITIVE_INFINITY, dryRun = false, log = console.log } = options;
  const summary: ReplaySummary = { replayed: 0, kept: 0 };
  while (summary.replayed + summary.kept < max) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - summary.replayed - summary.kept),
        // Long enough to invoke and delete; a record not deleted reappears after it.
        VisibilityTimeout: 60,
        WaitTimeSeconds: 1,
      }),
    );
    if (messages.length === 0) break;
    for (const message of messages) {
      const id = message.MessageId ?? '(no id)';
      let record: FailureRecord;
      try {
        record = parseFailureRecord(message.Body ?? '', queueUrl);
      } catch (error) {
        summary.kept += 1;
        log(`kept ${id}: ${(error as Error).message}`);
        continue;
      }
      if (dryRun) {
        summary.kept += 1;
        log(`would replay ${id} on ${record.functionArn}`);
        continue;
      }
      const result = await lambda.send(
        new InvokeCommand({
          FunctionName: record.functionArn,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(record.payload)),
        }),
      );
      if (result.StatusCode !== 202) {
        summary.kept += 1;
        log(`kept ${id}: Lambda answered ${result.StatusCode} to the replay`);
        continue;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      summary.replayed += 1;
      log(`replayed ${id} on ${record.functionArn}`);
    }
    // In a dry run nothing is deleted: one pass over what is visible is enough.
    if (dryRun) break;
  }
  return summary;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'queue-url': { type: 'string' },
      region: { type: 'string' },
      max: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  });
  const queueUrl = values['queue-url'];
  if (!queueUrl) {
    throw new Error('Give --queue-url: the stack output FailureQueueUrl (`serverless info --verbose`)');
  }
  const region = values.region ?? QUEUE_URL.exec(queueUrl)?.[1];
  const max = values.max === undefined ? undefined : Number.parseInt(values.max, 10);
  const summary = await replayFailures({
    sqs: new SQSClient({ region }),
    lambda: new LambdaClient({ region }),
    queueUrl,
    max,
    dryRun: values['dry-run'],
  });
  console.log(`${summary.replayed} replayed, ${summary.kept} kept in the queue`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exitCode = 1;
  });
}
