/**
 * Runs `replayFailures` once against mocked SQS and Lambda clients: the queue
 * holds `bodies` (message ids m0, m1, …) and Lambda answers every invocation
 * with `status`. Returns what was invoked, deleted and printed.
 */
import { InvokeCommand, type InvokeCommandInput, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  type DeleteMessageCommandInput,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { type ReplaySummary, type ReplayTarget, replayFailures } from '../../src/operations/replay-failures.js';

export interface ReplayRun {
  summary: ReplaySummary;
  invokes: InvokeCommandInput[];
  deletes: DeleteMessageCommandInput[];
  lines: string[];
}

export async function replayWithMocks(
  target: ReplayTarget,
  bodies: readonly string[],
  options: { status?: number; messageIdPrefix?: string } = {},
): Promise<ReplayRun> {
  const sqs = mockClient(SQSClient);
  const lambda = mockClient(LambdaClient);
  try {
    const prefix = options.messageIdPrefix ?? 'm';
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: bodies.map((Body, index) => ({ MessageId: `${prefix}${index}`, ReceiptHandle: `h${index}`, Body })),
      })
      .resolves({ Messages: [] });
    lambda.on(InvokeCommand).resolves({ StatusCode: options.status ?? 202 });
    const lines: string[] = [];
    const summary = await replayFailures({
      sqs: new SQSClient({}),
      lambda: new LambdaClient({}),
      target,
      log: (line) => lines.push(line),
    });
    return {
      summary,
      invokes: lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input),
      deletes: sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input),
      lines,
    };
  } finally {
    sqs.restore();
    lambda.restore();
  }
}
