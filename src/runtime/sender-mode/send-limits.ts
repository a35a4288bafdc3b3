/**
 * Abuse limits (docs/idempotency.md): SMS only to allowed countries, at most
 * so many SMS per number and per country, and emails per address, each hour.
 * The counters live in the idempotency table, one item per limit and hour,
 * incremented with a conditional ADD that never passes the limit. A refused
 * message sends nothing and throws SendLimitError.
 */
import { createHash } from 'node:crypto';
import { type Env, listEnv, optionalEnv } from '../config.js';
import type { DeliveryStore } from '../delivery/dynamodb-store.js';
import { ConfigurationError, SendLimitError, type SendLimitRule } from '../errors.js';
import { maskEmail, maskPhone } from '../log.js';
import { countryAllowed, countryOfNumber, KNOWN_COUNTRIES } from './calling-codes.js';

export interface SendLimits {
  /** ISO codes an SMS may go to; null: any country. */
  smsAllowedCountries: ReadonlySet<string> | null;
  smsPerNumberPerHour: number | null;
  smsPerCountryPerHour: number | null;
  emailPerAddressPerHour: number | null;
}

export type Recipient = { channel: 'sms'; phoneNumber: string } | { channel: 'email'; address: string };

const HOUR_MS = 3_600_000;

/**
 * Reads `SMS_ALLOWED_COUNTRIES`, `SMS_LIMIT_PER_NUMBER_PER_HOUR` (5),
 * `SMS_LIMIT_PER_COUNTRY_PER_HOUR` (none) and
 * `EMAIL_LIMIT_PER_ADDRESS_PER_HOUR` (5); `off` turns a limit off.
 */
export function readSendLimits(env: Env): SendLimits {
  const countries = listEnv(env, 'SMS_ALLOWED_COUNTRIES').map((country) => country.toUpperCase());
  for (const country of countries) {
    if (!KNOWN_COUNTRIES.has(country)) {
      throw new ConfigurationError(
        `Environment variable SMS_ALLOWED_COUNTRIES has "${country}", which is not an ISO 3166-1 alpha-2 code with a calling code`,
      );
    }
  }
  return {
    smsAllowedCountries: countries.length > 0 ? new Set(countries) : null,
    smsPerNumberPerHour: hourlyLimit(env, 'SMS_LIMIT_PER_NUMBER_PER_HOUR', 5),
    smsPerCountryPerHour: hourlyLimit(env, 'SMS_LIMIT_PER_COUNTRY_PER_HOUR', null),
    emailPerAddressPerHour: hourlyLimit(env, 'EMAIL_LIMIT_PER_ADDRESS_PER_HOUR', 5),
  };
}

function hourlyLimit(env: Env, name: string, fallback: number | null): number | null {
  const value = optionalEnv(env, name);
  if (value === undefined) return fallback;
  if (value.toLowerCase() === 'off') return null;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw new ConfigurationError(
      `Environment variable ${name} is "${value}"; use a whole number of at least 1, or off`,
    );
  }
  return Number(value);
}

/** Refuses an SMS to a country outside `SMS_ALLOWED_COUNTRIES`; needs no table. */
export function checkSmsCountry(limits: SendLimits, phoneNumber: string): void {
  if (limits.smsAllowedCountries === null) return;
  const country = countryOfNumber(phoneNumber);
  if (!countryAllowed(country, limits.smsAllowedCountries)) {
    throw new SendLimitError(
      'sms-country-not-allowed',
      `SMS to ${maskPhone(phoneNumber)} refused: ${country ?? 'no country'} is not in SMS_ALLOWED_COUNTRIES; nothing was sent`,
    );
  }
}

/** A counter's item key and its limit. */
interface Counter {
  rule: SendLimitRule;
  limit: number;
  subject: string;
  masked: string | null;
}

function countersFor(limits: SendLimits, recipient: Recipient): Counter[] {
  const counters: Array<Counter | null> =
    recipient.channel === 'sms'
      ? [
          counter(
            'sms-per-number',
            limits.smsPerNumberPerHour,
            hash(recipient.phoneNumber),
            maskPhone(recipient.phoneNumber),
          ),
          counter(
            'sms-per-country',
            limits.smsPerCountryPerHour,
            countryOfNumber(recipient.phoneNumber) ?? 'none',
            maskPhone(recipient.phoneNumber),
          ),
        ]
      : [
          counter(
            'email-per-address',
            limits.emailPerAddressPerHour,
            hash(recipient.address.toLowerCase()),
            maskEmail(recipient.address),
          ),
        ];
  return counters.filter((item): item is Counter => item !== null);
}

function counter(rule: SendLimitRule, limit: number | null, subject: string, masked: string | null): Counter | null {
  return limit === null ? null : { rule, limit, subject, masked };
}

/**
 * Counts the message against each hourly limit and returns the counters it
 * added to; SendLimitError at the first one that is full, after taking back
 * the counts it had added (nothing is sent, so nothing is counted).
 */
export async function countAgainstLimits(
  store: DeliveryStore,
  limits: SendLimits,
  recipient: Recipient,
  nowMs: number,
): Promise<string[]> {
  const hour = Math.floor(nowMs / HOUR_MS);
  // Kept one hour past its own, then swept by the table's TTL.
  const expiresAt = ((hour + 2) * HOUR_MS) / 1000;
  const counted: string[] = [];
  for (const { rule, limit, subject, masked } of countersFor(limits, recipient)) {
    const key = `limit#${rule}#${subject}#${hour}`;
    let added: boolean;
    try {
      added = await store.increment(key, limit, expiresAt);
    } catch (error) {
      // The table failed midway: what it did count is given back, best effort; the failure is what matters.
      await takeBackCounts(store, counted).catch(() => undefined);
      throw error;
    }
    if (!added) {
      await takeBackCounts(store, counted);
      throw new SendLimitError(
        rule,
        `${recipient.channel === 'sms' ? 'SMS' : 'email'} to ${masked} refused: ${rule} allows ${limit} an hour; nothing was sent`,
      );
    }
    counted.push(key);
  }
  return counted;
}

/** Takes back the counts of a message that was not sent, so a throttled send and its retries count once. */
export async function takeBackCounts(store: DeliveryStore, counted: readonly string[]): Promise<void> {
  for (const key of counted) await store.decrement(key);
}

/** SHA-256, hex: what the table keeps instead of a number or an address. */
export function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
