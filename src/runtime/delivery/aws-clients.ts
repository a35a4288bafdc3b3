/**
 * The AWS SDK v3 clients the senders use, built once per container. Retries
 * are bounded and each attempt has a timeout, so a failing call ends well
 * inside the function's timeout and the invocation throws (and is retried
 * by Lambda) instead of hanging. `AWS_ENDPOINT_URL` is honoured by the SDK.
 */
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import type { KmsDecryptClient } from '../sender-mode/decrypt-code.js';

const MAX_ATTEMPTS = 3;

/**
 * Per attempt: 1 s to connect, 2 s for the answer. The SDK only warns when
 * `requestTimeout` passes unless `throwOnRequestTimeout` is set, and a hung
 * endpoint would then hold the invocation until Lambda kills it. Three
 * attempts of at most 2 s, plus backoff, stay under the senders' 10 s.
 */
const REQUEST_HANDLER = { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } as const;

/** KMS Decrypt: idempotent, so the SDK's standard retries apply to every retryable error. */
export const SDK_RETRY_POLICY = { maxAttempts: MAX_ATTEMPTS, requestHandler: REQUEST_HANDLER } as const;

/**
 * Whether a failed SES/SNS call certainly did not send: the service refused
 * it (throttling), or no connection was ever made. After a reset or a lost
 * response the message may already be out, so another attempt could send it
 * twice; those end the invocation instead, and Lambda's retry decides.
 */
export function failedBeforeSending(info: RetryErrorInfo): boolean {
  return info.errorType === 'THROTTLING' || neverConnected(info.error);
}

/**
 * Whether the error that ended an SES/SNS call certainly means nothing was
 * sent: the service answered with a refusal (any 4xx, throttling included),
 * or no connection was ever made. A 5xx, a reset or a request timeout leaves
 * the outcome unknown.
 */
export function certainlyNotSent(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 400 && status < 500;
  return neverConnected(error);
}

function neverConnected(value: unknown): boolean {
  const error = value as { code?: unknown; name?: unknown; message?: unknown } | undefined;
  if (error?.code === 'ECONNREFUSED' || error?.code === 'ENOTFOUND' || error?.code === 'EAI_AGAIN') return true;
  // The HTTP handler's connectionTimeout: the socket never connected, so nothing was sent. Matched on
  // its message, the only thing that tells it from a request timeout; a reworded message only means
  // no retry, never a second send.
  return (
    error?.name === 'TimeoutError' &&
    typeof error.message === 'string' &&
    error.message.includes('did not establish a connection')
  );
}

/** The SDK's standard strategy, limited to the retries that cannot send a message twice. */
export function sendRetryStrategy(maxAttempts = MAX_ATTEMPTS): RetryStrategyV2 {
  const standard = new StandardRetryStrategy(maxAttempts);
  // Every token the SDK hands back is one `standard` issued.
  return {
    acquireInitialRetryToken(scope: string) {
      return standard.acquireInitialRetryToken(scope);
    },
    async refreshRetryTokenForRetry(token: StandardRetryToken, info: RetryErrorInfo) {
      if (!failedBeforeSending(info)) throw new Error('not retried: the message may have been sent');
      return standard.refreshRetryTokenForRetry(token, info);
    },
    recordSuccess(token: StandardRetryToken) {
      standard.recordSuccess(token);
    },
  };
}

/**
 * DynamoDB, the idempotency table: two attempts of at most 1 s each, so a
 * store that is down costs the send about 2 s, never the function's timeout.
 */
export const STORE_CLIENT_LIMITS = { maxAttempts: 2, connectionTimeoutMs: 500, requestTimeoutMs: 1_000 } as const;

/** SES SendEmail and SNS Publish: bounded, and retried only where no message can have gone out. */
export function sendClientConfig() {
  return { requestHandler: REQUEST_HANDLER, retryStrategy: sendRetryStrategy() };
}

/** A cached KMS client per region (multi-Region keys may live elsewhere), exposing Decrypt only. */
export function kmsDecryptClients(): (region: string) => KmsDecryptClient {
  const clients = new Map<string, KmsDecryptClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      const kms = new KMSClient({ region, ...SDK_RETRY_POLICY });
      client = { decrypt: (input) => kms.send(new DecryptCommand(input)) };
      clients.set(region, client);
    }
    return client;
  };
}
