/**
 * Replays the sender invocations that failed for good. Lambda's on-failure
 * destination (serverless.yml, SenderFailureQueue) holds one record per failed
 * event: `requestContext.functionArn` and the original Cognito event in
 * `requestPayload`, its code still encrypted. Each record's event is invoked
 * again asynchronously on its function (only this stack's two senders, read
 * from the stack's outputs); the record is deleted only once Lambda
 * has accepted that invocation. A replay that fails again comes back to the
 * queue through the same destination, so nothing is lost either way.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { parseSenderEvent } from '../runtime/event/cognito-event.js';
import { kindOfTriggerSource } from '../runtime/event/message-kind.js';
import { printable } from './printable.js';

/** What one on-failure record asks to replay. */
export interface FailureRecord {
  functionArn: string;
  /** The Cognito event, passed on unchanged. */
  payload: unknown;
}

/** The one stack whose records are replayed, read from its outputs. */
export interface ReplayTarget {
  queueUrl: string;
  /** Unqualified function ARNs of the stack's two senders. */
  emailSenderArn: string;
  smsSenderArn: string;
  userPoolId: string;
}

export interface ReplayOptions {
  sqs: Pick<SQSClient, 'send'>;
  lambda: Pick<LambdaClient, 'send'>;
  target: ReplayTarget;
  /** Stop after this many records (default: until the queue is empty). */
  max?: number;
  /** Print what would be replayed; invoke and delete nothing. */
  dryRun?: boolean;
  log?: (line: string) => void;
}

export interface ReplaySummary {
  replayed: number;
  /** Records left in the queue: not a sender event of this stack, or Lambda refused the invocation. */
  kept: number;
}

const OUTPUTS = ['FailureQueueUrl', 'EmailSenderFunctionArn', 'SmsSenderFunctionArn', 'UserPoolId'] as const;

/** Reads the queue, the two sender ARNs and the pool id from the stack's outputs (serverless.yml, Outputs). */
export async function readReplayTarget(
  cloudFormation: Pick<CloudFormationClient, 'send'>,
  stackName: string,
): Promise<ReplayTarget> {
  const { Stacks: stacks = [] } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map((stacks[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]));
  const missing = OUTPUTS.filter((key) => !outputs.get(key));
  if (missing.length > 0) {
    throw new Error(
      `stack ${stackName} has no ${missing.join(', ')} output; deploy it in sender mode with this version of serverless.yml`,
    );
  }
  const value = (key: (typeof OUTPUTS)[number]) => outputs.get(key) as string;
  return {
    queueUrl: value('FailureQueueUrl'),
    emailSenderArn: value('EmailSenderFunctionArn'),
    smsSenderArn: value('SmsSenderFunctionArn'),
    userPoolId: value('UserPoolId'),
  };
}

/**
 * Reads one on-failure record. The queue is a place others might write to,
 * and a replay runs with the operator's rights, so a record is replayed only
 * when it names one of this stack's two senders exactly and carries a
 * well-formed sender event of that sender's family, for this stack's pool.
 */
export function parseFailureRecord(body: string, target: ReplayTarget): FailureRecord {
  let record: unknown;
  try {
    record = JSON.parse(body);
  } catch {
    throw new Error('the message body is not JSON');
  }
  const functionArn = (record as { requestContext?: { functionArn?: unknown } } | null)?.requestContext?.functionArn;
  const payload = (record as { requestPayload?: unknown } | null)?.requestPayload;
  if (typeof functionArn !== 'string') throw new Error('the record has no requestContext.functionArn');
  const unqualified = functionArn.replace(/:\$LATEST$/, '');
  const family =
    unqualified === target.emailSenderArn
      ? ({ name: 'CustomEmailSender', type: 'customEmailSenderRequestV1' } as const)
      : unqualified === target.smsSenderArn
        ? ({ name: 'CustomSMSSender', type: 'customSMSSenderRequestV1' } as const)
        : undefined;
  if (!family) throw new Error(`${functionArn} is not one of this stack's two sender functions`);
  let event: ReturnType<typeof parseSenderEvent>;
  try {
    event = parseSenderEvent(payload, family.type);
  } catch (error) {
    throw new Error(`requestPayload is not a Cognito custom sender event: ${(error as Error).message}`);
  }
  if (!kindOfTriggerSource(family.name, event.triggerSource)) {
    throw new Error(`requestPayload is not a ${family.name} event (${event.triggerSource})`);
  }
  if (event.userPoolId !== target.userPoolId) {
    throw new Error(`requestPayload is for pool ${event.userPoolId}, not this stack's ${target.userPoolId}`);
  }
  return { functionArn: unqualified, payload };
}

/** Drains the queue once: replays every valid record, keeps the rest for a person to look at. */
export async function replayFailures(options: ReplayOptions): Promise<ReplaySummary> {
  const { sqs, lambda, target, max = Number.POSITIVE_INFINITY, dryRun = false } = options;
  const { queueUrl } = target;
  // Record text reaches the terminal: escape sequences there could forge lines or the summary.
  const log = (line: string) => (options.log ?? console.log)(printable(line));
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
        record = parseFailureRecord(message.Body ?? '', target);
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
