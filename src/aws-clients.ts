/**
 * The AWS SDK v3 clients the senders use, built once per container. Retries
 * are bounded and each attempt has a timeout, so a failing call ends well
 * inside the function's timeout and the invocation throws (and is retried
 * by Lambda) instead of hanging. `AWS_ENDPOINT_URL` is honoured by the SDK.
 */
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { KmsDecryptClient } from './decrypt-code.js';

export const SDK_RETRY_POLICY = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
} as const;

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
