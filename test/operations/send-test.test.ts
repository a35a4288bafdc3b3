import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery } from '../../src/authoring/preview/gallery.js';
import { SAMPLE_CODES } from '../../src/authoring/preview/samples.js';
import { UsageError } from '../../src/cli/usage-error.js';
import { NO_RECIPIENT_MESSAGE, type SendTestOptions, sendTest } from '../../src/operations/send-test.js';
import type { TemplatePack } from '../../src/runtime/render/template-pack.js';
import { copyTemplates } from '../support/temp-templates.js';
import { BRANDS, LOCALES } from '../support/template-set.js';

const pack = loadPack('templates');
const client = { region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
const ses = new SESClient(client);
const sns = new SNSClient(client);
const sesMock = mockClient(ses);
const snsMock = mockClient(sns);
const ENV = { EMAIL_FROM: 'Acme <no-reply@example.com>' };

beforeEach(() => {
  sesMock.reset();
  snsMock.reset();
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-test-1' });
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-test-1' });
});

function send(options: Partial<SendTestOptions>) {
  return sendTest({ pack, to: 'alice@example.com', ses, sns, env: ENV, ...options });
}

/** The refusal's message; fails the test when sendTest resolves or throws anything but UsageError. */
async function refusal(options: Partial<SendTestOptions>): Promise<string> {
  const error = await send(options).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).message;
}

function sent(): number {
  return sesMock.commandCalls(SendEmailCommand).length + snsMock.commandCalls(PublishCommand).length;
}

/** `pack` with every brand's From removed, as a folder whose brand.json files set none. */
function withoutFrom(base: TemplatePack): TemplatePack {
  const brands = new Map(
    [...base.brands].map(([id, brand]) => [id, { ...brand, email: { ...brand.email, from: null } }]),
  );
  return { ...base, brands };
}

describe('send-test', () => {
  it('sends the sender email with the sample code, the brand From and the gallery subject; returns the address masked', async () => {
    const brand = BRANDS.at(-1) ?? '';
    const locale = LOCALES.at(-1) ?? '';
    const result = await send({ brand, locale });
    expect(result).toEqual({
      channel: 'email',
      messageId: 'ses-test-1',
      triggerSource: 'CustomEmailSender_SignUp',
      locale,
      brand,
      to: 'a***@e***.com',
    });
    const [call] = sesMock.commandCalls(SendEmailCommand);
    const input = call?.args[0].input;
    const preview = buildGallery(pack).entries.find((entry) => entry.id === `sender.email.SignUp.${locale}.${brand}`);
    expect(input?.Destination?.ToAddresses).toEqual(['alice@example.com']);
    expect(input?.Source).toBe(pack.brands.get(brand)?.email.from ?? ENV.EMAIL_FROM);
    expect(input?.Message?.Subject?.Data).toBe(preview?.email?.subject);
    expect(input?.Message?.Body?.Html?.Data).toContain(SAMPLE_CODES.code);
    expect(input?.Message?.Body?.Text?.Data).toContain(SAMPLE_CODES.code);
  });

  it('sends an SMS to an E.164 number, matching source, locale and brand case-insensitively', async () => {
    const locale = LOCALES.at(-1) ?? '';
    const result = await send({ to: '+14155550123', source: 'forgotpassword', locale: locale.toLowerCase() });
    expect(result).toMatchObject({ channel: 'sms', messageId: 'sns-test-1', locale, to: '+*******0123' });
    expect(result.triggerSource).toBe('CustomSMSSender_ForgotPassword');
    const [call] = snsMock.commandCalls(PublishCommand);
    expect(call?.args[0].input.PhoneNumber).toBe('+14155550123');
    expect(call?.args[0].input.Message).toContain(SAMPLE_CODES.code);
    expect(sesMock.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('sends an invitation with the sample temporary password, never a real one', async () => {
    await send({ source: 'AdminCreateUser' });
    const html = sesMock.commandCalls(SendEmailCommand)[0]?.args[0].input.Message?.Body?.Text?.Data;
    expect(html).toContain(SAMPLE_CODES.temporaryPassword);
  });

  it('refuses without a recipient, and sends nothing', async () => {
    for (const to of [undefined, '', '   ']) expect(await refusal({ to })).toBe(NO_RECIPIENT_MESSAGE);
    expect(sent()).toBe(0);
  });

  it('refuses a recipient that is neither an address nor an E.164 number', async () => {
    for (const to of ['alice', 'alice@localhost', '+1 415 555 0123', '004915123456789']) {
      expect(await refusal({ to })).toMatch(/is neither an email address nor an E\.164 phone number/);
    }
    expect(sent()).toBe(0);
  });

  it('refuses an unknown source, locale or brand, listing the ones that exist', async () => {
    expect(await refusal({ source: 'SignIn' })).toContain('choose one of SignUp, ResendCode');
    // CustomSMSSender never sends the take-over notice.
    const takeOver = await refusal({ to: '+14155550123', source: 'AccountTakeOverNotification' });
    expect(takeOver).toMatch(/not a source CustomSMSSender sends; choose one of SignUp.*Authentication$/);
    expect(await refusal({ locale: 'xx' })).toContain(`choose one of ${[...pack.locales.keys()].join(', ')}`);
    expect(await refusal({ brand: 'nobody' })).toContain(`choose one of ${[...pack.brands.keys()].join(', ')}`);
    expect(sent()).toBe(0);
  });

  it('asks for EMAIL_FROM when the brand sets no From, and for a valid one', async () => {
    expect(await refusal({ pack: withoutFrom(pack), env: {} })).toMatch(/sets no email\.from; set EMAIL_FROM/);
    const badFrom = await refusal({ pack: withoutFrom(pack), env: { EMAIL_FROM: 'not an address' } });
    expect(badFrom).toContain('EMAIL_FROM');
    expect(sent()).toBe(0);
  });

  it('asks for a region when it builds the client itself', async () => {
    expect(await refusal({ ses: undefined, env: ENV })).toBe(
      'send-test needs a region: give --region or set AWS_REGION',
    );
  });

  it('refuses message mode', async () => {
    expect(await refusal({ mode: 'message' as 'sender' })).toContain('--mode sender');
  });

  it('refuses a message that fails its checks, naming the failure, and sends nothing', async () => {
    const dir = copyTemplates();
    const brand = BRANDS[0] ?? '';
    writeFileSync(join(dir, 'brands', brand, 'signUp.sms.hbs'), '{{brand.productName}}: welcome');
    const message = await refusal({ pack: loadPack(dir), to: '+14155550123', brand });
    expect(message).toMatch(
      /^the SMS SignUp for .+ fails its checks, so send-test did not send it: Placeholders present: /,
    );
    expect(sent()).toBe(0);
  });

  it('reports a delivery SES refuses as a UsageError', async () => {
    sesMock
      .on(SendEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    expect(await refusal({})).toMatch(/^send-test could not send: SES SendEmail failed: .*MessageRejected/);
  });
});
