import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DeliveryError,
  DeliveryInProgressError,
  IdempotencyStoreError,
  SendLimitError,
} from '../../../src/runtime/errors.js';
import type { SenderRequest } from '../../../src/runtime/event/cognito-event.js';
import {
  DONE_RECORD_SECONDS,
  deliverIdempotently,
  type Idempotency,
  messageKey,
  readIdempotencySettings,
} from '../../../src/runtime/sender-mode/idempotency.js';
import { readSendLimits } from '../../../src/runtime/sender-mode/send-limits.js';
import { memoryLogger } from '../../support/memory-log.js';
import { type MemoryStore, memoryStore } from '../../support/memory-store.js';

const request: SenderRequest = {
  type: 'customSMSSenderRequestV1',
  triggerSource: 'CustomSMSSender_SignUp',
  userPoolId: 'us-east-1_Example1',
  userName: 'alice',
  clientId: undefined,
  userAttributes: { phone_number: '+14155550123' },
  clientMetadata: null,
  code: 'AYADeJ0ciphertext',
};

const NOW = 1_800_000_000_000;

function setup(options: { storeFailure?: 'send' | 'fail'; limits?: Record<string, string> } = {}) {
  const store = memoryStore();
  const { log, entries } = memoryLogger();
  const idempotency: Idempotency = {
    store,
    settings: { tableName: 'table', storeFailure: options.storeFailure ?? 'send', claimSeconds: 10 },
    limits: readSendLimits(options.limits ?? {}),
    now: () => NOW,
  };
  let sends = 0;
  const attempt = (
    send: () => Promise<{ messageId: string }> = async () => ({ messageId: `m${++sends}` }),
    forRequest: SenderRequest = request,
  ) =>
    deliverIdempotently(idempotency, {
      request: forRequest,
      recipient: { channel: 'sms', phoneNumber: '+14155550123' },
      log,
      remainingMs: undefined,
      send,
    });
  return { store, entries, attempt, sent: () => sends };
}

const record = (store: MemoryStore) => store.records.get(messageKey(request));

describe('readIdempotencySettings', () => {
  it('is null without IDEMPOTENCY_TABLE, and sends on store failure with a 10 s claim by default', () => {
    expect(readIdempotencySettings({})).toBeNull();
    expect(readIdempotencySettings({ IDEMPOTENCY_TABLE: 'ctp-prod-idempotency' })).toEqual({
      tableName: 'ctp-prod-idempotency',
      storeFailure: 'send',
      claimSeconds: 10,
    });
  });

  it('reads IDEMPOTENCY_STORE_FAILURE and the function timeout Lambda sets', () => {
    expect(
      readIdempotencySettings({
        IDEMPOTENCY_TABLE: 'tbl',
        IDEMPOTENCY_STORE_FAILURE: 'FAIL',
        AWS_LAMBDA_FUNCTION_TIMEOUT: '30',
      }),
    ).toMatchObject({ storeFailure: 'fail', claimSeconds: 30 });
  });

  it.each([
    ['IDEMPOTENCY_STORE_FAILURE', 'retry'],
    ['AWS_LAMBDA_FUNCTION_TIMEOUT', '0'],
    ['AWS_LAMBDA_FUNCTION_TIMEOUT', 'ten'],
    ['IDEMPOTENCY_TABLE', 'a table'],
  ])('names %s when it is %s', (name, value) => {
    const env = { IDEMPOTENCY_TABLE: 'tbl', [name]: value };
    expect(() => readIdempotencySettings(env)).toThrow(ConfigurationError);
    expect(() => readIdempotencySettings(env)).toThrow(`Environment variable ${name}`);
  });
});

describe('messageKey', () => {
  it('is a SHA-256 of source, pool, user and ciphertext, with none of them in it', () => {
    const key = messageKey(request);
    expect(key).toMatch(/^message#[0-9a-f]{64}$/);
    expect(messageKey({ ...request })).toBe(key);
    for (const change of [
      { code: 'AYADother' },
      { userName: 'bob' },
      { userPoolId: 'us-east-1_Other' },
      { triggerSource: 'CustomSMSSender_ResendCode' },
    ]) {
      expect(messageKey({ ...request, ...change })).not.toBe(key);
    }
  });

  it("keys an account take-over notice, which has no code, by Cognito's EVENT_ID", () => {
    const notice = { ...request, code: null, userAttributes: { EVENT_ID: 'e1' } };
    expect(messageKey(notice)).not.toBe(messageKey({ ...notice, userAttributes: { EVENT_ID: 'e2' } }));
  });
});

describe('deliverIdempotently', () => {
  it('sends once, marks the record done with the message id for 15 days, and logs a repeat as duplicate', async () => {
    const { store, entries, attempt, sent } = setup();
    await attempt();
    await attempt();
    expect(sent()).toBe(1);
    expect(record(store)).toMatchObject({
      status: 'done',
      messageId: 'm1',
      expiresAt: NOW / 1000 + DONE_RECORD_SECONDS,
    });
    expect(entries().map((entry) => entry.outcome)).toEqual(['sent', 'duplicate']);
    expect(entries()[1]).toMatchObject({ messageId: 'm1' });
  });

  it('fails retryably and sends nothing while another invocation holds the claim', async () => {
    const { store, attempt, sent } = setup();
    store.records.set(messageKey(request), {
      status: 'in-progress',
      owner: 'other',
      inProgressUntil: NOW + 5_000,
      expiresAt: NOW / 1000 + 3605,
    });
    await expect(attempt()).rejects.toBeInstanceOf(DeliveryInProgressError);
    expect(sent()).toBe(0);
  });

  it('takes over a claim that has expired, and a done record past its TTL that the sweep has not removed', async () => {
    const { store, attempt, sent } = setup();
    const key = messageKey(request);
    store.records.set(key, {
      status: 'in-progress',
      owner: 'x',
      inProgressUntil: NOW - 1,
      expiresAt: NOW / 1000 + 3599,
    });
    await attempt();
    store.records.set(key, { status: 'done', owner: 'x', messageId: 'old', expiresAt: NOW / 1000 - 1 });
    await attempt();
    expect(sent()).toBe(2);
  });

  it('releases the claim when nothing was sent, so the retry sends', async () => {
    const { store, attempt, sent } = setup();
    const refused = new DeliveryError('SES SendEmail failed: Throttling (HTTP 400)', { nothingSent: true });
    await expect(attempt(() => Promise.reject(refused))).rejects.toBe(refused);
    expect(record(store)).toBeUndefined();
    await attempt();
    expect(sent()).toBe(1);
  });

  it('gives back the counts of a send that sent nothing, so throttled attempts and their retry count once', async () => {
    const { store, attempt, sent } = setup({ limits: { SMS_LIMIT_PER_NUMBER_PER_HOUR: '2' } });
    const refused = new DeliveryError('SNS Publish failed: Throttling (HTTP 400)', { nothingSent: true });
    for (let tries = 0; tries < 4; tries += 1) {
      await expect(attempt(() => Promise.reject(refused))).rejects.toBe(refused);
    }
    expect([...store.counters.values()]).toEqual([0]);
    await attempt();
    await attempt(undefined, { ...request, code: 'AYADsecond' });
    expect(sent()).toBe(2);
    expect([...store.counters.values()]).toEqual([2]);
  });

  it('keeps the counts when the outcome is unknown: the message may be out', async () => {
    const { store, attempt } = setup();
    await expect(
      attempt(() => Promise.reject(new DeliveryError('SNS Publish failed: TimeoutError'))),
    ).rejects.toThrow();
    expect([...store.counters.values()]).toEqual([1]);
    expect(store.calls).not.toContain('decrement');
  });

  it('keeps the claim when the outcome is unknown: a retry within it fails, one after it sends', async () => {
    const { store, attempt, sent } = setup();
    const unknown = new DeliveryError('SES SendEmail failed: TimeoutError');
    await expect(attempt(() => Promise.reject(unknown))).rejects.toBe(unknown);
    expect(record(store)).toMatchObject({ status: 'in-progress', inProgressUntil: NOW + 10_000 });
    await expect(attempt()).rejects.toBeInstanceOf(DeliveryInProgressError);
    expect(sent()).toBe(0);
  });

  it('does not fail the invocation when the done mark fails after the send', async () => {
    const { store, entries, attempt, sent } = setup();
    store.fail('markDone');
    await attempt();
    expect(sent()).toBe(1);
    expect(entries().map((entry) => entry.store ?? entry.outcome)).toEqual(['sent', 'unavailable']);
  });

  it('sends without the table when it is down, logging it, and counts nothing', async () => {
    const { store, entries, attempt, sent } = setup();
    store.fail('claim');
    await attempt();
    expect(sent()).toBe(1);
    expect(store.calls).toEqual(['claim']);
    expect(entries()[0]).toMatchObject({ level: 'warn', store: 'unavailable', errorName: 'IdempotencyStoreError' });
  });

  it('fails with IdempotencyStoreError and sends nothing when the table is down under IDEMPOTENCY_STORE_FAILURE=fail', async () => {
    const { store, attempt, sent } = setup({ storeFailure: 'fail' });
    store.fail('claim');
    await expect(attempt()).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(sent()).toBe(0);
  });

  it('sends when only the counters fail under the default, and fails under fail', async () => {
    const lenient = setup();
    lenient.store.fail('increment');
    await lenient.attempt();
    expect(lenient.sent()).toBe(1);
    const strict = setup({ storeFailure: 'fail' });
    strict.store.fail('increment');
    await expect(strict.attempt()).rejects.toBeInstanceOf(IdempotencyStoreError);
    expect(record(strict.store)).toBeUndefined();
  });

  it('releases the claim when a limit refuses, so a later hour may send', async () => {
    const { store, attempt, sent } = setup({ limits: { SMS_LIMIT_PER_NUMBER_PER_HOUR: '1' } });
    await attempt();
    const second = { ...request, code: 'AYADsecond' };
    await expect(attempt(undefined, second)).rejects.toBeInstanceOf(SendLimitError);
    expect(sent()).toBe(1);
    expect(store.records.has(messageKey(second))).toBe(false);
  });
});
