/**
 * Real-network faults: the built sender bundles (dist/), each invocation in
 * a fresh process as in a new Lambda container, talk to a fault-injecting
 * proxy (support/fault-proxy.ts) in front of a real moto server. KMS, SES
 * and SNS each get throttling, HTTP 500, a connection reset and a hang, on
 * every attempt (persistent) or on the first only (transient); then SES and
 * SNS lose their response after the message went out. For each: bounded
 * attempts (SDK_RETRY_POLICY.maxAttempts), done within the function
 * timeout, at most one message in moto's outbox, and a thrown pack error
 * whenever nothing was sent.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SESClient, VerifyEmailIdentityCommand } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { cognitoKeyring, encryptAsCognito } from '../../src/local-stack/cognito-ciphertext.js';
import { type Moto, startMoto } from '../../src/local-stack/moto.js';
import { SDK_RETRY_POLICY } from '../../src/runtime/delivery/aws-clients.js';
import { POOL_ID, senderEvent } from '../support/events.js';
import { type BundleOutcome, invokeBundle, PACK_ERROR_NAMES } from './support/bundle-runner.js';
import { type Fault, type Service, startFaultProxy } from './support/fault-proxy.js';
import { figureBook, HARDENING_OUTPUT } from './support/figures.js';

/** The senders' Lambda timeout (serverless.yml, docs/deployment.md "Functions"). */
const FUNCTION_TIMEOUT_MS = 10_000;
/** How long an invocation may run before the test kills it and calls it hung. */
const KILL_AFTER_MS = FUNCTION_TIMEOUT_MS + 3_000;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const region = 'us-east-1';
const book = figureBook('faults-network');

interface Scenario {
  name: string;
  service: Service;
  fault: Fault;
  times: number;
  family: 'email' | 'sms';
}

interface Result {
  scenario: string;
  attempts: number;
  elapsedMs: number;
  finished: boolean;
  outcome: string;
  delivered: number;
  problems: string[];
}

const SEND_FAULTS: Fault[] = ['throttling', 'server-error', 'reset', 'hang'];
const scenarios: Scenario[] = [];
for (const service of ['kms', 'ses', 'sns'] as const) {
  for (const fault of SEND_FAULTS) {
    for (const times of [Number.POSITIVE_INFINITY, 1]) {
      scenarios.push({
        name: `${service} ${fault} ${times === 1 ? 'on the first attempt' : 'on every attempt'}`,
        service,
        fault,
        times,
        family: service === 'sns' ? 'sms' : 'email',
      });
    }
  }
}
for (const service of ['ses', 'sns'] as const) {
  for (const [fault, times] of [
    ['lost-response', Number.POSITIVE_INFINITY],
    ['lost-response', 1],
    ['lost-response-hang', 1],
  ] as const) {
    scenarios.push({
      name: `${service} sends, then its response is ${fault === 'lost-response' ? 'reset' : 'never delivered'} ${times === 1 ? 'once' : 'every time'}`,
      service,
      fault,
      times,
      family: service === 'sns' ? 'sms' : 'email',
    });
  }
}

let moto: Moto;
let keyArn = '';
const results: Result[] = [];

beforeAll(async () => {
  moto = await startMoto();
  const kms = new KMSClient({ region, endpoint: moto.url, credentials });
  keyArn = (await kms.send(new CreateKeyCommand({ Description: 'hardening faults' }))).KeyMetadata?.Arn ?? '';
  const ses = new SESClient({ region, endpoint: moto.url, credentials });
  await ses.send(new VerifyEmailIdentityCommand({ EmailAddress: 'no-reply@example.com' }));
});

afterAll(async () => {
  await moto?.stop();
  mkdirSync(HARDENING_OUTPUT, { recursive: true });
  writeFileSync(join(HARDENING_OUTPUT, 'faults-network.json'), `${JSON.stringify(results, null, 2)}\n`);
  const held = results.filter((r) => r.problems.length === 0).length;
  const slowest = Math.max(0, ...results.filter((r) => r.finished).map((r) => r.elapsedMs));
  const attempts = results.map((r) => r.attempts);
  book.add({
    group: 'faults',
    label: 'real-network faults (dist bundles, proxy in front of moto)',
    cases: results.length,
    held,
    notes: [
      `${scenarios.length - 6} throttling/500/reset/hang faults on KMS, SES, SNS (every attempt, first attempt), 6 lost responses after a send`,
      `attempts per faulty service: ${Math.min(...attempts)}–${Math.max(...attempts)}; slowest finished invocation ${(slowest / 1000).toFixed(1)} s; ${results.filter((r) => !r.finished).length} still running at ${KILL_AFTER_MS / 1000} s`,
      `messages in moto's outbox: ${results.filter((r) => r.delivered === 1).length} scenarios sent one, ${results.filter((r) => r.delivered > 1).length} sent more than one`,
      ...results.filter((r) => r.problems.length > 0).map((r) => `FAILED ${r.scenario}: ${r.problems.join('; ')}`),
    ],
  });
  book.write();
});

/** Base64 of a Cognito-format message under moto's key (suite 0x0378, `userpool-id`, one data key). */
function encryptCode(code: string): Promise<string> {
  return encryptAsCognito(cognitoKeyring(keyArn, { credentials, endpoint: moto.url }), code, POOL_ID);
}

/** Messages moto sent to `recipient`. */
async function deliveredTo(family: 'email' | 'sms', recipient: string): Promise<number> {
  if (family === 'email') return (await moto.sentEmails()).filter((m) => m.to.includes(recipient)).length;
  return (await moto.sentSms()).filter((m) => m.phoneNumber === recipient).length;
}

async function run(scenario: Scenario, index: number): Promise<Result> {
  const code = String(600_000 + index * 37);
  const recipient =
    scenario.family === 'email' ? `fault-${index}@example.com` : `+1555010${String(index).padStart(4, '0')}`;
  const source = scenario.family === 'email' ? 'CustomEmailSender_ForgotPassword' : 'CustomSMSSender_ForgotPassword';
  const event = senderEvent(source, await encryptCode(code), {
    userAttributes: scenario.family === 'email' ? { email: recipient } : { phone_number: recipient },
  });
  const proxy = await startFaultProxy(moto.url, [scenario]);
  let outcome: BundleOutcome;
  try {
    outcome = await invokeBundle(
      scenario.family === 'email' ? 'custom-email-sender.js' : 'custom-sms-sender.js',
      event,
      {
        AWS_ENDPOINT_URL: proxy.endpoint,
        AWS_REGION: region,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        KMS_KEY_ARN: keyArn,
        EMAIL_FROM: 'Acme <no-reply@example.com>',
        LOG_LEVEL: 'info',
      },
      KILL_AFTER_MS,
    );
  } finally {
    await proxy.close();
  }
  const delivered = await deliveredTo(scenario.family, recipient);
  const attempts = proxy.attempts[scenario.service];
  const problems: string[] = [];
  if (attempts > SDK_RETRY_POLICY.maxAttempts)
    problems.push(`${attempts} attempts (bound ${SDK_RETRY_POLICY.maxAttempts})`);
  if (!outcome.finished)
    problems.push(`still running after ${KILL_AFTER_MS / 1000} s (function timeout ${FUNCTION_TIMEOUT_MS / 1000} s)`);
  else if (outcome.elapsedMs >= FUNCTION_TIMEOUT_MS) problems.push(`took ${(outcome.elapsedMs / 1000).toFixed(1)} s`);
  if (delivered > 1) problems.push(`${delivered} messages sent in one invocation`);
  if (outcome.finished && delivered === 0 && outcome.ok) problems.push('resolved although nothing was sent');
  if (outcome.finished && !outcome.ok && !PACK_ERROR_NAMES.has(outcome.errorName ?? '')) {
    problems.push(`threw ${outcome.errorName}, not a pack error`);
  }
  if (outcome.finished && outcome.ok && delivered !== 1) problems.push(`resolved with ${delivered} sent`);
  // Retrying must recover a one-off fault where a retry cannot duplicate anything: KMS Decrypt is
  // idempotent, and throttling proves the send did not happen. Anything else on SES/SNS may follow
  // a send, so either outcome (one message, or none and a thrown error) is correct there.
  const retryable = scenario.service === 'kms' || scenario.fault === 'throttling';
  if (scenario.times === 1 && retryable && outcome.finished && !outcome.ok) {
    problems.push(`a fault on the first attempt only was not retried away: ${outcome.errorName}`);
  }
  const lines = outcome.logs.map((line) => JSON.stringify(line));
  if (lines.some((line) => line.includes(code))) problems.push('the code reached a log line');
  if (outcome.finished && !outcome.logs.some((line) => line.outcome === (outcome.ok ? 'sent' : 'failed'))) {
    problems.push('no log line states the outcome');
  }
  return {
    scenario: scenario.name,
    attempts,
    elapsedMs: Math.round(outcome.elapsedMs),
    finished: outcome.finished,
    outcome: outcome.finished ? (outcome.ok ? 'resolved' : `${outcome.errorName}: ${outcome.errorMessage}`) : 'killed',
    delivered,
    problems,
  };
}

describe.concurrent('real-network faults through the built bundles', () => {
  scenarios.forEach((scenario, index) => {
    it(scenario.name, async ({ expect }) => {
      const result = await run(scenario, index);
      results.push(result);
      expect(result.problems, JSON.stringify(result)).toEqual([]);
    });
  });
});
