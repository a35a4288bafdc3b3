/**
 * The stage parameters of serverless.yml against the rules a team's
 * deployment file is checked with (src/operations/deploy-params.ts): the
 * sender-mode parameters of the idempotency table, the abuse limits and the
 * alarms accept what the functions and CloudWatch accept, and name what to
 * use otherwise.
 */
import { describe, expect, it } from 'vitest';
import { paramProblem } from '../../src/operations/deploy-params.js';

const HOURLY = 'a whole number of at least 1, or off';
const COUNTRIES =
  'comma-separated ISO 3166-1 alpha-2 country codes such as US,CA,FR, or leave it empty for any country';
const TOPIC = "a standard SNS topic's ARN (arn:aws:sns:<region>:<account>:<name>), or leave it empty";

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
