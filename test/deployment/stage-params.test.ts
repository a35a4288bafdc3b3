/**
 * The stage parameters of serverless.yml against the rules a team's
 * deployment file is checked with (src/operations/deploy-params.ts): every
 * default passes its own rule, and the sender-mode parameters of the
 * idempotency table, the abuse limits and the alarms accept what the
 * functions and CloudWatch accept, and name what to use otherwise.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { paramProblem } from '../../src/operations/deploy-params.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const defaults = (
  parse(readFileSync(join(root, 'serverless.yml'), 'utf8'), { logLevel: 'error' }) as {
    params: { default: Record<string, unknown> };
  }
).params.default;

it('accepts every default serverless.yml gives its parameters', () => {
  const refused = Object.entries(defaults)
    .map(([name, value]) => [name, String(value)] as const)
    .filter(([name, value]) => paramProblem(name, value) !== undefined);
  expect(refused).toEqual([]);
});

it('gives the senders the runtime defaults of the table and the limits', () => {
  expect(defaults).toMatchObject({
    idempotencyStoreFailure: 'send',
    smsAllowedCountries: '',
    smsLimitPerNumberPerHour: '5',
    smsLimitPerCountryPerHour: 'off',
    emailLimitPerAddressPerHour: '5',
    alarmTopicArn: '',
  });
});

const HOURLY = 'a whole number of at least 1, or off';
const COUNTRIES =
  'comma-separated ISO 3166-1 alpha-2 country codes such as US,CA,FR, or leave it empty for any country';
const TOPIC = "a standard SNS topic's ARN (arn:aws:sns:<region>:<account>:<name>), or leave it empty";
const SIGN_IN =
  "the pool's UsernameAttributes (email, phone_number) or username with its AliasAttributes (email, phone_number, preferred_username), comma-separated, or leave it empty for the pool's own";
const LOGO_BASE =
  'the https address that holds dist/logos/*.png, without query or fragment (https://logos.example.com), or leave it empty for a bucket of this stack';

describe.each([
  ['idempotencyStoreFailure', ['send', 'fail', 'FAIL', ''], ['retry', 'sendanyway'], 'send or fail'],
  ['smsAllowedCountries', ['US', 'US,CA,FR', 'us, fr', ''], ['USA', 'XX', 'US;CA', '+1'], COUNTRIES],
  ['smsLimitPerNumberPerHour', ['1', '5', '100000', 'off', 'OFF', ''], ['0', '-1', '1.5', 'five', 'none'], HOURLY],
  ['smsLimitPerCountryPerHour', ['200', 'off', ''], ['0', '1e3'], HOURLY],
  ['emailLimitPerAddressPerHour', ['5', 'off', ''], ['0', 'unlimited'], HOURLY],
  [
    'alarmTopicArn',
    ['arn:aws:sns:eu-west-1:123456789012:on-call', 'arn:aws-cn:sns:cn-north-1:123456789012:ops_alerts', ''],
    [
      'on-call',
      'arn:aws:sns:eu-west-1:123456789012:on-call.fifo',
      'arn:aws:sqs:eu-west-1:123456789012:on-call',
      'arn:aws:sns:eu-west-1:1234:on-call',
    ],
    TOPIC,
  ],
  [
    'signInAttributes',
    ['email', 'phone_number', 'email,phone_number', 'username,email,preferred_username', ''],
    ['mail', 'email,email', 'preferred_username', 'username,,email'],
    SIGN_IN,
  ],
  [
    'logoBaseUrl',
    ['https://d111111abcdef8.cloudfront.net', 'https://logos.example.com/acme/', ''],
    ['http://logos.example.com', 'logos.example.com', 'https://logos.example.com/?v=2', 'https://logos.example.com/#a'],
    LOGO_BASE,
  ],
] as const)('%s', (name, accepted, refused, use) => {
  it.each(accepted)('accepts "%s"', (value) => {
    expect(paramProblem(name, value)).toBeUndefined();
  });

  it.each(refused)('refuses "%s", naming what to use', (value) => {
    expect(paramProblem(name, value)).toBe(use);
  });

  it('leaves a value resolved at deploy to the function', () => {
    expect(paramProblem(name, `\${ssm:/acme/value}`)).toBeUndefined();
  });
});
