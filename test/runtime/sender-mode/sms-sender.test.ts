import type { PublishCommandInput } from '@aws-sdk/client-sns';
import { PublishCommand } from '@aws-sdk/client-sns';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { measureSms } from '../../../src/runtime/check/sms-encoding.js';
import { DeliveryError, DeliveryInProgressError, SendLimitError } from '../../../src/runtime/errors.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { createSmsSenderHandler } from '../../../src/runtime/sender-mode/handler.js';
import { OTHER_KEY_ARN } from '../../support/cognito-ciphertext.js';
import { SMS_SENDER_SOURCES, senderEvent } from '../../support/events.js';
import { memoryStore } from '../../support/memory-store.js';
import {
  cognitoCode,
  freshCode,
  invoke,
  recorded,
  resetAwsMocks,
  SENDER_ENV,
  smsHandler,
  snsMock,
} from '../../support/sender-harness.js';
import { BRANDS, LOCALES } from '../../support/template-set.js';

const handler = smsHandler();

function published(): PublishCommandInput[] {
  return snsMock.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

function onlySms(): PublishCommandInput {
  const sent = published();
  expect(sent).toHaveLength(1);
  return sent[0] as PublishCommandInput;
}

beforeEach(() => resetAwsMocks());

describe('CustomSMSSender: every source delivers', () => {
  for (const source of SMS_SENDER_SOURCES) {
    for (const locale of LOCALES) {
      for (const brand of BRANDS) {
        it(`${source} in ${locale} for ${brand}`, async () => {
          const code = source.endsWith('AdminCreateUser') ? 'Tq7#mZp2Rw9x' : freshCode();
          await invoke(handler, senderEvent(source, await cognitoCode(code), { clientMetadata: { locale, brand } }));
          const sms = onlySms();
          expect(sms.PhoneNumber).toBe('+14155550123');
          expect(sms.Message).toContain(code);
          expect(sms.Message).toContain(embeddedPack.brands.get(brand)?.productName);
          expect(sms.Message).not.toMatch(/[\n\r]|\{\{|\{####\}|\{\w+\}/);
          expect(measureSms(sms.Message ?? '').segments).toBe(1);
          expect(sms.MessageAttributes?.['AWS.SNS.SMS.SMSType']).toEqual({
            DataType: 'String',
            StringValue: 'Transactional',
          });
        });
      }
    }
  }
});

describe('CustomSMSSender: the message', () => {
  it('sets the brand sender id, else the configured one, and the origination number', async () => {
    const configured = smsHandler({ SMS_SENDER_ID: 'AcmeAuth', SMS_ORIGINATION_NUMBER: '+18005550100' });
    await invoke(configured, senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())));
    expect(onlySms().MessageAttributes).toEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'AcmeAuth' },
      'AWS.MM.SMS.OriginationNumber': { DataType: 'String', StringValue: '+18005550100' },
    });
    resetAwsMocks();
    await invoke(
      configured,
      senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode()), { clientMetadata: { brand: 'northwind' } }),
    );
    expect(onlySms().MessageAttributes?.['AWS.SNS.SMS.SenderID']?.StringValue).toBe('Northwind');
  });

  it('sends no sender id or origination number when none is configured', async () => {
    await invoke(handler, senderEvent('CustomSMSSender_Authentication', await cognitoCode(freshCode())));
    expect(Object.keys(onlySms().MessageAttributes ?? {})).toEqual(['AWS.SNS.SMS.SMSType']);
  });

  it("uses the user's locale attribute when metadata carries none", async () => {
    const event = senderEvent('CustomSMSSender_VerifyUserAttribute', await cognitoCode(freshCode()), {
      userAttributes: { phone_number: '+819012345678', locale: 'ja-JP' },
    });
    await invoke(handler, event);
    expect(onlySms().Message).toMatch(/[\u3040-\u30ff]/);
  });
});

describe('CustomSMSSender: nothing is sent when', () => {
  it('the phone number is missing or not E.164', async () => {
    for (const phone of [undefined, '4155550123', '+1 415 555 0123', '+0123456789', '+1415555012345678']) {
      const attributes: Record<string, string> =
        phone === undefined ? { email: 'a@example.com' } : { phone_number: phone };
      const error = await invoke(
        handler,
        senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode()), { userAttributes: attributes }),
      );
      expect(error, String(phone)).toMatchObject({ name: 'InvalidRecipientError' });
    }
    expect(published()).toHaveLength(0);
  });

  it('the code fails decryption', async () => {
    const foreign = await cognitoCode(freshCode(), { keyArn: OTHER_KEY_ARN });
    expect(await invoke(handler, senderEvent('CustomSMSSender_SignUp', foreign))).toMatchObject({
      name: 'CodeDecryptionError',
    });
    expect(published()).toHaveLength(0);
  });

  it('the source is the email-only account take-over notice', async () => {
    const error = await invoke(
      handler,
      senderEvent('CustomSMSSender_AccountTakeOverNotification', await cognitoCode(freshCode())),
    );
    expect(error).toMatchObject({ name: 'InvalidEventError' });
    expect(published()).toHaveLength(0);
  });
});

describe('CustomSMSSender: the segment warning', () => {
  it("describes the template's characters, never the temporary password's", async () => {
    // A two-segment invitation: the password's ê ` û make it UCS-2; the brand allows one segment.
    const password = 'Tê`ûZ9x!Tê`ûZ9x!Tê`ûZ9x!Tê`ûZ9x!Tê`ûZ9x!';
    const event = senderEvent('CustomSMSSender_AdminCreateUser', await cognitoCode(password));
    await invoke(handler, event);
    expect(onlySms().Message).toContain(password);
    const warning = recorded.logLines.map((line) => JSON.parse(line)).find((entry) => entry.level === 'warn');
    expect(warning?.reason).toMatch(/^SMS needs 2 UCS-2 segments .*the code, username or name has non-GSM characters/);
    for (const char of ['ê', '`', 'û']) expect(JSON.stringify(warning)).not.toContain(char);
  });
});

describe('CustomSMSSender: failed delivery', () => {
  it('throws DeliveryError so Lambda retries the event', async () => {
    snsMock
      .on(PublishCommand)
      .rejects(
        Object.assign(new Error('Internal'), { name: 'InternalErrorException', $metadata: { httpStatusCode: 500 } }),
      );
    const error = await invoke(handler, senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())));
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toBe('SNS Publish failed: InternalErrorException (HTTP 500)');
    expect((error as DeliveryError).nothingSent).toBe(false);
  });

  it('tells a refusal, where nothing was sent, from an outcome it cannot know', async () => {
    snsMock
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } }));
    const error = await invoke(handler, senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())));
    expect((error as DeliveryError).nothingSent).toBe(true);
  });

  it('keeps the cause to the error name, code and status, never the message text a server may echo the code in', async () => {
    const code = freshCode();
    snsMock.on(PublishCommand).rejects(
      Object.assign(new Error(`Invalid parameter: Message=Your code is ${code}`), {
        name: 'InvalidParameterException',
        Code: 'InvalidParameter',
        $metadata: { httpStatusCode: 400, requestId: 'req-1' },
      }),
    );
    const error = (await invoke(handler, senderEvent('CustomSMSSender_SignUp', await cognitoCode(code)))) as Error;
    expect(error.cause).toEqual({
      name: 'InvalidParameterException',
      code: 'InvalidParameter',
      httpStatusCode: 400,
      requestId: 'req-1',
    });
    expect(JSON.stringify(error.cause)).not.toContain(code);
  });

  it('masks the phone number in the outcome log', async () => {
    await invoke(handler, senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())));
    const sent = recorded.logLines.map((line) => JSON.parse(line)).findLast((entry) => entry.outcome === 'sent');
    expect(sent).toMatchObject({ to: '+*******0123', messageId: 'sns-message-1' });
    expect(recorded.logLines.join('\n')).not.toContain('4155550123');
  });
});

afterAll(() => {
  const everything = [...recorded.logLines, ...recorded.errors].join('\n');
  for (const code of recorded.codes) expect(everything.includes(code), 'a code leaked into logs').toBe(false);
});

describe('CustomSMSSender: abuse limits and the idempotency table', () => {
  it('refuses a country outside SMS_ALLOWED_COUNTRIES before decrypting, logging the rule and the masked number', async () => {
    const refusing = smsHandler({ SMS_ALLOWED_COUNTRIES: 'FR,DE' });
    const error = await invoke(refusing, senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())));
    expect(error).toBeInstanceOf(SendLimitError);
    expect(published()).toHaveLength(0);
    const line = recorded.logLines.map((entry) => JSON.parse(entry)).findLast((entry) => entry.outcome === 'refused');
    expect(line).toMatchObject({ level: 'error', rule: 'sms-country-not-allowed', errorName: 'SendLimitError' });
    expect(line.errorMessage).toContain('+*******0123');
  });

  it('logs a repeat that finds another claim as in-progress', async () => {
    const store = memoryStore();
    const event = senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode()));
    const held = createSmsSenderHandler(
      { ...SENDER_ENV, IDEMPOTENCY_TABLE: 'ctp-idempotency' },
      { pack: embeddedPack, store, now: () => 0, writeLog: (line) => recorded.logLines.push(line) },
    );
    snsMock.on(PublishCommand).callsFake(() => new Promise(() => {}));
    void held(event);
    await new Promise((done) => setTimeout(done, 50));
    const error = await invoke(held, event);
    expect(error).toBeInstanceOf(DeliveryInProgressError);
    const line = recorded.logLines
      .map((entry) => JSON.parse(entry))
      .findLast((entry) => entry.outcome === 'in-progress');
    expect(line).toMatchObject({ errorName: 'DeliveryInProgressError' });
  });

  it('fails at cold start naming a malformed variable', () => {
    expect(() => smsHandler({ IDEMPOTENCY_TABLE: 'ctp', IDEMPOTENCY_STORE_FAILURE: 'ignore' })).toThrow(
      'Environment variable IDEMPOTENCY_STORE_FAILURE is "ignore"; use send, fail',
    );
    expect(() => smsHandler({ SMS_LIMIT_PER_COUNTRY_PER_HOUR: 'lots' })).toThrow(
      /^Environment variable SMS_LIMIT_PER_COUNTRY_PER_HOUR is "lots"/,
    );
  });
});
