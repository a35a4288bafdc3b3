/**
 * send-test against a real moto server: the test email and SMS go through
 * SES and SNS as the senders send them, and are read back from moto; every
 * refusal sends nothing.
 */
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery } from '../../src/authoring/preview/gallery.js';
import { SAMPLE_CODES } from '../../src/authoring/preview/samples.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { type Moto, startMoto } from '../../src/local-stack/moto.js';
import { sendTest } from '../../src/operations/send-test.js';
import { BRANDS, LOCALES } from '../support/template-set.js';

const pack = loadPack('templates');
const region = 'us-east-1';
const EMAIL_FROM = 'Acme <no-reply@example.com>';
let moto: Moto;

beforeAll(async () => {
  moto = await startMoto();
  const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
  const ses = new SESClient({ region, endpoint: moto.url, credentials });
  const froms = [EMAIL_FROM, ...[...pack.brands.values()].map((brand) => brand.email.from ?? EMAIL_FROM)];
  for (const from of new Set(froms)) {
    await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: /<([^>]+)>/.exec(from)?.[1] ?? from }));
  }
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => {
  // The caller's credentials, as the SDK's default chain reads them.
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('send-test against moto', () => {
  it('sends the email through SES with the brand subject and the sample code', async () => {
    const brand = BRANDS.at(-1) ?? '';
    const locale = LOCALES.at(-1) ?? '';
    const result = await sendTest({
      pack,
      to: 'alice@example.com',
      locale,
      brand,
      region,
      endpoint: moto.url,
      env: { EMAIL_FROM },
    });
    const emails = await moto.sentEmails();
    const email = emails.find((candidate) => candidate.id === result.messageId);
    const preview = buildGallery(pack).entries.find((entry) => entry.id === `sender.email.SignUp.${locale}.${brand}`);
    expect(result).toMatchObject({ channel: 'email', triggerSource: 'CustomEmailSender_SignUp', locale, brand });
    expect(result.to).toBe('a***@e***.com');
    expect(email?.to).toEqual(['alice@example.com']);
    expect(email?.source).toBe(pack.brands.get(brand)?.email.from ?? EMAIL_FROM);
    expect(email?.subject).toBe(preview?.email?.subject);
    expect(email?.html).toContain(SAMPLE_CODES.code);
  });

  it('sends the SMS through SNS, at the endpoint AWS_ENDPOINT_URL names and the region AWS_REGION names', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', moto.url);
    const result = await sendTest({ pack, to: '+14155550123', env: { AWS_REGION: region } });
    const sms = (await moto.sentSms()).find((candidate) => candidate.messageId === result.messageId);
    expect(result).toMatchObject({ channel: 'sms', triggerSource: 'CustomSMSSender_SignUp', to: '+*******0123' });
    expect(sms?.phoneNumber).toBe('+14155550123');
    expect(sms?.message).toContain(SAMPLE_CODES.code);
  });

  it('sends nothing on a refusal', async () => {
    const before = (await moto.sentEmails()).length + (await moto.sentSms()).length;
    const refusals = [
      { to: undefined },
      { to: 'alice' },
      { to: 'alice@example.com', source: 'SignIn' },
      { to: '+14155550123', locale: 'xx' },
      { to: '+14155550123', brand: 'nobody' },
    ];
    for (const refusal of refusals) {
      await expect(sendTest({ pack, region, endpoint: moto.url, env: { EMAIL_FROM }, ...refusal })).rejects.toThrow(
        UsageError,
      );
    }
    expect((await moto.sentEmails()).length + (await moto.sentSms()).length).toBe(before);
  });

  it('reports an SES refusal (a From not verified) as a UsageError', async () => {
    const unverified = {
      ...pack,
      brands: new Map([...pack.brands].map(([id, brand]) => [id, { ...brand, email: { ...brand.email, from: null } }])),
    };
    await expect(
      sendTest({
        pack: unverified,
        to: 'alice@example.com',
        region,
        endpoint: moto.url,
        env: { EMAIL_FROM: 'nobody@unverified.example' },
      }),
    ).rejects.toThrow(/^send-test could not send: SES SendEmail failed: MessageRejected/);
  });
});
