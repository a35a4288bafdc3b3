/** The library API: typed factories over the same runtime and the same checks as the deployed functions. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import {
  ConfigurationError,
  createCustomMessageHandler,
  createEmailSenderHandler,
  createSmsSenderHandler,
  type TemplatePack,
} from '../../src/library/index.js';
import type { OutgoingEmail } from '../../src/runtime/delivery/ses-delivery.js';
import { customMessageEvent, senderEvent } from '../support/events.js';
import { memoryStore } from '../support/memory-store.js';

const pack = loadPack('templates');
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';
const silent = () => {};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createCustomMessageHandler', () => {
  it('answers a CustomMessage event with the options given', async () => {
    const handler = createCustomMessageHandler({ pack, defaultBrand: 'northwind', writeLog: silent });
    const { response } = await handler(customMessageEvent('CustomMessage_ForgotPassword'));
    expect(response.emailSubject).toContain('Northwind');
    expect(response.smsMessage).toContain('{####}');
  });

  it('fails at cold start naming the option, not the environment variable', () => {
    expect(() => createCustomMessageHandler({ pack, defaultLocale: 'klingon' })).toThrow(
      /^Option defaultLocale is "klingon", which is not a shipped locale/,
    );
    expect(() => createCustomMessageHandler({ pack, brandByClientId: { client1: 'nope' } })).toThrow(
      /^Option brandByClientId names brand "nope"/,
    );
    expect(() => createCustomMessageHandler({ pack: undefined as unknown as TemplatePack })).toThrow(
      ConfigurationError,
    );
  });

  it('takes maps and lists as the typed values they are', async () => {
    const handler = createCustomMessageHandler({
      pack,
      brandByClientId: { 'client-a': ['northwind'] },
      unmappedClientBrandChoice: 'default',
      writeLog: silent,
    });
    const event = customMessageEvent('CustomMessage_SignUp', { clientId: 'client-a' });
    expect((await handler(event)).response.emailSubject).toContain('Northwind');
  });
});

describe('the sender factories', () => {
  const decrypter = { decrypt: async () => '482910' };

  it('send through the delivery given, with the decrypter given', async () => {
    const sent: OutgoingEmail[] = [];
    const handler = createEmailSenderHandler({
      pack,
      kmsKeyArns: [KEY],
      emailFrom: 'Acme <no-reply@example.com>',
      decrypter,
      delivery: {
        send: async (email) => {
          sent.push(email);
          return { messageId: 'm-1' };
        },
      },
      writeLog: silent,
    });
    await handler(senderEvent('CustomEmailSender_ForgotPassword', 'AA=='));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.text).toContain('482910');
  });

  it('name the missing or malformed option', () => {
    expect(() => createSmsSenderHandler({ pack, kmsKeyArns: [] })).toThrow(/^Option kmsKeyArns is required$/);
    expect(() => createEmailSenderHandler({ pack, kmsKeyArns: [KEY] })).toThrow(/^Option emailFrom is required$/);
    expect(() => createSmsSenderHandler({ pack, kmsKeyArns: ['alias/codes'] })).toThrow(
      /^Option kmsKeyArns has "alias\/codes"; give full key ARNs/,
    );
  });

  it('send once per request through the store given with idempotencyTable, and apply the limits', async () => {
    let sends = 0;
    const store = memoryStore();
    const handler = createSmsSenderHandler({
      pack,
      kmsKeyArns: [KEY],
      decrypter,
      delivery: { send: async () => ({ messageId: `m-${++sends}` }) },
      idempotencyTable: 'ctp-idempotency',
      store,
      smsLimitPerNumberPerHour: 1,
      smsAllowedCountries: ['US'],
      writeLog: silent,
    });
    const event = senderEvent('CustomSMSSender_SignUp', 'AA==');
    await handler(event);
    await handler(event);
    expect(sends).toBe(1);
    await expect(handler(senderEvent('CustomSMSSender_SignUp', 'BB=='))).rejects.toMatchObject({
      name: 'SendLimitError',
      rule: 'sms-per-number',
    });
    expect(sends).toBe(1);
  });

  it("build their own DynamoDB client from the process's AWS_REGION when no store is given", () => {
    const base = { pack, kmsKeyArns: [KEY], idempotencyTable: 'ctp-idempotency' };
    vi.stubEnv('AWS_REGION', 'eu-west-3');
    expect(typeof createEmailSenderHandler({ ...base, emailFrom: 'a@example.com' })).toBe('function');
    vi.stubEnv('AWS_REGION', '');
    vi.stubEnv('AWS_DEFAULT_REGION', '');
    expect(() => createSmsSenderHandler(base)).toThrow(
      /^Environment variable AWS_REGION is required with IDEMPOTENCY_TABLE/,
    );
  });

  it('name the malformed idempotency and limit options', () => {
    const base = { pack, kmsKeyArns: [KEY] };
    expect(() =>
      createSmsSenderHandler({ ...base, idempotencyTable: 't1', idempotencyStoreFailure: 'maybe' as 'fail' }),
    ).toThrow(/^Option idempotencyStoreFailure is "maybe"; use send, fail$/);
    expect(() => createSmsSenderHandler({ ...base, smsLimitPerNumberPerHour: 0 })).toThrow(
      /^Option smsLimitPerNumberPerHour is "0"/,
    );
    expect(() => createSmsSenderHandler({ ...base, smsAllowedCountries: ['Narnia'] })).toThrow(
      /^Option smsAllowedCountries has "NARNIA"/,
    );
    expect(() => createSmsSenderHandler({ ...base, idempotencyTable: 't1', functionTimeoutSeconds: 1.5 })).toThrow(
      /^Option functionTimeoutSeconds is a number/,
    );
  });
});
