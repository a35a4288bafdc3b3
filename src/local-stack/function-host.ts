/**
 * One Lambda "container" of the local stack, run as a child process by the
 * Invoke endpoint (lambda-invoke-server.ts) with the function's own
 * environment. It loads the built bundle once, as a cold start does, then
 * runs the invocations its parent sends, one at a time. A separate process
 * per function keeps each bundle's module-level state (configuration read at
 * load, SDK clients, caches) and environment apart, as Lambda does.
 *
 * argv: <bundle path>. The parent ends it with SIGTERM, or it ends itself
 * when the parent goes away (the IPC channel closes).
 */
import { createRequire } from 'node:module';
import { type HostMessage, type InvokeContext, parseParentMessage, toErrorPayload } from './function-protocol.js';

type LambdaHandler = (event: unknown, context: Record<string, unknown>) => unknown;

function send(message: HostMessage, then?: () => void): void {
  if (process.send) process.send(message, undefined, {}, () => then?.());
}

function isHandler(value: unknown): value is LambdaHandler {
  return typeof value === 'function';
}

function loadHandler(bundlePath: string): LambdaHandler {
  const exported: unknown = createRequire(bundlePath)(bundlePath);
  const handler = exported !== null && typeof exported === 'object' ? Reflect.get(exported, 'handler') : undefined;
  if (!isHandler(handler)) {
    throw Object.assign(new Error(`${bundlePath} does not export a handler function`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler;
}

function lambdaContext(context: InvokeContext): Record<string, unknown> {
  return {
    awsRequestId: context.awsRequestId,
    functionName: context.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: context.invokedFunctionArn,
    memoryLimitInMB: context.memoryLimitInMB,
    logGroupName: `/aws/lambda/${context.functionName}`,
    logStreamName: `local/[$LATEST]${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, context.deadlineMs - Date.now()),
  };
}

function main(): void {
  const bundlePath = process.argv[2];
  if (!bundlePath) throw new Error('usage: function-host.ts <bundle path>');
  process.on('disconnect', () => process.exit(0));

  let handler: LambdaHandler;
  try {
    handler = loadHandler(bundlePath);
  } catch (error) {
    // Lambda reports an error thrown while loading the module on the invocation, then starts afresh.
    send({ type: 'init-error', error: toErrorPayload(error) }, () => process.exit(1));
    return;
  }

  // Invocations are queued: a container runs one at a time, as in Lambda.
  let queue: Promise<void> = Promise.resolve();
  process.on('message', (raw: unknown) => {
    const message = parseParentMessage(raw);
    if (!message) return;
    queue = queue.then(async () => {
      try {
        const event: unknown = JSON.parse(message.payload);
        const result: unknown = await handler(event, lambdaContext(message.context));
        send({ type: 'result', id: message.id, payload: JSON.stringify(result ?? null) });
      } catch (error) {
        send({ type: 'error', id: message.id, error: toErrorPayload(error) });
      }
    });
  });
  send({ type: 'ready' });
}

main();
