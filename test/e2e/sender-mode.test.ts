/**
 * Sender mode end to end: cognito-local encrypts each code under the moto KMS
 * key as Cognito does and calls our CustomEmailSender through the local
 * Invoke endpoint; the function decrypts it and sends through moto's SES,
 * where the test reads the email. CustomSMSSender, which cognito-local never
 * calls, is invoked through the same endpoint with a Cognito-made
 * ciphertext, and its SMS read back from moto's SNS.
 */
import { randomInt } from 'node:crypto';
import { GetUserAttributeVerificationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { catalogText, readCode } from '../../src/local-stack/read-message.js';
import { signUpConfirmAndSignIn } from '../support/e2e-flows.js';
import { codeFlowTests, noSecretsLoggedTest, useStack } from '../support/e2e-suite.js';
import { senderEvent } from '../support/events.js';

describe('sender mode: cognito-local → CustomEmailSender → moto SES', () => {
  const flow = useStack('sender');
  codeFlowTests('sender', flow);

  it('fails the invocation visibly and sends nothing when SES refuses the From identity', async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const to = 'gus@example.com';
    const { accessToken, signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, to);
    secretsSeen.push(readCode(signUpEmail, 'en', 'default'));
    const northwindFrom = 'no-reply@northwind.example';
    await stack.deleteIdentity(northwindFrom);
    try {
      const since = await mailbox.count();
      const before = (await stack.invocations()).length;
      // CustomEmailSender runs outside the user's call in Cognito, so the call itself still succeeds.
      await stack.cognito.send(
        new GetUserAttributeVerificationCodeCommand({
          AccessToken: accessToken,
          AttributeName: 'email',
          ClientMetadata: { brand: 'northwind' },
        }),
      );
      const records = (await stack.invocations()).slice(before);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        functionName: 'custom-email-sender',
        triggerSource: 'CustomEmailSender_VerifyUserAttribute',
        status: 'failed',
        errorType: 'DeliveryError',
        errorMessage: expect.stringContaining('MessageRejected'),
      });
      expect(await mailbox.after(since)).toEqual([]);
    } finally {
      await stack.verifyEmailIdentity(northwindFrom);
    }
  });

  it('CustomSMSSender decrypts a code encrypted as Cognito does and texts it through SNS', async () => {
    const { stack, poolId, secretsSeen } = flow();
    const code = String(randomInt(100_000, 1_000_000));
    secretsSeen.push(code);
    const phone = '+14155550123';
    const sentBefore = (await stack.sentSms()).length;
    const event = senderEvent('CustomSMSSender_VerifyUserAttribute', await stack.encryptLikeCognito(code, poolId), {
      userPoolId: poolId,
      clientMetadata: { locale: 'es', brand: 'northwind' },
    });

    const result = await stack.invoke('custom-sms-sender', event);

    expect(result).toEqual({ statusCode: 200, functionError: null, payload: null });
    const sent = (await stack.sentSms()).slice(sentBefore);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      phoneNumber: phone,
      message: catalogText('verifyUserAttribute.sms', 'es', 'northwind').replace('{code}', code),
    });
  });

  it("the senders share the stack's idempotency table: the same event three times texts once", async () => {
    const { stack, poolId, secretsSeen } = flow();
    const code = String(randomInt(100_000, 1_000_000));
    secretsSeen.push(code);
    const phone = '+14155550177';
    const event = senderEvent('CustomSMSSender_ForgotPassword', await stack.encryptLikeCognito(code, poolId), {
      userPoolId: poolId,
      userAttributes: { sub: 'e2e-idempotency', phone_number: phone, phone_number_verified: 'true' },
    });

    for (let repeat = 0; repeat < 3; repeat += 1) {
      expect(await stack.invoke('custom-sms-sender', event)).toMatchObject({ statusCode: 200, functionError: null });
    }

    expect(stack.idempotencyTable).toBe('cognito-trigger-pack-local-idempotency');
    expect((await stack.sentSms()).filter((sms) => sms.phoneNumber === phone)).toHaveLength(1);
    const logs = await stack.functionLogs('custom-sms-sender');
    expect(logs.filter((line) => line.includes('"outcome":"duplicate"'))).toHaveLength(2);
  });

  it('CustomSMSSender refuses a code encrypted for another pool: Unhandled function error, no SMS', async () => {
    const { stack, poolId } = flow();
    const sentBefore = (await stack.sentSms()).length;
    const event = senderEvent(
      'CustomSMSSender_Authentication',
      await stack.encryptLikeCognito('246810', 'us-east-1_OtherPool'),
      { userPoolId: poolId },
    );

    const result = await stack.invoke('custom-sms-sender', event);

    expect(result).toMatchObject({
      statusCode: 200,
      functionError: 'Unhandled',
      payload: { errorType: 'CodeDecryptionError', errorMessage: expect.stringContaining('us-east-1_OtherPool') },
    });
    expect(await stack.sentSms()).toHaveLength(sentBefore);
  });

  noSecretsLoggedTest(flow);
});
