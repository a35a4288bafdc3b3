/**
 * Idempotent delivery and the abuse limits against moto's DynamoDB, KMS, SES
 * and SNS (docs/idempotency.md): the built bundles in their own processes,
 * as Lambda runs them, and the handlers in this process where a test needs
 * a clock, a throttling SES or a crash between the send and the done mark.
 */
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryStore } from '../../src/runtime/delivery/dynamodb-store.js';
import { senderEvent } from '../support/events.js';
import {
  createIdempotencyTable,
  inProcessEmailSender,
  inProcessSmsSender,
  motoSes,
  outcomeOf,
  tableItems,
} from '../support/idempotency-moto.js';
import { type MotoBundles, startMotoBundles } from '../support/moto-bundles.js';

let bundles: MotoBundles;
let tableName: string;
/** Every log line of the in-process handlers, for the leak check at the end. */
const logLines: string[] = [];

beforeAll(async () => {
  bundles = await startMotoBundles(['no-reply@example.com']);
});

afterAll(async () => {
  await bundles?.stop();
  expect(logLines.length).toBeGreaterThan(0);
  // Codes never, addresses and numbers only masked.
  expect(logLines.join('\n')).not.toMatch(/135790|246801|alice@|4155550199/);
});

beforeEach(async () => {
  await bundles.reset();
  tableName = await createIdempotencyTable(bundles.moto.url);
});

const EMAIL = resolve('dist', 'custom-email-sender.js');
const SMS = resolve('dist', 'custom-sms-sender.js');

const emailEvent = async (code = '135790', email = 'alice@example.com') =>
  senderEvent('CustomEmailSender_SignUp', await bundles.encrypt(code), {
    userAttributes: { email, email_verified: 'false' },
  });

const smsEvent = async (phone: string, code = '246801') =>
  senderEvent('CustomSMSSender_SignUp', await bundles.encrypt(code), {
    userAttributes: { phone_number: phone, phone_number_verified: 'false' },
  });

const sentEmails = async () => (await bundles.moto.sentEmails()).length;
const sentSms = async () => (await bundles.moto.sentSms()).length;
const withTable = (env: Record<string, string> = {}) => ({ IDEMPOTENCY_TABLE: tableName, ...env });
const errors = (outcomes: Array<{ ok: boolean; error?: string }>) => outcomes.map((o) => o.error ?? 'ok');

/** A port nothing listens on: the store that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 1;
}

describe('idempotent delivery, built bundles against moto', () => {
  it('sends one email for the same event delivered three times in a row, and marks it done', async () => {
    const event = await emailEvent();
    const outcomes = await bundles.invoke(EMAIL, [event, event, event], withTable({ LOG_LEVEL: 'info' }));
    expect(errors(outcomes)).toEqual(['ok', 'ok', 'ok']);
    expect(await sentEmails()).toBe(1);
    const items = await tableItems(bundles.moto.url, tableName);
    const record = items.find((item) => item.pk?.S?.startsWith('message#'));
    expect(record?.status?.S).toBe('done');
    expect(record?.messageId?.S).toBe((await bundles.moto.sentEmails())[0]?.id);
    expect(Number(record?.expiresAt?.N)).toBeGreaterThan(Date.now() / 1000 + 14 * 24 * 3600);
    // Only hashes are stored: no code, ciphertext or address.
    for (const item of items) {
      expect(item.pk?.S).toMatch(/^(message#[0-9a-f]{64}|limit#email-per-address#[0-9a-f]{64}#\d+)$/);
    }
    expect(JSON.stringify(items)).not.toMatch(/135790|alice|example\.com|AYAD/);
  });

  it('sends one email for the same event in ten processes at once; the others are duplicates or retryable', async () => {
    const event = await emailEvent();
    const runs = await Promise.all(Array.from({ length: 10 }, () => bundles.invoke(EMAIL, [event], withTable())));
    const outcomes = runs.flat().map((o) => o.error ?? 'ok');
    expect(await sentEmails()).toBe(1);
    for (const outcome of outcomes) expect(outcome).toMatch(/^(ok|DeliveryInProgressError: )/);
    expect(outcomes).toContain('ok');
  });

  it('replays of an event the failure queue kept, but that was delivered, send nothing', async () => {
    const event = await emailEvent();
    await bundles.invoke(EMAIL, [event], withTable());
    expect(await sentEmails()).toBe(1);
    // replay-failures invokes the recorded requestPayload again, in a new container.
    const replayed = await bundles.invoke(EMAIL, [structuredClone(event), structuredClone(event)], withTable());
    expect(errors(replayed)).toEqual(['ok', 'ok']);
    expect(await sentEmails()).toBe(1);
  });

  it('sends twice for two Cognito requests for the same user (two ciphertexts of one code)', async () => {
    const outcomes = await bundles.invoke(EMAIL, [await emailEvent('112233'), await emailEvent('112233')], withTable());
    expect(errors(outcomes)).toEqual(['ok', 'ok']);
    expect(await sentEmails()).toBe(2);
  });

  it('sends anyway when the table is down, and refuses under IDEMPOTENCY_STORE_FAILURE=fail', async () => {
    const down = { AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${await closedPort()}` };
    const event = await emailEvent();
    expect(errors(await bundles.invoke(EMAIL, [event], withTable(down)))).toEqual(['ok']);
    expect(await sentEmails()).toBe(1);

    const refused = await bundles.invoke(
      EMAIL,
      [await emailEvent('445566')],
      withTable({ ...down, IDEMPOTENCY_STORE_FAILURE: 'fail' }),
    );
    expect(errors(refused)[0]).toMatch(/^IdempotencyStoreError: DynamoDB PutItem on the idempotency table failed/);
    expect(await sentEmails()).toBe(1);
  });

  it('fails at cold start naming a malformed variable', async () => {
    const event = await emailEvent();
    await expect(bundles.invoke(EMAIL, [event], withTable({ IDEMPOTENCY_STORE_FAILURE: 'maybe' }))).rejects.toThrow(
      /ConfigurationError: Environment variable IDEMPOTENCY_STORE_FAILURE is "maybe"; use send, fail/,
    );
    await expect(bundles.invoke(SMS, [event], { SMS_ALLOWED_COUNTRIES: 'US,Mars' })).rejects.toThrow(
      /Environment variable SMS_ALLOWED_COUNTRIES has "MARS"/,
    );
    expect(await sentEmails()).toBe(0);
  });

  it('runs as before without IDEMPOTENCY_TABLE: every repeat sends', async () => {
    const event = await emailEvent();
    await bundles.invoke(EMAIL, [event, event]);
    expect(await sentEmails()).toBe(2);
  });
});

describe('abuse limits, built bundles against moto', () => {
  it('refuses the 6th SMS to one number within the hour, sending nothing', async () => {
    const events = await Promise.all(Array.from({ length: 6 }, (_, i) => smsEvent('+14155550123', `80000${i}`)));
    const outcomes = errors(await bundles.invoke(SMS, events, withTable()));
    expect(outcomes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes[5]).toMatch(/^SendLimitError: SMS to \+\*+0123 refused: sms-per-number allows 5 an hour/);
    expect(await sentSms()).toBe(5);
  });

  it('refuses an SMS to a country outside SMS_ALLOWED_COUNTRIES, and to a Caribbean +1 number under US,CA', async () => {
    const env = withTable({ SMS_ALLOWED_COUNTRIES: 'US,CA' });
    const outcomes = errors(
      await bundles.invoke(SMS, [await smsEvent('+33612345678'), await smsEvent('+18765550123')], env),
    );
    expect(outcomes[0]).toMatch(/^SendLimitError: SMS to \+\*+5678 refused: FR is not in SMS_ALLOWED_COUNTRIES/);
    expect(outcomes[1]).toMatch(/^SendLimitError: .* JM is not in SMS_ALLOWED_COUNTRIES/);
    expect(await sentSms()).toBe(0);
    expect(errors(await bundles.invoke(SMS, [await smsEvent('+14155550123')], env))).toEqual(['ok']);
  });

  it('refuses the 6th email to one address within the hour', async () => {
    const events = await Promise.all(Array.from({ length: 6 }, (_, i) => emailEvent(`90000${i}`, 'Bob@Example.com')));
    const outcomes = errors(await bundles.invoke(EMAIL, events, withTable()));
    expect(outcomes[5]).toMatch(/^SendLimitError: email to B\*\*\*@E\*\*\*\.com refused: email-per-address/);
    expect(await sentEmails()).toBe(5);
  });
});

describe('idempotent delivery in process against moto', () => {
  it('sends one email for ten concurrent invocations of one container', async () => {
    const handler = inProcessEmailSender(bundles, { tableName, logLines });
    const event = await emailEvent();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => outcomeOf(handler, event)));
    expect(await sentEmails()).toBe(1);
    // They overlap: the first claim is still in progress when the others try.
    expect(outcomes.filter((o) => o === 'ok').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o.startsWith('DeliveryInProgressError: ')).length).toBeGreaterThanOrEqual(1);
    for (const outcome of outcomes) expect(outcome).toMatch(/^(ok|DeliveryInProgressError: )/);
  });

  it('sends one email when SES throttles the first invocation and Lambda retries it', async () => {
    const ses = motoSes(bundles.moto.url);
    let throttled = 0;
    ses.middlewareStack.add(
      (next) => async (args) => {
        // Every attempt of the first invocation: the SDK's three, then Lambda's retry gets through.
        if (throttled < 3) {
          throttled += 1;
          throw Object.assign(new Error('Maximum sending rate exceeded.'), {
            name: 'Throttling',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'throttleFirstAttempts' },
    );
    const handler = inProcessEmailSender(bundles, { tableName, ses, logLines });
    const event = await emailEvent();
    expect(await outcomeOf(handler, event)).toMatch(/^DeliveryError: SES SendEmail failed: Throttling/);
    expect(throttled).toBe(3);
    // The claim was released and the count given back: nothing went out.
    const counter = (await tableItems(bundles.moto.url, tableName)).map((item) => item.sent?.N);
    expect(counter).toEqual(['0']);
    expect(await outcomeOf(handler, event)).toBe('ok');
    expect(await outcomeOf(handler, event)).toBe('ok');
    expect(await sentEmails()).toBe(1);
    const items = await tableItems(bundles.moto.url, tableName);
    expect(items.filter((item) => item.pk?.S?.startsWith('limit#')).map((item) => item.sent?.N)).toEqual(['1']);
  });

  it('after a crash between the send and the done mark: retries fail while the claim lives, then send again', async () => {
    let now = Date.now();
    const crashing = (store: DeliveryStore): DeliveryStore => ({
      ...store,
      // The process dies here: the done mark is never written.
      markDone: () => new Promise<void>(() => {}),
    });
    const event = await emailEvent();
    const first = inProcessEmailSender(bundles, { tableName, store: crashing, now: () => now, logLines });
    void first(event);
    await waitFor(async () => (await sentEmails()) === 1);

    const retry = inProcessEmailSender(bundles, { tableName, now: () => now, logLines });
    expect(await outcomeOf(retry, event)).toMatch(/^DeliveryInProgressError: /);
    expect(await sentEmails()).toBe(1);
    // Lambda's retries come a minute or more later, past the claim's 10 s: the code goes out again.
    now += 60_000;
    expect(await outcomeOf(retry, event)).toBe('ok');
    expect(await sentEmails()).toBe(2);
    expect(await outcomeOf(retry, event)).toBe('ok');
    expect(await sentEmails()).toBe(2);
  });

  it('holds a claim for the time Lambda says is left', async () => {
    let now = Date.now();
    const event = await smsEvent('+14155550199');
    const crashing = (store: DeliveryStore): DeliveryStore => ({
      ...store,
      markDone: () => new Promise<void>(() => {}),
    });
    const first = inProcessSmsSender(bundles, { tableName, store: crashing, now: () => now, logLines });
    void first(event, { getRemainingTimeInMillis: () => 30_000 });
    await waitFor(async () => (await sentSms()) === 1);
    const retry = inProcessSmsSender(bundles, { tableName, now: () => now, logLines });
    now += 20_000;
    expect(await outcomeOf(retry, event)).toMatch(/^DeliveryInProgressError: /);
    now += 15_000;
    expect(await outcomeOf(retry, event)).toBe('ok');
    expect(await sentSms()).toBe(2);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((done) => setTimeout(done, 50));
  }
}
