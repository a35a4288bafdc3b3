/**
 * Forged failure-queue records: another principal of the account writes a
 * record for `replay-failures` to send (a copied record with the attacker's
 * address, another stage's or team's function, a take-over notice that needs
 * no ciphertext, a non-sender event, escape sequences). Only a well-formed
 * sender event for one of this stack's two exact senders and its pool is ever
 * invoked, and nothing printed carries a control character.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { bundle } from '../../src/authoring/build.js';
import type { ReplayTarget } from '../../src/operations/replay-failures.js';
import { type Json, packageService } from '../support/deploy-template.js';
import { senderEvent } from '../support/events.js';
import { replayWithMocks } from '../support/replay-harness.js';
import { figureBook, Tally } from './support/figures.js';
import { FUZZ_RUNS } from './support/sender-fuzz.js';

const book = figureBook('queue-forging');
afterAll(() => book.write());

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const POOL = `${REGION}_AbCdEf123`;
const arn = (name: string, account = ACCOUNT) => `arn:aws:lambda:${REGION}:${account}:function:${name}`;
const target: ReplayTarget = {
  queueUrl: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/cognito-trigger-pack-prod-sender-failures`,
  emailSenderArn: arn('cognito-trigger-pack-prod-custom-email-sender'),
  smsSenderArn: arn('cognito-trigger-pack-prod-custom-sms-sender'),
  userPoolId: POOL,
};

const FOREIGN_FUNCTIONS = [
  arn('cognito-trigger-pack-dev-custom-email-sender'),
  arn('cognito-trigger-pack-staging-custom-sms-sender'),
  arn('other-team-custom-email-sender'),
  arn('cognito-trigger-pack-prod-custom-email-sender', '999999999999'),
  arn('cognito-trigger-pack-prod-custom-email-sender-copy'),
  `${target.emailSenderArn}:prod`,
  `${target.emailSenderArn}\u001b[2K`,
  'arn:aws:lambda:us-east-1:123456789012:function:cognito-trigger-pack-prod-custom-email-sender',
];

const CONTROL = ['\u001b[2K\r', '\u001b]0;ok\u0007', '\r\n1 replayed, 0 kept', '\u009b31m', '\u202e'];

/** A record that must be kept: each names what makes it foreign. */
const forgedRecord = fc.oneof(
  fc.record({
    why: fc.constant('foreign function'),
    functionArn: fc.constantFrom(...FOREIGN_FUNCTIONS),
    // A take-over notice needs no ciphertext: the easiest record to forge for another stack's sender.
    payload: fc
      .constantFrom('CustomEmailSender_ForgotPassword', 'CustomEmailSender_AccountTakeOverNotification')
      .map((source) => sampleEvent(source)),
  }),
  fc.record({
    why: fc.constant('email event on the SMS sender'),
    functionArn: fc.constant(target.smsSenderArn),
    payload: fc
      .constantFrom('CustomEmailSender_AccountTakeOverNotification', 'CustomEmailSender_ForgotPassword')
      .map((source) => sampleEvent(source)),
  }),
  fc.record({
    why: fc.constant('not a sender event'),
    functionArn: fc.constantFrom(target.emailSenderArn, target.smsSenderArn),
    payload: fc.oneof(
      fc.constantFrom<unknown>(
        { ...sampleEvent('CustomEmailSender_SignUp'), triggerSource: 'CustomMessage_SignUp' },
        { ...sampleEvent('CustomEmailSender_SignUp'), triggerSource: 'PreSignUp_SignUp' },
        { ...sampleEvent('CustomEmailSender_SignUp'), request: 'x' },
        { ...sampleEvent('CustomEmailSender_SignUp'), userPoolId: `${REGION}_Other1234` },
        { ...sampleEvent('CustomEmailSender_SignUp'), userPoolId: `us-east-1_AbCdEf123` },
        null,
        [],
        'event',
      ),
      fc
        .tuple(fc.constantFrom(...CONTROL), fc.string({ maxLength: 20 }))
        .map(([control, text]) => ({ ...sampleEvent('CustomEmailSender_SignUp'), triggerSource: `${text}${control}` })),
    ),
  }),
);

function sampleEvent(source: string): Record<string, unknown> {
  const event = senderEvent(source as Parameters<typeof senderEvent>[0], 'AA==') as unknown as Record<string, unknown>;
  event.userPoolId = POOL;
  return event;
}

describe('forged failure-queue records', () => {
  it('are kept and never invoked, and what is printed carries no control character', async () => {
    const tally = new Tally();
    let cases = 0;
    let held = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(forgedRecord, { minLength: 1, maxLength: 5 }), fc.string(), async (records, id) => {
        cases += 1;
        const { summary, invokes, deletes, lines } = await replayWithMocks(
          target,
          records.map((record) =>
            JSON.stringify({ requestContext: { functionArn: record.functionArn }, requestPayload: record.payload }),
          ),
          { messageIdPrefix: id },
        );
        const invoked = invokes.length;
        const deleted = deletes.length;
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
        const controlled = lines.some((line) => /[\u0000-\u001f\u007f-\u009f\u202e]/.test(line));
        const ok = invoked === 0 && deleted === 0 && summary.kept === records.length && !controlled;
        for (const record of records) tally.add(record.why);
        if (ok) held += 1;
        return ok;
      }),
      { numRuns: Math.max(500, Math.floor(FUZZ_RUNS / 20)) },
    );
    book.add({
      group: 'fuzz',
      label: 'forged failure-queue records (replay-failures)',
      cases,
      held,
      notes: ['records per case 1–5, none invoked or deleted, output escaped', tally.toString()],
    });
    expect(held).toBe(cases);
  });

  it('still replays the genuine record among forged ones', async () => {
    const genuine = {
      requestContext: { functionArn: `${target.smsSenderArn}:$LATEST` },
      requestPayload: sampleEvent('CustomSMSSender_SignUp'),
    };
    const forged = {
      requestContext: { functionArn: FOREIGN_FUNCTIONS[0] },
      requestPayload: sampleEvent('CustomEmailSender_SignUp'),
    };
    const { summary, invokes } = await replayWithMocks(
      target,
      [genuine, forged].map((body) => JSON.stringify(body)),
    );
    expect(summary).toEqual({ replayed: 1, kept: 1 });
    expect(invokes.map((input) => input.FunctionName)).toEqual([target.smsSenderArn]);
  });
});

describe('the packaged failure queue', () => {
  it('allows sqs:SendMessage to no principal other than the two sender roles', async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const work = mkdtempSync(join(tmpdir(), 'queue-forging-'));
    try {
      const serviceDir = join(work, 'service');
      mkdirSync(join(work, 'home'), { recursive: true });
      mkdirSync(serviceDir);
      copyFileSync(join(root, 'serverless.yml'), join(serviceDir, 'serverless.yml'));
      await bundle(join(work, 'dist'));
      cpSync(join(work, 'dist'), join(serviceDir, 'dist'), { recursive: true });
      const { active } = await packageService({
        osls: join(root, 'node_modules', 'osls', 'bin', 'serverless.js'),
        serviceDir,
        home: join(work, 'home'),
        outDir: join(work, 'package'),
        stage: 'ci',
        region: REGION,
        params: { mode: 'sender', poolName: 'acme-users' },
      });
      const roles = [{ 'Fn::GetAtt': ['EmailSenderRole', 'Arn'] }, { 'Fn::GetAtt': ['SmsSenderRole', 'Arn'] }];
      const policies = Object.values(active.Resources).filter((r) => r.Type === 'AWS::SQS::QueuePolicy');
      expect(policies).toHaveLength(1);
      const document = policies[0]?.Properties?.PolicyDocument as { Statement: Record<string, Json>[] } | undefined;
      const statements = document?.Statement ?? [];
      const sends = (action: Json | undefined) =>
        [action].flat().some((a) => a === 'sqs:SendMessage' || a === 'sqs:*' || a === '*');
      let checked = 0;
      for (const statement of statements) {
        if (!sends(statement.Action) && !statement.NotAction) continue;
        checked += 1;
        if (statement.Effect === 'Allow') {
          expect(statement.NotAction, 'an Allow by NotAction').toBeUndefined();
          expect(statement.NotPrincipal, 'an Allow by NotPrincipal').toBeUndefined();
          expect(statement.Principal).toEqual({ AWS: roles });
        }
      }
      // The account's IAM policies could still allow others: an explicit Deny for every other principal.
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:SendMessage',
          Condition: { ArnNotEquals: { 'aws:PrincipalArn': roles } },
        }),
      );
      book.add({
        group: 'tamper',
        label: 'failure-queue policy statements (packaged sender template)',
        cases: checked,
        held: checked,
        notes: ['only EmailSenderRole and SmsSenderRole may SendMessage; every other principal is denied'],
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 180_000);
});
