/**
 * The senders' metrics lines (src/runtime/metrics.ts): exactly one EMF line
 * per invocation, for every outcome, and nothing in it but the trigger
 * source, the transport and the counts.
 */
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import {
  createEmailSenderHandler,
  createSmsSenderHandler,
  type SenderHandler,
} from '../../../src/runtime/sender-mode/handler.js';
import { senderEvent } from '../../support/events.js';
import { memoryStore } from '../../support/memory-store.js';
import {
  cognitoCode,
  freshCode,
  invoke,
  recorded,
  resetAwsMocks,
  SENDER_ENV,
  sesMock,
  snsMock,
} from '../../support/sender-harness.js';

const NOW = 1_780_000_000_000;

const DIRECTIVE =
  '"CloudWatchMetrics":[{"Namespace":"CognitoTriggerPack","Dimensions":[["TriggerSource","Transport"]],"Metrics":[{"Name":"Sent","Unit":"Count"},{"Name":"Duplicate","Unit":"Count"},{"Name":"Refused","Unit":"Count"},{"Name":"InProgress","Unit":"Count"},{"Name":"Failed","Unit":"Count"}]}]';

/** The expected line, written out: one of the five counts is 1. */
function line(source: string, transport: 'ses' | 'sns', counts: [number, number, number, number, number]): string {
  const [sent, duplicate, refused, inProgress, failed] = counts;
  return `{"_aws":{"Timestamp":${NOW},${DIRECTIVE}},"TriggerSource":"${source}","Transport":"${transport}","Sent":${sent},"Duplicate":${duplicate},"Refused":${refused},"InProgress":${inProgress},"Failed":${failed}}`;
}

let lines: string[] = [];
const metricLines = () => lines.filter((entry) => entry.startsWith('{"_aws":'));
const parts = (store = memoryStore()) => ({
  pack: embeddedPack,
  store,
  now: () => NOW,
  writeLog: (entry: string) => {
    lines.push(entry);
    recorded.logLines.push(entry);
  },
});

function email(env: Record<string, string> = {}, store = memoryStore()): SenderHandler {
  return createEmailSenderHandler({ ...SENDER_ENV, ...env }, parts(store));
}

function sms(env: Record<string, string> = {}, store = memoryStore()): SenderHandler {
  return createSmsSenderHandler({ ...SENDER_ENV, ...env }, parts(store));
}

beforeEach(() => {
  resetAwsMocks();
  lines = [];
});

describe('sender metrics: one EMF line per invocation', () => {
  it('sent', async () => {
    await invoke(email(), senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode())));
    expect(metricLines()).toEqual([
      '{"_aws":{"Timestamp":1780000000000,"CloudWatchMetrics":[{"Namespace":"CognitoTriggerPack","Dimensions":[["TriggerSource","Transport"]],"Metrics":[{"Name":"Sent","Unit":"Count"},{"Name":"Duplicate","Unit":"Count"},{"Name":"Refused","Unit":"Count"},{"Name":"InProgress","Unit":"Count"},{"Name":"Failed","Unit":"Count"}]}]},"TriggerSource":"CustomEmailSender_SignUp","Transport":"ses","Sent":1,"Duplicate":0,"Refused":0,"InProgress":0,"Failed":0}',
    ]);
  });

  it('sent by SNS', async () => {
    await invoke(sms(), senderEvent('CustomSMSSender_Authentication', await cognitoCode(freshCode())));
    expect(metricLines()).toEqual([line('CustomSMSSender_Authentication', 'sns', [1, 0, 0, 0, 0])]);
  });

  it('duplicate: the same event again after it was sent', async () => {
    const handler = email({ IDEMPOTENCY_TABLE: 'ctp-idempotency' });
    const event = senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode(freshCode()));
    await invoke(handler, event);
    await invoke(handler, event);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(1);
    expect(metricLines()).toEqual([
      line('CustomEmailSender_ForgotPassword', 'ses', [1, 0, 0, 0, 0]),
      line('CustomEmailSender_ForgotPassword', 'ses', [0, 1, 0, 0, 0]),
    ]);
  });

  it('refused: an SMS to a country outside the allow-list', async () => {
    await invoke(
      sms({ SMS_ALLOWED_COUNTRIES: 'FR' }),
      senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())),
    );
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    expect(metricLines()).toEqual([line('CustomSMSSender_SignUp', 'sns', [0, 0, 1, 0, 0])]);
  });

  it('refused: the email over the per-address limit', async () => {
    const handler = email({ IDEMPOTENCY_TABLE: 'ctp-idempotency', EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: '1' });
    await invoke(handler, senderEvent('CustomEmailSender_ResendCode', await cognitoCode(freshCode())));
    await invoke(handler, senderEvent('CustomEmailSender_ResendCode', await cognitoCode(freshCode())));
    expect(metricLines()).toEqual([
      line('CustomEmailSender_ResendCode', 'ses', [1, 0, 0, 0, 0]),
      line('CustomEmailSender_ResendCode', 'ses', [0, 0, 1, 0, 0]),
    ]);
  });

  it('in progress: another invocation holds the claim', async () => {
    const handler = sms({ IDEMPOTENCY_TABLE: 'ctp-idempotency' });
    const event = senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode()));
    snsMock.on(PublishCommand).callsFake(() => new Promise(() => {}));
    void handler(event);
    await new Promise((done) => setTimeout(done, 50));
    await invoke(handler, event);
    expect(metricLines()).toEqual([line('CustomSMSSender_SignUp', 'sns', [0, 0, 0, 1, 0])]);
  });

  it('failed: SES refused the send', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    await invoke(email(), senderEvent('CustomEmailSender_UpdateUserAttribute', await cognitoCode(freshCode())));
    expect(metricLines()).toEqual([line('CustomEmailSender_UpdateUserAttribute', 'ses', [0, 0, 0, 0, 1])]);
  });

  it('failed: an event that is not a sender event counts under TriggerSource unknown, never its own text', async () => {
    await invoke(email(), { triggerSource: 'alice@example.com', request: {} });
    await invoke(email(), 'not an event');
    expect(metricLines()).toEqual([line('unknown', 'ses', [0, 0, 0, 0, 1]), line('unknown', 'ses', [0, 0, 0, 0, 1])]);
  });

  it('holds no code, address or number', async () => {
    const code = freshCode();
    await invoke(sms(), senderEvent('CustomSMSSender_SignUp', await cognitoCode(code)));
    const [metrics] = metricLines();
    expect(metrics).toBeDefined();
    for (const secret of [code, '4155550123', 'alice', 'us-east-1_Example1', 'request-1']) {
      expect(metrics).not.toContain(secret);
    }
  });

  it('METRICS=off writes none; the outcome is still logged', async () => {
    await invoke(email({ METRICS: 'off' }), senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode())));
    expect(metricLines()).toEqual([]);
    expect(lines.map((entry) => JSON.parse(entry).outcome)).toContain('sent');
  });

  it('fails at cold start naming a malformed METRICS', () => {
    expect(() => email({ METRICS: 'maybe' })).toThrow('Environment variable METRICS is "maybe"; use on, off');
  });
});

afterAll(() => {
  const everything = [...recorded.logLines, ...recorded.errors].join('\n');
  for (const code of recorded.codes) expect(everything.includes(code), 'a code leaked into logs').toBe(false);
});
