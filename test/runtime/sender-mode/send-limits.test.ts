import { describe, expect, it } from 'vitest';
import { ConfigurationError, IdempotencyStoreError, SendLimitError } from '../../../src/runtime/errors.js';
import {
  checkSmsCountry,
  countAgainstLimits,
  readSendLimits,
  type SendLimits,
  takeBackCounts,
} from '../../../src/runtime/sender-mode/send-limits.js';
import { memoryStore } from '../../support/memory-store.js';

const HOUR = 3_600_000;

describe('readSendLimits', () => {
  it('defaults to 5 SMS per number and 5 emails per address an hour, no country limit, any country', () => {
    expect(readSendLimits({})).toEqual({
      smsAllowedCountries: null,
      smsPerNumberPerHour: 5,
      smsPerCountryPerHour: null,
      emailPerAddressPerHour: 5,
    });
  });

  it('reads each variable, and off turns a limit off', () => {
    const limits = readSendLimits({
      SMS_ALLOWED_COUNTRIES: 'us, ca,fr',
      SMS_LIMIT_PER_NUMBER_PER_HOUR: '3',
      SMS_LIMIT_PER_COUNTRY_PER_HOUR: '1000',
      EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: 'OFF',
    });
    expect([...(limits.smsAllowedCountries ?? [])]).toEqual(['US', 'CA', 'FR']);
    expect(limits.smsPerNumberPerHour).toBe(3);
    expect(limits.smsPerCountryPerHour).toBe(1000);
    expect(limits.emailPerAddressPerHour).toBeNull();
  });

  it.each([
    ['SMS_LIMIT_PER_NUMBER_PER_HOUR', '0'],
    ['SMS_LIMIT_PER_COUNTRY_PER_HOUR', '-1'],
    ['EMAIL_LIMIT_PER_ADDRESS_PER_HOUR', 'five'],
    ['SMS_ALLOWED_COUNTRIES', 'US,XX'],
    ['SMS_ALLOWED_COUNTRIES', 'France'],
  ])('names %s when it is %s', (name, value) => {
    expect(() => readSendLimits({ [name]: value })).toThrow(ConfigurationError);
    expect(() => readSendLimits({ [name]: value })).toThrow(`Environment variable ${name}`);
  });
});

describe('checkSmsCountry', () => {
  const limits: SendLimits = { ...readSendLimits({}), smsAllowedCountries: new Set(['US', 'CA']) };

  it('lets a listed country through, and anything without a list', () => {
    expect(() => checkSmsCountry(limits, '+14155550123')).not.toThrow();
    expect(() => checkSmsCountry(readSendLimits({}), '+8816123456')).not.toThrow();
  });

  it('refuses any other country with the rule and the masked number', () => {
    const error = (() => {
      try {
        checkSmsCountry(limits, '+33612345678');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SendLimitError);
    expect((error as SendLimitError).rule).toBe('sms-country-not-allowed');
    expect((error as SendLimitError).message).toContain('+*******5678');
    expect((error as SendLimitError).message).not.toContain('612345678');
    expect(() => checkSmsCountry(limits, '+8816123456')).toThrow(/no country is not in SMS_ALLOWED_COUNTRIES/);
  });
});

describe('countAgainstLimits', () => {
  const limits = readSendLimits({ SMS_LIMIT_PER_NUMBER_PER_HOUR: '2', SMS_LIMIT_PER_COUNTRY_PER_HOUR: '3' });
  const sms = (phoneNumber: string) => ({ channel: 'sms', phoneNumber }) as const;

  it('refuses past the per-number limit within one hour, and counts again in the next', async () => {
    const store = memoryStore();
    const now = 100 * HOUR + 10;
    await countAgainstLimits(store, limits, sms('+14155550123'), now);
    await countAgainstLimits(store, limits, sms('+14155550123'), now);
    await expect(countAgainstLimits(store, limits, sms('+14155550123'), now)).rejects.toMatchObject({
      name: 'SendLimitError',
      rule: 'sms-per-number',
    });
    await countAgainstLimits(store, limits, sms('+14155550123'), now + HOUR);
  });

  it('refuses past the per-country limit across numbers', async () => {
    const store = memoryStore();
    for (const last of ['1', '2', '3']) await countAgainstLimits(store, limits, sms(`+3361234567${last}`), 0);
    await expect(countAgainstLimits(store, limits, sms('+33612345674'), 0)).rejects.toMatchObject({
      rule: 'sms-per-country',
    });
    await countAgainstLimits(store, limits, sms('+14155550123'), 0);
  });

  it('takes back the counts it added when a later limit refuses, or when the table fails midway', async () => {
    const store = memoryStore();
    for (const last of ['1', '2', '3']) await countAgainstLimits(store, limits, sms(`+3361234567${last}`), 0);
    await expect(countAgainstLimits(store, limits, sms('+33612345674'), 0)).rejects.toMatchObject({
      rule: 'sms-per-country',
    });
    // The refused number's own counter was added, then given back.
    expect([...store.counters.values()].sort()).toEqual([0, 1, 1, 1, 3]);

    const failing = memoryStore();
    let increments = 0;
    const flaky = {
      ...failing,
      increment: async (key: string, limit: number, expiresAt: number) => {
        increments += 1;
        if (increments === 2) throw new IdempotencyStoreError('DynamoDB UpdateItem failed: TimeoutError');
        return failing.increment(key, limit, expiresAt);
      },
    };
    await expect(countAgainstLimits(flaky, limits, sms('+14155550123'), 0)).rejects.toBeInstanceOf(
      IdempotencyStoreError,
    );
    expect([...failing.counters.values()]).toEqual([0]);
  });

  it('returns the counters it added, for the give-back of a message that is not sent', async () => {
    const store = memoryStore();
    const counted = await countAgainstLimits(store, limits, sms('+14155550123'), 0);
    expect(counted).toEqual([
      expect.stringMatching(/^limit#sms-per-number#[0-9a-f]{64}#0$/),
      'limit#sms-per-country#US/CA#0',
    ]);
    await takeBackCounts(store, counted);
    expect([...store.counters.values()]).toEqual([0, 0]);
  });

  it('counts an address whatever its case, and keys counters by hash, never by the address', async () => {
    const store = memoryStore();
    const email = readSendLimits({ EMAIL_LIMIT_PER_ADDRESS_PER_HOUR: '1' });
    await countAgainstLimits(store, email, { channel: 'email', address: 'Alice@Example.com' }, 0);
    await expect(
      countAgainstLimits(store, email, { channel: 'email', address: 'alice@example.com' }, 0),
    ).rejects.toMatchObject({ rule: 'email-per-address', message: expect.stringContaining('a***@e***.com') });
    expect([...store.counters.keys()]).toEqual([expect.stringMatching(/^limit#email-per-address#[0-9a-f]{64}#0$/)]);
  });

  it('counts nothing for a limit that is off', async () => {
    const store = memoryStore();
    await countAgainstLimits(store, readSendLimits({ SMS_LIMIT_PER_NUMBER_PER_HOUR: 'off' }), sms('+14155550123'), 0);
    expect(store.calls).toEqual([]);
  });
});
