/**
 * A sender under test: real handler, real Encryption SDK and AWS SDK
 * clients, with KMS, SES and SNS answered by aws-sdk-client-mock. Every log
 * line and every code a test encrypts is recorded, so a test can assert that
 * no plaintext code ever reached a log line or an error.
 */
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import {
  createEmailSenderHandler,
  createSmsSenderHandler,
  type SenderHandler,
} from '../../src/runtime/sender-mode/handler.js';
import { type CognitoCiphertextOptions, encryptLikeCognito, FakeKms, KEY_ARN } from './cognito-ciphertext.js';
import { POOL_ID } from './events.js';

export const SENDER_ENV = {
  KMS_KEY_ARN: KEY_ARN,
  EMAIL_FROM: 'Acme <no-reply@example.com>',
  AWS_REGION: 'us-east-1',
  LOG_LEVEL: 'debug',
} as const;

/** Everything logged and every code encrypted in this test process. */
export const recorded = { logLines: [] as string[], codes: new Set<string>(), errors: [] as string[] };

export const kms = new FakeKms();
export const kmsMock = mockClient(KMSClient);
export const sesMock = mockClient(SESClient);
export const snsMock = mockClient(SNSClient);

/** Resets the AWS mocks to instant success, with KMS decrypting through the fake. */
export function resetAwsMocks(): void {
  kmsMock.reset();
  sesMock.reset();
  snsMock.reset();
  kmsMock.on(DecryptCommand).callsFake((input) => kms.decrypt(input));
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
}

export function emailHandler(env: Record<string, string> = {}): SenderHandler {
  return createEmailSenderHandler(
    { ...SENDER_ENV, ...env },
    {
      pack: embeddedPack,
      writeLog: (line) => recorded.logLines.push(line),
    },
  );
}

export function smsHandler(env: Record<string, string> = {}): SenderHandler {
  return createSmsSenderHandler(
    { ...SENDER_ENV, ...env },
    {
      pack: embeddedPack,
      writeLog: (line) => recorded.logLines.push(line),
    },
  );
}

/** A Cognito-format ciphertext of `code`; the code is remembered for the leak check. */
export async function cognitoCode(code: string, options: Partial<CognitoCiphertextOptions> = {}): Promise<string> {
  recorded.codes.add(code);
  return encryptLikeCognito(kms, code, { poolId: POOL_ID, ...options });
}

/** Runs a handler and records the error text it throws, if any (for the leak check). */
export async function invoke(handler: SenderHandler, event: unknown): Promise<unknown> {
  try {
    await handler(event, { awsRequestId: 'request-1' });
    return undefined;
  } catch (error) {
    recorded.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
    return error;
  }
}

let counter = 0;
/** A fresh 6-digit code, unique within the process so a leak check can't match by accident. */
export function freshCode(): string {
  counter += 1;
  return String(314000 + counter).padStart(6, '0');
}
