/**
 * The messages between the local Lambda Invoke endpoint and a function host
 * (one child process per function, see function-host.ts), and the error
 * payload Lambda returns for a failed invocation.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
import { isRecord } from '../runtime/json-object.js';

/** The body Lambda returns with `X-Amz-Function-Error: Unhandled`. */
export interface LambdaErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

/** What the host passes to the handler as its context (a subset of Lambda's). */
export interface InvokeContext {
  awsRequestId: string;
  functionName: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  /** Epoch milliseconds at which the invocation times out. */
  deadlineMs: number;
}

export type ParentMessage = { type: 'invoke'; id: string; payload: string; context: InvokeContext };

export type HostMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaErrorPayload }
  | { type: 'result'; id: string; payload: string }
  | { type: 'error'; id: string; error: LambdaErrorPayload };

/** Lambda's Node.js runtime reports a thrown error as its name, message and stack lines. */
export function toErrorPayload(error: unknown): LambdaErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: error.name || error.constructor.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n').filter(Boolean),
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

function isErrorPayload(value: unknown): value is LambdaErrorPayload {
  return (
    isRecord(value) &&
    typeof value.errorType === 'string' &&
    typeof value.errorMessage === 'string' &&
    Array.isArray(value.trace) &&
    value.trace.every((line) => typeof line === 'string')
  );
}

/** Narrows an IPC message from a host; anything else is null. */
export function parseHostMessage(value: unknown): HostMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'init-error':
      return isErrorPayload(value.error) ? { type: 'init-error', error: value.error } : null;
    case 'result':
      return typeof value.id === 'string' && typeof value.payload === 'string'
        ? { type: 'result', id: value.id, payload: value.payload }
        : null;
    case 'error':
      return typeof value.id === 'string' && isErrorPayload(value.error)
        ? { type: 'error', id: value.id, error: value.error }
        : null;
    default:
      return null;
  }
}

/** Narrows an IPC message from the parent; anything else is null. */
export function parseParentMessage(value: unknown): ParentMessage | null {
  if (!isRecord(value) || value.type !== 'invoke') return null;
  const { id, payload, context } = value;
  if (typeof id !== 'string' || typeof payload !== 'string' || !isRecord(context)) return null;
  const { awsRequestId, functionName, invokedFunctionArn, memoryLimitInMB, deadlineMs } = context;
  if (
    typeof awsRequestId !== 'string' ||
    typeof functionName !== 'string' ||
    typeof invokedFunctionArn !== 'string' ||
    typeof memoryLimitInMB !== 'string' ||
    typeof deadlineMs !== 'number'
  ) {
    return null;
  }
  return {
    type: 'invoke',
    id,
    payload,
    context: { awsRequestId, functionName, invokedFunctionArn, memoryLimitInMB, deadlineMs },
  };
}
