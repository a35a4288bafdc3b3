import { Readable } from 'node:stream';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { SdkError } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { certainlyNotSent, failedBeforeSending, sendClientConfig } from '../../../src/runtime/delivery/aws-clients.js';

const networkError = (code: string): SdkError =>
  Object.assign(new Error(code), { code, cause: undefined, $metadata: {} });

describe('failedBeforeSending', () => {
  it('allows a retry after throttling, where the service refused the call', () => {
    expect(failedBeforeSending({ errorType: 'THROTTLING' })).toBe(true);
  });

  it('allows a retry when no connection was ever made', () => {
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: networkError('ECONNREFUSED') })).toBe(true);
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: networkError('ENOTFOUND') })).toBe(true);
  });

  it('allows a retry when the connection timed out before it was made', () => {
    const connectTimeout: SdkError = Object.assign(
      new Error(
        '@smithy/node-http-handler - the request socket did not establish a connection with the server within the configured timeout of 1000 ms.',
      ),
      { name: 'TimeoutError', cause: undefined, $metadata: {} },
    );
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: connectTimeout })).toBe(true);
    const requestTimeout: SdkError = Object.assign(new Error('request timed out after 2000 ms'), {
      name: 'TimeoutError',
      cause: undefined,
      $metadata: {},
    });
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: requestTimeout })).toBe(false);
  });

  it('refuses a retry after a reset, a timeout or a 5xx, when the message may already be out', () => {
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: networkError('ECONNRESET') })).toBe(false);
    expect(failedBeforeSending({ errorType: 'TRANSIENT', error: networkError('ETIMEDOUT') })).toBe(false);
    expect(failedBeforeSending({ errorType: 'SERVER_ERROR' })).toBe(false);
    expect(failedBeforeSending({ errorType: 'CLIENT_ERROR' })).toBe(false);
  });
});

describe('sendClientConfig', () => {
  // A client whose every request answers with `status` and an SES error body, counting attempts.
  function countingClient(status: number, code: string) {
    let attempts = 0;
    const client = new SESClient({
      ...sendClientConfig(),
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      requestHandler: {
        handle: async () => {
          attempts += 1;
          const body = `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>no</Message></Error></ErrorResponse>`;
          return {
            response: {
              statusCode: status,
              headers: { 'content-type': 'text/xml' },
              body: Readable.from([Buffer.from(body)]),
            },
          };
        },
      },
    });
    return { client, attempts: () => attempts };
  }
  const send = (client: SESClient) =>
    client.send(
      new SendEmailCommand({
        Source: 'a@example.com',
        Destination: { ToAddresses: ['b@example.com'] },
        Message: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } },
      }),
    );

  it('retries a throttled send up to three attempts', async () => {
    const { client, attempts } = countingClient(400, 'Throttling');
    await expect(send(client)).rejects.toMatchObject({ name: 'Throttling' });
    expect(attempts()).toBe(3);
  });

  it('does not retry a 5xx, which may follow a send', async () => {
    const { client, attempts } = countingClient(500, 'InternalFailure');
    await expect(send(client)).rejects.toMatchObject({ $metadata: { httpStatusCode: 500 } });
    expect(attempts()).toBe(1);
  });
});

describe('certainlyNotSent', () => {
  const answered = (httpStatusCode: number) =>
    Object.assign(new Error('answer'), { name: 'ServiceError', $metadata: { httpStatusCode } });

  it('is true for a service refusal (4xx, throttling too) and for a connection never made', () => {
    expect(certainlyNotSent(answered(400))).toBe(true);
    expect(certainlyNotSent(answered(429))).toBe(true);
    expect(certainlyNotSent(networkError('ECONNREFUSED'))).toBe(true);
  });

  it('is false for a 5xx, a reset, a request timeout or anything unknown', () => {
    expect(certainlyNotSent(answered(500))).toBe(false);
    expect(certainlyNotSent(answered(503))).toBe(false);
    expect(certainlyNotSent(networkError('ECONNRESET'))).toBe(false);
    expect(certainlyNotSent(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }))).toBe(false);
    expect(certainlyNotSent(undefined)).toBe(false);
  });
});
