/**
 * Faults at the client boundary, with aws-sdk-client-mock: KMS, SES and SNS
 * reject with the errors the SDK raises once its own retries are spent
 * (throttling, 5xx, a connection reset, a timeout). The mock replaces the
 * client's send, so this checks what the handler does with each error, not
 * the SDK's retries (faults-network.test.ts does that): a typed error, one
 * call (no retry loop of our own on top of the SDK's), nothing sent, the
 * outcome logged, no code in the log. Then failures after a successful
 * send: the response is lost, or the log writer throws.
 */
import { DecryptCommand } from '@aws-sdk/client-kms';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DecryptionError, DeliveryError, type TriggerPackError } from '../../src/runtime/errors.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import {
  createEmailSenderHandler,
  createSmsSenderHandler,
  type SenderHandler,
} from '../../src/runtime/sender-mode/handler.js';
import { senderEvent } from '../support/events.js';
import { cognitoCode, kmsMock, resetAwsMocks, SENDER_ENV, sesMock, snsMock } from '../support/sender-harness.js';
import { figureBook } from './support/figures.js';

const book = figureBook('faults-mocked');
const logLines: string[] = [];
let injected = 0;
let survived = 0;
afterAll(() => {
  book.add({
    group: 'faults',
    label: 'client-boundary faults (aws-sdk-client-mock)',
    cases: injected,
    held: survived,
    notes: [
      'throttling, 5xx, connection reset and timeout errors from KMS (both senders), SES and SNS; a lost response after a send; a log writer that throws after a send',
    ],
  });
  book.write();
});

const RECIPIENT = 'alice@example.com';

/** The errors the SDK hands back once its retries are spent, shaped as it shapes them. */
const FAULTS = {
  throttling: () =>
    Object.assign(new Error(`Rate exceeded for ${RECIPIENT}`), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400, attempts: 3 },
    }),
  '5xx': () =>
    Object.assign(new Error(`Service unavailable while sending to ${RECIPIENT}`), {
      name: 'ServiceUnavailable',
      $fault: 'server',
      $metadata: { httpStatusCode: 503, attempts: 3 },
    }),
  'connection reset': () =>
    Object.assign(new Error('read ECONNRESET'), { name: 'Error', code: 'ECONNRESET', $metadata: { attempts: 3 } }),
  timeout: () =>
    Object.assign(new Error('socket timed out after 2000 ms'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      $metadata: { attempts: 3 },
    }),
} as const;

function handlers(write: (line: string) => void = (line) => logLines.push(line)) {
  return {
    email: createEmailSenderHandler(SENDER_ENV, { pack: embeddedPack, writeLog: write }),
    sms: createSmsSenderHandler(SENDER_ENV, { pack: embeddedPack, writeLog: write }),
  };
}

const { email, sms } = handlers();
beforeEach(() => {
  resetAwsMocks();
  logLines.length = 0;
});

function failService(service: 'kms' | 'ses' | 'sns', error: Error): void {
  if (service === 'kms') kmsMock.on(DecryptCommand).rejects(error);
  else if (service === 'ses') sesMock.on(SendEmailCommand).rejects(error);
  else snsMock.on(PublishCommand).rejects(error);
}

function callsTo(service: 'kms' | 'ses' | 'sns'): number {
  if (service === 'kms') return kmsMock.commandCalls(DecryptCommand).length;
  if (service === 'ses') return sesMock.commandCalls(SendEmailCommand).length;
  return snsMock.commandCalls(PublishCommand).length;
}

async function invoke(handler: SenderHandler, event: unknown): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await handler(event, { awsRequestId: 'fault' });
    return { error: null, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

function entries(): Array<Record<string, unknown>> {
  return logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const cases: Array<{
  name: string;
  family: 'email' | 'sms';
  service: 'kms' | 'ses' | 'sns';
  expected: typeof TriggerPackError;
}> = [
  { name: 'KMS (email sender)', family: 'email', service: 'kms', expected: DecryptionError },
  { name: 'KMS (SMS sender)', family: 'sms', service: 'kms', expected: DecryptionError },
  { name: 'SES', family: 'email', service: 'ses', expected: DeliveryError },
  { name: 'SNS', family: 'sms', service: 'sns', expected: DeliveryError },
];

describe('faults at the client boundary', () => {
  for (const { name, family, service, expected } of cases) {
    for (const [fault, makeError] of Object.entries(FAULTS)) {
      it(`${name} ${fault}: typed error, one call, nothing sent, outcome logged`, async () => {
        injected += 1;
        failService(service, makeError());
        const code = '864213';
        const source = family === 'email' ? 'CustomEmailSender_SignUp' : 'CustomSMSSender_SignUp';
        const { error, ms } = await invoke(
          family === 'email' ? email : sms,
          senderEvent(source, await cognitoCode(code)),
        );

        expect(error).toBeInstanceOf(expected);
        expect(callsTo(service), 'calls to the failing service').toBe(1);
        if (service === 'kms') expect(callsTo('ses') + callsTo('sns'), 'sends after a failed decrypt').toBe(0);
        expect(ms).toBeLessThan(1_000);
        const failure = entries().findLast((entry) => entry.outcome === 'failed');
        expect(failure).toMatchObject({ level: 'error', errorName: (error as Error).name });
        const everything = [...logLines, `${(error as Error).message}`].join('\n');
        expect(everything).not.toContain(code);
        if (service !== 'kms') expect(everything).not.toContain(RECIPIENT);
        survived += 1;
      });
    }
  }
});

describe('a failure after a successful send', () => {
  it('SES accepts the message but the response is lost: one call, a DeliveryError, so Lambda retries', async () => {
    injected += 1;
    let delivered = 0;
    sesMock.on(SendEmailCommand).callsFake(() => {
      delivered += 1;
      throw FAULTS['connection reset']();
    });
    const { error } = await invoke(email, senderEvent('CustomEmailSender_SignUp', await cognitoCode('135791')));
    expect(delivered).toBe(1);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(entries().findLast((entry) => entry.outcome === 'failed')).toMatchObject({ errorName: 'DeliveryError' });
    survived += 1;
  });

  it('SNS accepts the message but the response is lost: one call, a DeliveryError, so Lambda retries', async () => {
    injected += 1;
    let delivered = 0;
    snsMock.on(PublishCommand).callsFake(() => {
      delivered += 1;
      throw FAULTS.timeout();
    });
    const { error } = await invoke(sms, senderEvent('CustomSMSSender_SignUp', await cognitoCode('246802')));
    expect(delivered).toBe(1);
    expect(error).toBeInstanceOf(DeliveryError);
    survived += 1;
  });

  for (const family of ['email', 'sms'] as const) {
    it(`${family}: the log writer throws after the send; the invocation still succeeds and nothing says it failed`, async () => {
      injected += 1;
      const lines: string[] = [];
      const { email: failingEmail, sms: failingSms } = handlers((line) => {
        if (line.includes('"outcome":"sent"')) throw new Error('EPIPE: the log stream is gone');
        lines.push(line);
      });
      const source = family === 'email' ? 'CustomEmailSender_SignUp' : 'CustomSMSSender_SignUp';
      const { error } = await invoke(
        family === 'email' ? failingEmail : failingSms,
        senderEvent(source, await cognitoCode('975310')),
      );
      expect(callsTo('ses') + callsTo('sns')).toBe(1);
      // The message went out: failing the invocation now makes Lambda send it again.
      expect(error, 'the invocation failed after the message was sent').toBeNull();
      const failed = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((e) => e.outcome === 'failed');
      expect(failed, 'a log line says a delivered message failed').toEqual([]);
      survived += 1;
    });
  }
});
