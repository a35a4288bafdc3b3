import type { SendEmailCommandInput } from '@aws-sdk/client-ses';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DeliveryError } from '../../../src/runtime/errors.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { createEmailSenderHandler } from '../../../src/runtime/sender-mode/handler.js';
import { OTHER_KEY_ARN, KEY_ARN as SENDER_KEY_ARN } from '../../support/cognito-ciphertext.js';
import { ACCOUNT_TAKE_OVER_ATTRIBUTES, EMAIL_SENDER_SOURCES, POOL_ID, senderEvent } from '../../support/events.js';
import { memoryStore } from '../../support/memory-store.js';
import {
  cognitoCode,
  emailHandler,
  freshCode,
  invoke,
  kms,
  recorded,
  resetAwsMocks,
  SENDER_ENV,
  sesMock,
} from '../../support/sender-harness.js';
import { LOCALES } from '../../support/template-set.js';

const handler = emailHandler();

function sentEmails(): SendEmailCommandInput[] {
  return sesMock.commandCalls(SendEmailCommand).map((call) => call.args[0].input);
}

function onlyEmail(): SendEmailCommandInput {
  const sent = sentEmails();
  expect(sent).toHaveLength(1);
  return sent[0] as SendEmailCommandInput;
}

beforeEach(() => resetAwsMocks());

describe('CustomEmailSender: every source delivers', () => {
  for (const source of EMAIL_SENDER_SOURCES) {
    for (const locale of LOCALES) {
      it(`${source} in ${locale}`, async () => {
        const code = freshCode();
        const takeOver = source.endsWith('AccountTakeOverNotification');
        const event = senderEvent(source, await cognitoCode(code), { clientMetadata: { locale } });
        if (takeOver) event.request.userAttributes = { ...ACCOUNT_TAKE_OVER_ATTRIBUTES, locale };
        expect(await invoke(handler, event)).toBeUndefined();
        const email = onlyEmail();
        expect(email.Destination?.ToAddresses).toEqual(['alice@example.com']);
        expect(email.Source).toBe('Acme <no-reply@example.com>');
        const html = email.Message?.Body?.Html?.Data ?? '';
        const text = email.Message?.Body?.Text?.Data ?? '';
        expect(html).toContain(`<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}">`);
        expect(text).not.toMatch(/<[a-z]/i);
        expect(`${html}${text}`).not.toMatch(/\{\{|\{####\}|\{##/);
        if (!takeOver) {
          expect(html).toContain(code);
          expect(text).toContain(code);
        }
        expect(email.Tags).toEqual([
          { Name: 'triggerSource', Value: source },
          { Name: 'brand', Value: 'default' },
          { Name: 'locale', Value: locale },
        ]);
      });
    }
  }
});

describe('CustomEmailSender: the message', () => {
  it('sets the SES fields from the brand, falling back to the environment', async () => {
    const branded = emailHandler({
      SES_SOURCE_ARN: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
      SES_CONFIGURATION_SET: 'transactional',
    });
    const event = senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
      clientMetadata: { brand: 'northwind', locale: 'de' },
    });
    await invoke(branded, event);
    const email = onlyEmail();
    expect(email).toMatchObject({
      Source: 'Northwind <no-reply@northwind.example>',
      ReplyToAddresses: ['help@northwind.example'],
      ConfigurationSetName: 'transactional',
      SourceArn: 'arn:aws:ses:us-east-1:111122223333:identity/example.com',
      Destination: { ToAddresses: ['alice@example.com'] },
    });
    expect(email.Message?.Subject?.Data).toContain('Northwind');
    expect(email.Message?.Subject?.Charset).toBe('UTF-8');
  });

  it('unescapes the AdminCreateUser temporary password and shows the sign-in name', async () => {
    const event = senderEvent('CustomEmailSender_AdminCreateUser', await cognitoCode('Tq7&lt;mZ&amp;p2R'), {
      userName: '7d3e5b1a-0000-4000-8000-000000000001',
    });
    recorded.codes.add('Tq7<mZ&p2R');
    await invoke(emailHandler({ SIGN_IN_ATTRIBUTES: 'email' }), event);
    const text = onlyEmail().Message?.Body?.Text?.Data ?? '';
    expect(text).toContain('Tq7<mZ&p2R');
    expect(text).toContain('alice@example.com');
    expect(onlyEmail().Message?.Body?.Html?.Data).toContain('Tq7&lt;mZ&amp;p2R');
  });

  it('uses the username itself when the pool signs in by username', async () => {
    const event = senderEvent('CustomEmailSender_AdminCreateUser', await cognitoCode('Xy9#kP2qRw4z'), {
      userName: 'alice.admin',
    });
    await invoke(handler, event);
    expect(onlyEmail().Message?.Body?.Text?.Data).toContain('alice.admin');
  });

  it('adds the brand verification link with code and username URL-encoded', async () => {
    const code = freshCode();
    const event = senderEvent('CustomEmailSender_VerifyUserAttribute', await cognitoCode(code), {
      clientMetadata: { brand: 'northwind' },
      userName: 'al ice+1',
    });
    await invoke(handler, event);
    expect(onlyEmail().Message?.Body?.Html?.Data).toContain(
      `href="https://app.northwind.example/verify?code&#x3D;${code}&amp;username&#x3D;al+ice%2B1"`,
    );
  });

  it("lets clientMetadata pick a link origin only from the stage's EXTRA_LINK_ORIGINS or the brand file", async () => {
    const staging = emailHandler({ EXTRA_LINK_ORIGINS: 'northwind=https://staging.northwind.example' });
    const event = async () =>
      senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
        clientMetadata: { brand: 'northwind', linkOrigin: 'https://staging.northwind.example' },
      });
    await invoke(staging, await event());
    expect(onlyEmail().Message?.Body?.Html?.Data).toContain('https://staging.northwind.example/verify?');

    // Production has no such stage setting: the same request gets the brand's own origin.
    resetAwsMocks();
    await invoke(handler, await event());
    expect(onlyEmail().Message?.Body?.Html?.Data).toContain('https://app.northwind.example/verify?');

    resetAwsMocks();
    const hostile = senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
      clientMetadata: { brand: 'northwind', linkOrigin: 'https://evil.example' },
    });
    await invoke(staging, hostile);
    const html = onlyEmail().Message?.Body?.Html?.Data ?? '';
    expect(html).not.toContain('evil.example');
    expect(html).toContain('https://app.northwind.example/verify?');
  });

  it('carries no link for a brand without one, or for sign-in codes', async () => {
    await invoke(handler, senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode())));
    expect(onlyEmail().Message?.Body?.Html?.Data).not.toContain('/verify?');
    resetAwsMocks();
    const auth = senderEvent('CustomEmailSender_Authentication', await cognitoCode(freshCode()), {
      clientMetadata: { brand: 'northwind' },
    });
    await invoke(handler, auth);
    expect(onlyEmail().Message?.Body?.Html?.Data).not.toContain('/verify?');
  });

  it('greets by a markup or phishing name never, and by a real name on a password reset', async () => {
    for (const given_name of ['<img src=x onerror=alert(1)>', 'ACCOUNT LOCKED! Restore now: https://evil.example/r']) {
      resetAwsMocks();
      const event = senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode(freshCode()), {
        userAttributes: { email: 'alice@example.com', given_name },
      });
      await invoke(handler, event);
      const email = onlyEmail();
      const all = `${email.Message?.Body?.Html?.Data}${email.Message?.Body?.Text?.Data}`;
      expect(all).not.toMatch(/img src|onerror|evil\.example|LOCKED/);
      expect(email.Message?.Body?.Text?.Data).toContain('Hello,');
    }
    resetAwsMocks();
    const named = senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode(freshCode()), {
      userAttributes: { email: 'alice@example.com', given_name: 'Zoë' },
    });
    await invoke(handler, named);
    expect(onlyEmail().Message?.Body?.Text?.Data).toContain('Hello Zoë,');
  });

  it("shows no name on a sign-up, which anyone can start with someone else's address", async () => {
    const event = async () =>
      senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
        userAttributes: { email: 'alice@example.com', given_name: 'Zoë' },
      });
    await invoke(handler, await event());
    expect(onlyEmail().Message?.Body?.Text?.Data).not.toContain('Zoë');
    resetAwsMocks();
    await invoke(emailHandler({ GREET_BY_NAME: 'always' }), await event());
    expect(onlyEmail().Message?.Body?.Text?.Data).toContain('Hello Zoë,');
  });
});

describe('CustomEmailSender: account take-over notice', () => {
  it('tells what happened and gives the one-click links, with no code and no KMS call', async () => {
    const before = kms.decryptCalls;
    await invoke(handler, senderEvent('CustomEmailSender_AccountTakeOverNotification', null));
    const email = onlyEmail();
    const text = email.Message?.Body?.Text?.Data ?? '';
    expect(email.Message?.Subject?.Data).toBe('Unusual sign-in to your Acme account');
    expect(text).toContain('We blocked this sign-in.');
    expect(text).toContain('203.0.113.7');
    expect(text).toContain('Lisbon, Portugal');
    expect(text).toContain('Chrome 130, Windows 11');
    expect(text).toContain('November 20, 2026');
    expect(email.Message?.Body?.Html?.Data).toContain(
      'href="https://cognito-idp.us-east-1.amazonaws.com/feedback?token&#x3D;invalid456"',
    );
    expect(kms.decryptCalls).toBe(before);
  });

  it('leaves out one-click links to any host but Cognito, and logs it', async () => {
    const event = senderEvent('CustomEmailSender_AccountTakeOverNotification', null);
    event.request.userAttributes = {
      ...ACCOUNT_TAKE_OVER_ATTRIBUTES,
      ONE_CLICK_LINK_VALID: 'https://evil.example/feedback?token=valid123',
      ONE_CLICK_LINK_INVALID: 'https://cognito-idp.us-east-1.amazonaws.com.evil.example/feedback?token=x',
    };
    await invoke(handler, event);
    const html = onlyEmail().Message?.Body?.Html?.Data ?? '';
    expect(html).not.toContain('evil.example');
    expect(html).not.toContain('feedback?token');
    const warning = recorded.logLines.map((line) => JSON.parse(line)).find((entry) => entry.level === 'warn');
    expect(warning).toMatchObject({
      attributes: ['ONE_CLICK_LINK_VALID', 'ONE_CLICK_LINK_INVALID'],
      allowedHosts: ['cognito-idp.us-east-1.amazonaws.com', 'cognito-idp.us-east-1.amazonaws.com.cn'],
    });
  });

  it('accepts one-click links on the hosts ACCOUNT_TAKEOVER_LINK_HOSTS names', async () => {
    const event = senderEvent('CustomEmailSender_AccountTakeOverNotification', null);
    event.request.userAttributes = {
      ...ACCOUNT_TAKE_OVER_ATTRIBUTES,
      ONE_CLICK_LINK_VALID: 'https://auth.acme.example/feedback?token=valid123',
    };
    await invoke(emailHandler({ ACCOUNT_TAKEOVER_LINK_HOSTS: 'Auth.Acme.example' }), event);
    const html = onlyEmail().Message?.Body?.Html?.Data ?? '';
    expect(html).toContain('href="https://auth.acme.example/feedback?token&#x3D;valid123"');
    expect(html).not.toContain('cognito-idp');
  });

  it('drops one-click links that are not https, and optional details that are absent', async () => {
    const event = senderEvent('CustomEmailSender_AccountTakeOverNotification', null);
    const { CITY: _city, COUNTRY: _country, DEVICE_NAME: _device, ...rest } = ACCOUNT_TAKE_OVER_ATTRIBUTES;
    event.request.userAttributes = {
      ...rest,
      ONE_CLICK_LINK_VALID: 'javascript:alert(1)',
      ACCOUNT_TAKE_OVER_ACTION: 'NO_ACTION',
    };
    await invoke(handler, event);
    const html = onlyEmail().Message?.Body?.Html?.Data ?? '';
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('Device');
    expect(html).toContain('We allowed this sign-in but flagged it for review.');
  });
});

describe('CustomEmailSender: nothing is sent when', () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['the code is not base64', async () => senderEvent('CustomEmailSender_SignUp', 'not base64!'), /not base64/],
    [
      'the code is not an Encryption SDK message',
      async () => senderEvent('CustomEmailSender_SignUp', Buffer.from('hello world, not a message').toString('base64')),
      /not an AWS Encryption SDK message/,
    ],
    [
      'the code is under another KMS key',
      async () => senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode(), { keyArn: OTHER_KEY_ARN })),
      /no allowed KMS key/,
    ],
    [
      'the code was encrypted for another pool',
      async () =>
        senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode(), { poolId: 'us-east-1_OtherPool' })),
      /encrypted for user pool "us-east-1_OtherPool"/,
    ],
    [
      'the code has no pool in its encryption context',
      async () => senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode(), { encryptionContext: {} })),
      /encrypted for user pool \(none\)/,
    ],
    [
      'the message carries two data keys',
      async () =>
        senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode(), { extraKeyArns: [OTHER_KEY_ARN] })),
      /maxEncryptedDataKeys/,
    ],
    [
      'the message was tampered with',
      async () => {
        const bytes = Buffer.from(await cognitoCode(freshCode()), 'base64');
        bytes[bytes.length - 120] = (bytes[bytes.length - 120] ?? 0) ^ 0x01;
        return senderEvent('CustomEmailSender_SignUp', bytes.toString('base64'));
      },
      /Encryption SDK|KMS key/,
    ],
    ['the code is empty', async () => senderEvent('CustomEmailSender_SignUp', ''), /request.code is empty/],
    [
      'the user has no email',
      async () =>
        senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
          userAttributes: { phone_number: '+14155550123' },
        }),
      /no email attribute/,
    ],
    [
      'the email is not a valid address',
      async () =>
        senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), {
          userAttributes: { email: 'alice@example.com, mallory@evil.example' },
        }),
      /not a valid address/,
    ],
    [
      'the trigger source is unknown',
      async () => senderEvent('CustomEmailSender_Unknown', await cognitoCode(freshCode())),
      /is not a CustomEmailSender source/,
    ],
    [
      'the trigger source belongs to the SMS sender',
      async () => senderEvent('CustomSMSSender_SignUp', await cognitoCode(freshCode())),
      /request.type is "customSMSSenderRequestV1"; this function handles customEmailSenderRequestV1/,
    ],
  ];

  for (const [name, makeEvent, message] of cases) {
    it(name, async () => {
      const error = await invoke(handler, await makeEvent());
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect(['DecryptionError', 'CodeDecryptionError', 'InvalidEventError', 'InvalidRecipientError']).toContain(
        (error as Error).name,
      );
      expect(sentEmails()).toHaveLength(0);
    });
  }

  it('accepts the committing suite cognito-local uses', async () => {
    const code = freshCode();
    await invoke(handler, senderEvent('CustomEmailSender_SignUp', await cognitoCode(code, { committing: true })));
    expect(onlyEmail().Message?.Body?.Text?.Data).toContain(code);
  });

  it('rejects an event that is not an object', async () => {
    for (const event of [null, 'x', [], { triggerSource: 'CustomEmailSender_SignUp' }]) {
      expect(await invoke(handler, event)).toMatchObject({ name: 'InvalidEventError' });
    }
    expect(sentEmails()).toHaveLength(0);
  });
});

describe('CustomEmailSender: failed delivery', () => {
  it('throws DeliveryError after the SDK retries, so Lambda retries the event', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Rate exceeded for alice@example.com'), { name: 'Throttling' }));
    const error = await invoke(handler, senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode())));
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toBe('SES SendEmail failed: Throttling');
    const failure = recorded.logLines.map((line) => JSON.parse(line)).findLast((entry) => entry.outcome === 'failed');
    expect(failure).toMatchObject({ level: 'error', errorName: 'DeliveryError', userPoolId: POOL_ID });
  });

  it('logs the outcome with masked recipient, locale and brand', async () => {
    await invoke(
      handler,
      senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode()), { clientMetadata: { locale: 'ja' } }),
    );
    const sent = recorded.logLines.map((line) => JSON.parse(line)).findLast((entry) => entry.outcome === 'sent');
    expect(sent).toMatchObject({
      level: 'info',
      to: 'a***@e***.com',
      locale: 'ja',
      brand: 'default',
      triggerSource: 'CustomEmailSender_SignUp',
      requestId: 'request-1',
      messageId: 'ses-message-1',
    });
  });
});

describe('CustomEmailSender: configuration', () => {
  it('fails at cold start without KMS_KEY_ARN or EMAIL_FROM, or with an alias', () => {
    expect(() => emailHandler({ KMS_KEY_ARN: '' })).toThrow('Environment variable KMS_KEY_ARN is required');
    expect(() => emailHandler({ EMAIL_FROM: ' ' })).toThrow('Environment variable EMAIL_FROM is required');
    expect(() => emailHandler({ KMS_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:alias/cognito' })).toThrow(
      /not aliases/,
    );
    expect(() => emailHandler({ EMAIL_FROM: 'Acme <broken>' })).toThrow(/EMAIL_FROM/);
    expect(() => emailHandler({ SMS_SENDER_ID: '12' })).toThrow(/SMS_SENDER_ID/);
  });
});

afterAll(() => {
  const everything = [...recorded.logLines, ...recorded.errors].join('\n');
  for (const code of recorded.codes) expect(everything.includes(code), `code ${code.length} chars leaked`).toBe(false);
  expect(recorded.logLines.length).toBeGreaterThan(50);
});

describe('CustomEmailSender: broken templates', () => {
  it('refuses to send a message that breaks the rules, naming every violation', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { copyTemplates } = await import('../../support/temp-templates.js');
    const { loadPack } = await import('../../../src/authoring/pack-source.js');
    const { createEmailSenderHandler } = await import('../../../src/runtime/sender-mode/handler.js');
    const dir = copyTemplates();
    writeFileSync(join(dir, 'base/signUp.html.hbs'), '<p>Welcome\u200b, your code is coming soon</p>');
    const broken = createEmailSenderHandler(
      { KMS_KEY_ARN: SENDER_KEY_ARN, EMAIL_FROM: 'a@example.com' },
      { pack: loadPack(dir), writeLog: () => {} },
    );
    const error = await invoke(broken, senderEvent('CustomEmailSender_SignUp', await cognitoCode(freshCode())));
    expect(error).toMatchObject({ name: 'MessageValidationError' });
    expect((error as { violations: string[] }).violations).toEqual([
      expect.stringContaining('emailMessage has a disallowed character U+200B'),
      'emailMessage lacks the code',
      expect.stringContaining('text body has a disallowed character U+200B'),
      'text body lacks the code',
    ]);
    expect(sentEmails()).toHaveLength(0);
  });
});

describe('CustomEmailSender: the idempotency table and the per-address limit', () => {
  const limited = (store = memoryStore()) =>
    createEmailSenderHandler(
      { ...SENDER_ENV, IDEMPOTENCY_TABLE: 'ctp-idempotency', EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: '1' },
      { pack: embeddedPack, store, writeLog: (line) => recorded.logLines.push(line) },
    );

  it('sends a repeated event once, and refuses a second code to the address within the hour', async () => {
    const send = limited();
    const event = senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode(freshCode()));
    await invoke(send, event);
    await invoke(send, event);
    expect(sentEmails()).toHaveLength(1);
    const error = await invoke(send, senderEvent('CustomEmailSender_ForgotPassword', await cognitoCode(freshCode())));
    expect(error).toMatchObject({ name: 'SendLimitError', rule: 'email-per-address' });
    expect(sentEmails()).toHaveLength(1);
  });

  it('never limits the account take-over notice, and keys each by its EVENT_ID', async () => {
    const send = limited();
    for (const id of ['event-1', 'event-2', 'event-2']) {
      const event = senderEvent('CustomEmailSender_AccountTakeOverNotification', null);
      event.request.userAttributes = { ...ACCOUNT_TAKE_OVER_ATTRIBUTES, EVENT_ID: id };
      expect(await invoke(send, event)).toBeUndefined();
    }
    expect(sentEmails()).toHaveLength(2);
  });
});
