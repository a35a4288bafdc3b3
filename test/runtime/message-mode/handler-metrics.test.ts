/** The CustomMessage metrics line: per channel, the pack's message or Cognito's default. */
import type { CustomMessageTriggerEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCustomMessageHandler } from '../../../src/runtime/message-mode/handler.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { customMessageEvent } from '../../support/events.js';

const NOW = 1_780_000_000_000;
let lines: string[] = [];
const handler = (env: Record<string, string> = {}) =>
  createCustomMessageHandler(env, { pack: embeddedPack, now: () => NOW, writeLog: (line) => lines.push(line) });
const metricLines = () => lines.filter((line) => line.startsWith('{"_aws":'));

beforeEach(() => {
  lines = [];
});

describe('CustomMessage metrics: one EMF line per invocation', () => {
  it('both channels rendered', async () => {
    await handler()(customMessageEvent('CustomMessage_SignUp'));
    expect(metricLines()).toEqual([
      '{"_aws":{"Timestamp":1780000000000,"CloudWatchMetrics":[{"Namespace":"CognitoTriggerPack","Dimensions":[["TriggerSource","Transport"]],"Metrics":[{"Name":"EmailRendered","Unit":"Count"},{"Name":"EmailDefault","Unit":"Count"},{"Name":"SmsRendered","Unit":"Count"},{"Name":"SmsDefault","Unit":"Count"}]}]},"TriggerSource":"CustomMessage_SignUp","Transport":"cognito","EmailRendered":1,"EmailDefault":0,"SmsRendered":1,"SmsDefault":0}',
    ]);
  });

  it("both channels left to Cognito's default when the event has no code placeholder", async () => {
    const event = customMessageEvent('CustomMessage_ForgotPassword');
    event.request.codeParameter = '';
    await handler()(event);
    expect(metricLines()).toEqual([
      '{"_aws":{"Timestamp":1780000000000,"CloudWatchMetrics":[{"Namespace":"CognitoTriggerPack","Dimensions":[["TriggerSource","Transport"]],"Metrics":[{"Name":"EmailRendered","Unit":"Count"},{"Name":"EmailDefault","Unit":"Count"},{"Name":"SmsRendered","Unit":"Count"},{"Name":"SmsDefault","Unit":"Count"}]}]},"TriggerSource":"CustomMessage_ForgotPassword","Transport":"cognito","EmailRendered":0,"EmailDefault":1,"SmsRendered":0,"SmsDefault":1}',
    ]);
  });

  it('an unknown trigger source counts as unknown', async () => {
    const event = {
      ...customMessageEvent('CustomMessage_SignUp'),
      triggerSource: 'CustomMessage_Nope',
    } as unknown as CustomMessageTriggerEvent;
    await handler()(event);
    const [line] = metricLines();
    expect(JSON.parse(line ?? '{}')).toMatchObject({ TriggerSource: 'unknown', EmailDefault: 1, SmsDefault: 1 });
  });

  it('METRICS=off writes none', async () => {
    await handler({ METRICS: 'off' })(customMessageEvent('CustomMessage_SignUp'));
    expect(metricLines()).toEqual([]);
  });
});
