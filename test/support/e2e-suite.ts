/**
 * The code flows every mode must pass end to end (issue 6): one local stack
 * per test file, started once; the tests run in order and share it.
 */
import {
  AdminCreateUserCommand,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  brandFrom,
  catalogText,
  type ReceivedEmail,
  readCode,
  readValueAfter,
} from '../../src/local-stack/read-message.js';
import { DEFAULT_EMAIL_FROM, type Stack, type StackMode, startStack } from '../../src/local-stack/start-stack.js';
import {
  cognitoErrorName,
  type Mailbox,
  mailboxOf,
  PASSWORD,
  receiveEmail,
  signIn,
  signUpConfirmAndSignIn,
  userAttributes,
  wrongCode,
} from './e2e-flows.js';

export interface FlowContext {
  stack: Stack;
  mailbox: Mailbox;
  poolId: string;
  clientId: string;
  /** Every code and temporary password delivered so far: none may show up in a log or a record. */
  secretsSeen: string[];
}

/** Starts the stack for `mode` before the file's tests and stops it after them. */
export function useStack(mode: StackMode): () => FlowContext {
  let context: FlowContext | undefined;
  beforeAll(async () => {
    const stack = await startStack({ mode });
    const { poolId, clientId } = await stack.createPool();
    context = { stack, mailbox: mailboxOf(stack), poolId, clientId, secretsSeen: [] };
  });
  afterAll(async () => {
    await context?.stack.stop();
  });
  return () => {
    if (!context) throw new Error('the stack did not start');
    return context;
  };
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Checks the email is the one a user in `locale` of `brand` should get for `kind`. */
function expectLocalizedBrandedEmail(
  email: ReceivedEmail,
  expected: { to: string; kind: string; locale: string; brand: string; mode: StackMode },
): void {
  expect(email.to).toBe(expected.to);
  expect(email.subject).toBe(catalogText(`${expected.kind}.subject`, expected.locale, expected.brand));
  expect(email.html).toContain(`<html lang="${expected.locale}"`);
  expect(collapse(email.text)).toContain(
    collapse(catalogText(`${expected.kind}.intro`, expected.locale, expected.brand)),
  );
  if (expected.mode === 'sender') expect(email.from).toBe(brandFrom(expected.brand, DEFAULT_EMAIL_FROM));
}

/** The code flows: sign-up, attribute verification, wrong code, locale fallback, update, forgot password, invitation. */
export function codeFlowTests(mode: StackMode, flow: () => FlowContext): void {
  const family = mode === 'message' ? 'CustomMessage' : 'CustomEmailSender';
  const functionName = mode === 'message' ? 'custom-message' : 'custom-email-sender';

  async function lastInvocation(triggerSource: string) {
    const records = (await flow().stack.invocations()).filter((record) => record.triggerSource === triggerSource);
    const record = records[records.length - 1];
    if (!record) throw new Error(`${functionName} was never invoked for ${triggerSource}`);
    return record;
  }

  it('verifies an email with the code read from a French, Northwind-branded message', async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const to = 'alice@example.com';
    const { accessToken, signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, to);
    expectLocalizedBrandedEmail(signUpEmail, { to, kind: 'signUp', locale: 'en', brand: 'default', mode });
    secretsSeen.push(readCode(signUpEmail, 'en', 'default'));
    expect((await userAttributes(stack, accessToken)).email_verified).not.toBe('true');

    const since = await mailbox.count();
    await stack.cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: accessToken,
        AttributeName: 'email',
        ClientMetadata: { locale: 'fr', brand: 'northwind' },
      }),
    );
    const email = await receiveEmail(stack, mailbox, since, to);
    expectLocalizedBrandedEmail(email, { to, kind: 'verifyUserAttribute', locale: 'fr', brand: 'northwind', mode });
    const code = readCode(email, 'fr', 'northwind');
    secretsSeen.push(code);

    const record = await lastInvocation(`${family}_VerifyUserAttribute`);
    expect(record).toMatchObject({ functionName, status: 'succeeded', errorType: null });
    expect(record.event).toMatchObject({ request: { clientMetadata: { locale: 'fr', brand: 'northwind' } } });
    if (mode === 'message') {
      // What arrived is our CustomMessage response with Cognito's code put where the placeholder was.
      expect(record.result).toMatchObject({
        response: { emailSubject: email.subject, emailMessage: email.html.replace(code, '{####}') },
      });
    }

    await stack.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }),
    );
    expect((await userAttributes(stack, accessToken)).email_verified).toBe('true');
  });

  it('refuses a mistyped code with CodeMismatchException and leaves the email unverified', async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const to = 'bruno@example.com';
    const { accessToken, signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, to);
    secretsSeen.push(readCode(signUpEmail, 'en', 'default'));
    const since = await mailbox.count();
    await stack.cognito.send(
      new GetUserAttributeVerificationCodeCommand({
        AccessToken: accessToken,
        AttributeName: 'email',
        ClientMetadata: { locale: 'es', brand: 'default' },
      }),
    );
    const code = readCode(await receiveEmail(stack, mailbox, since, to), 'es', 'default');
    secretsSeen.push(code);

    const error = await cognitoErrorName(
      stack.cognito.send(
        new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: wrongCode(code) }),
      ),
    );
    expect(error).toBe('CodeMismatchException');
    expect((await userAttributes(stack, accessToken)).email_verified).not.toBe('true');
  });

  it("falls back to the user's locale attribute when ClientMetadata names no locale", async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const to = 'carla@example.com';
    const { accessToken, signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, to, {
      attributes: { locale: 'de' },
      locale: 'de',
    });
    secretsSeen.push(readCode(signUpEmail, 'de', 'default'));
    const since = await mailbox.count();
    await stack.cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }),
    );
    const email = await receiveEmail(stack, mailbox, since, to);
    expectLocalizedBrandedEmail(email, { to, kind: 'verifyUserAttribute', locale: 'de', brand: 'default', mode });
    const code = readCode(email, 'de', 'default');
    secretsSeen.push(code);
    await stack.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }),
    );
    expect((await userAttributes(stack, accessToken)).email_verified).toBe('true');
  });

  it('sends the code to the new address after UpdateUserAttributes, and that code verifies it', async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const { accessToken, signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, 'dana@example.com');
    secretsSeen.push(readCode(signUpEmail, 'en', 'default'));
    const to = 'dana.new@example.com';
    const since = await mailbox.count();
    await stack.cognito.send(
      new UpdateUserAttributesCommand({
        AccessToken: accessToken,
        UserAttributes: [{ Name: 'email', Value: to }],
        ClientMetadata: { locale: 'pt-BR', brand: 'northwind' },
      }),
    );
    const email = await receiveEmail(stack, mailbox, since, to);
    expectLocalizedBrandedEmail(email, { to, kind: 'updateUserAttribute', locale: 'pt-BR', brand: 'northwind', mode });
    expect(await lastInvocation(`${family}_UpdateUserAttribute`)).toMatchObject({ status: 'succeeded' });
    const code = readCode(email, 'pt-BR', 'northwind');
    secretsSeen.push(code);
    await stack.cognito.send(
      new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }),
    );
    expect(await userAttributes(stack, accessToken)).toMatchObject({ email: to, email_verified: 'true' });
  });

  it('resets a password with the code from the ForgotPassword email', async () => {
    const { stack, mailbox, clientId, secretsSeen } = flow();
    const to = 'erik@example.com';
    const { signUpEmail } = await signUpConfirmAndSignIn(stack, mailbox, clientId, to);
    secretsSeen.push(readCode(signUpEmail, 'en', 'default'));
    const since = await mailbox.count();
    await stack.cognito.send(
      new ForgotPasswordCommand({ ClientId: clientId, Username: to, ClientMetadata: { locale: 'ar' } }),
    );
    const email = await receiveEmail(stack, mailbox, since, to);
    expectLocalizedBrandedEmail(email, { to, kind: 'forgotPassword', locale: 'ar', brand: 'default', mode });
    expect(email.html).toContain('dir="rtl"');
    const code = readCode(email, 'ar', 'default');
    secretsSeen.push(code);

    const newPassword = 'N3w-Passw0rd-Erik!';
    const confirm = (confirmationCode: string) =>
      stack.cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: to,
          ConfirmationCode: confirmationCode,
          Password: newPassword,
        }),
      );
    expect(await cognitoErrorName(confirm(wrongCode(code)))).toBe('CodeMismatchException');
    await confirm(code);
    await expect(signIn(stack, clientId, to, newPassword)).resolves.toEqual(expect.any(String));
    // Cognito answers NotAuthorizedException; cognito-local says InvalidPasswordException.
    expect(['NotAuthorizedException', 'InvalidPasswordException']).toContain(
      await cognitoErrorName(signIn(stack, clientId, to, PASSWORD)),
    );
  });

  it('invites a user with AdminCreateUser: the temporary password arrives and signs in', async () => {
    const { stack, mailbox, poolId, clientId, secretsSeen } = flow();
    const to = 'fay@example.com';
    const since = await mailbox.count();
    await stack.cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: to,
        UserAttributes: [
          { Name: 'email', Value: to },
          { Name: 'locale', Value: 'ja' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const email = await receiveEmail(stack, mailbox, since, to);
    expectLocalizedBrandedEmail(email, { to, kind: 'adminCreateUser', locale: 'ja', brand: 'default', mode });
    const temporaryPassword = readValueAfter(email, 'adminCreateUser.passwordLabel', 'ja', 'default');
    secretsSeen.push(temporaryPassword);

    const auth = await stack.cognito.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: to, PASSWORD: temporaryPassword },
      }),
    );
    expect(auth.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const answered = await stack.cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: auth.Session,
        ChallengeResponses: { USERNAME: to, NEW_PASSWORD: 'Fay-0wn-Passw0rd!' },
      }),
    );
    expect(answered.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });
}

/** Run last: no code or temporary password may appear in a function's logs or in the invocation records. */
export function noSecretsLoggedTest(flow: () => FlowContext): void {
  it('never writes a delivered code or temporary password to a function log or an invocation record', async () => {
    const { stack, secretsSeen } = flow();
    expect(secretsSeen.length).toBeGreaterThan(5);
    const logs = [
      ...(await stack.functionLogs('custom-message')),
      ...(await stack.functionLogs('custom-email-sender')),
      ...(await stack.functionLogs('custom-sms-sender')),
    ].join('\n');
    const records = JSON.stringify(await stack.invocations());
    for (const secret of secretsSeen) {
      expect(logs).not.toContain(secret);
      expect(records).not.toContain(secret);
    }
  });
}
