/**
 * What of an SES, SNS or KMS error may travel on. An AWS error's message can
 * quote the request (a server that echoes the body puts the code or the
 * recipient there), and a thrown error ends up in logs, in Lambda's error
 * payload and in the on-failure record. So only its name, code and HTTP
 * status are kept; the message text is dropped.
 */
import { DeliveryError } from '../errors.js';
import { certainlyNotSent } from './aws-clients.js';

/** The parts of an AWS SDK error that carry no request data. */
export interface AwsErrorFacts {
  name: string;
  code: string | undefined;
  httpStatusCode: number | undefined;
  requestId: string | undefined;
}

/** The error's name, code, HTTP status and request id, never its message. */
export function awsErrorFacts(error: unknown): AwsErrorFacts {
  if (!(error instanceof Error))
    return { name: 'unknown error', code: undefined, httpStatusCode: undefined, requestId: undefined };
  const { code, Code, $metadata } = error as {
    code?: unknown;
    Code?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  };
  const text = (value: unknown) => (typeof value === 'string' && /^[\w.:-]{1,128}$/.test(value) ? value : undefined);
  return {
    name: text(error.name) ?? 'Error',
    code: text(code) ?? text(Code),
    httpStatusCode: typeof $metadata?.httpStatusCode === 'number' ? $metadata.httpStatusCode : undefined,
    requestId: text($metadata?.requestId),
  };
}

/** `ThrottlingException (HTTP 400)`: for an error message. */
export function awsErrorSummary(error: unknown): string {
  const { name, httpStatusCode } = awsErrorFacts(error);
  return httpStatusCode ? `${name} (HTTP ${httpStatusCode})` : name;
}

/** The DeliveryError for a failed SES/SNS call: its facts, never its message, and whether nothing was sent. */
export function deliveryError(call: string, error: unknown): DeliveryError {
  return new DeliveryError(`${call} failed: ${awsErrorSummary(error)}`, {
    cause: awsErrorFacts(error),
    nothingSent: certainlyNotSent(error),
  });
}
