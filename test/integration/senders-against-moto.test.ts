/**
 * The built sender bundles against a real moto server: a KMS key made at
 * start, codes encrypted as Cognito encrypts them, the bundles run in their
 * own process with AWS_ENDPOINT_URL pointing at moto, and the sent email and
 * SMS read back from moto.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Moto } from '../../src/local-stack/moto.js';
import {
  ACCOUNT_TAKE_OVER_ATTRIBUTES,
  EMAIL_SENDER_SOURCES,
  SMS_SENDER_SOURCES,
  senderEvent,
} from '../support/events.js';
import { type MotoBundles, type Outcome, startMotoBundles } from '../support/moto-bundles.js';

let bundles: MotoBundles;
let moto: Moto;

beforeAll(async () => {
  bundles = await startMotoBundles(['no-reply@example.com', 'no-reply@northwind.example']);
  moto = bundles.moto;
});

afterAll(async () => {
  await bundles?.stop();
});

const encryptAsCognito = (code: string) => bundles.encrypt(code);

/** Runs events through a dist bundle in a fresh process, as Lambda would, and returns each outcome. */
const invokeBundle = (bundle: string, events: unknown[], env: Record<string, string> = {}): Promise<Outcome[]> =>
  bundles.invoke(resolve('dist', bundle), events, env);

describe('dist sender bundles against moto', () => {
  it('delivers all eight email sources to the user, in the requested locale, with the exact code', async () => {
    const cases = await Promise.all(
      EMAIL_SENDER_SOURCES.map(async (source, index) => {
        const code = String(700000 + index);
        const locale = ['en', 'fr', 'de', 'es', 'pt-BR', 'ja', 'ar', 'fr'][index] ?? 'en';
        const email = `user${index}@example.com`;
        const event = senderEvent(source, await encryptAsCognito(code), { clientMetadata: { locale } });
        event.request.userAttributes = source.endsWith('AccountTakeOverNotification')
          ? { ...ACCOUNT_TAKE_OVER_ATTRIBUTES, email, locale }
          : { ...event.request.userAttributes, email };
        return { source, code, locale, email, event };
      }),
    );
    const outcomes = await invokeBundle(
      'custom-email-sender.js',
      cases.map((c) => c.event),
    );
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual(cases.map(() => 'ok'));

    const messages = await moto.sentEmails();
    expect(messages).toHaveLength(cases.length);
    for (const c of cases) {
      const sent = messages.find((m) => m.to[0] === c.email);
      expect(sent, c.source).toBeDefined();
      expect(sent?.source).toBe('Acme <no-reply@example.com>');
      expect(sent?.html).toContain(`<html lang="${c.locale}"`);
      if (!c.source.endsWith('AccountTakeOverNotification')) expect(sent?.html).toContain(`>${c.code}<`);
    }
    const subjects = new Set(messages.map((m) => m.subject));
    expect(subjects.size).toBe(cases.length);
  });

  it('delivers all seven SMS sources to the user with the exact code', async () => {
    await bundles.reset();
    const cases = await Promise.all(
      SMS_SENDER_SOURCES.map(async (source, index) => {
        const code = source.endsWith('AdminCreateUser') ? 'Tq7#mZp2Rw9x' : String(810000 + index);
        const phone = `+1415555${String(index).padStart(4, '0')}`;
        const event = senderEvent(source, await encryptAsCognito(code), { clientMetadata: { locale: 'de' } });
        event.request.userAttributes = { ...event.request.userAttributes, phone_number: phone };
        return { source, code, phone, event };
      }),
    );
    const outcomes = await invokeBundle(
      'custom-sms-sender.js',
      cases.map((c) => c.event),
    );
    expect(outcomes.map((o) => o.error ?? 'ok')).toEqual(cases.map(() => 'ok'));
    const sms = await moto.sentSms();
    expect(sms).toHaveLength(cases.length);
    for (const c of cases) {
      const sent = sms.find((m) => m.phoneNumber === c.phone);
      expect(sent, c.source).toBeDefined();
      expect(sent?.message, c.source).toContain(c.code);
    }
  });

  it('fails the invocation and sends nothing when SES refuses the sender', async () => {
    await bundles.reset({ verifyIdentities: false });
    const event = senderEvent('CustomEmailSender_SignUp', await encryptAsCognito('246810'));
    const [outcome] = await invokeBundle('custom-email-sender.js', [event]);
    expect(outcome?.error).toMatch(/^DeliveryError: SES SendEmail failed: MessageRejected/);
    expect(await moto.sentEmails()).toHaveLength(0);
  });
});
