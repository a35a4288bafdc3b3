import { describe, expect, it } from 'vitest';
import { readMessageConfig } from '../../../src/runtime/config.js';
import { parseSenderEvent } from '../../../src/runtime/event/cognito-event.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { renderEmail, renderSms } from '../../../src/runtime/render/render.js';
import { composeSenderSms } from '../../../src/runtime/sender-mode/compose-message.js';
import { readSenderConfig } from '../../../src/runtime/sender-mode/sender-config.js';
import { senderValues, verificationUrl } from '../../../src/runtime/sender-mode/sender-values.js';
import { resolveTarget } from '../../../src/runtime/target/resolve-target.js';
import type { SignInAttribute } from '../../../src/runtime/target/sign-in-name.js';
import { senderEvent } from '../../support/events.js';

describe('verificationUrl', () => {
  const northwind = embeddedPack.brands.get('northwind');
  const acme = embeddedPack.brands.get('default');
  if (!northwind || !acme) throw new Error('brands missing');

  it('is null for a brand without a link base', () => {
    expect(verificationUrl(acme, undefined, '123456', 'alice')).toBeNull();
  });

  it('puts the allowed origin in front of the brand path', () => {
    expect(verificationUrl(northwind, 'https://pr-7.northwind.example', '1', 'u')).toBe(
      'https://pr-7.northwind.example/verify?code=1&username=u',
    );
  });
});

describe('senderValues: what an invitation names', () => {
  const pack = embeddedPack;
  const request = parseSenderEvent(
    senderEvent('CustomSMSSender_AdminCreateUser', 'x', { userName: '7d3e5b1a-0000-4000-8000-000000000001' }),
    'customSMSSenderRequestV1',
  );
  const target = resolveTarget(pack, readMessageConfig({}, pack), request, 'adminCreateUser');
  const values = (signInAttributes: readonly SignInAttribute[], channel: 'email' | 'sms') =>
    senderValues({ accountTakeOverLinkHosts: [], signInAttributes }, request, target, 'Tq7#mZp2Rw9x', channel);

  it('names the phone number in the SMS and the email in the email of a pool that signs in by both', () => {
    expect(values(['email', 'phone_number'], 'sms')).toMatchObject({
      username: '+14155550123',
      signInWith: 'phone_number',
    });
    expect(values(['email', 'phone_number'], 'email')).toMatchObject({
      username: 'alice@example.com',
      signInWith: 'email',
    });
  });

  it('names the username, not the recipient, in a pool with usernames', () => {
    expect(values(['username', 'email'], 'sms')).toMatchObject({
      username: '7d3e5b1a-0000-4000-8000-000000000001',
      signInWith: null,
    });
  });

  it('says "phone number", not "username", in the rendered SMS', () => {
    const sms = renderSms(pack, target, values(['phone_number'], 'sms')).text;
    expect(sms).toBe('Acme: sign in with your phone number +14155550123 and the temporary password Tq7#mZp2Rw9x');
    const email = renderEmail(pack, target, values(['email'], 'email')).html;
    expect(email).toContain('Email address');
    expect(email).not.toContain('Username');
  });
});

describe('composeSenderSms in a right-to-left locale', () => {
  it('isolates the code and the sign-in name, and starts with Arabic text', () => {
    const request = parseSenderEvent(senderEvent('CustomSMSSender_SignUp', 'x', {}), 'customSMSSenderRequestV1');
    const config = readSenderConfig(
      { KMS_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' },
      embeddedPack,
      'sms',
    );
    const target = { ...resolveTarget(embeddedPack, config, request, 'signUp'), locale: 'ar' };
    const sms = composeSenderSms(embeddedPack, config, request, target, '123456', '+14155550123');
    expect(sms.outgoing.text).toBe('رمز تأكيد حسابك في Acme هو \u2066123456\u2069');
    expect(sms.violations).toEqual([]);
    const english = composeSenderSms(embeddedPack, config, request, { ...target, locale: 'en' }, '123456', '+1');
    expect(english.outgoing.text).not.toMatch(/[\u2066-\u2069]/);
  });
});
