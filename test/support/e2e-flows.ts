/**
 * What the end-to-end tests do as a user would, against the local stack
 * (src/local-stack/start-stack.ts): sign up, open the email that arrived, read
 * the code off it and type it in. One mailbox per mode: in message mode the
 * message cognito-local delivered (our CustomMessage response with the code
 * put in), in sender mode the email moto's SES accepted from our sender.
 */
import {
  ConfirmSignUpCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type ReceivedEmail, readCode } from '../../src/local-stack/read-message.js';
import type { InvocationRecord, Stack } from '../../src/local-stack/start-stack.js';

export const PASSWORD = 'Corr3ct-Horse-Battery!';

/** The emails delivered after the first `since`; `since` is a count taken before the call that sends. */
export interface Mailbox {
  count(): Promise<number>;
  after(since: number): Promise<ReceivedEmail[]>;
}

export function mailboxOf(stack: Stack): Mailbox {
  return {
    count: async () => (await stack.receivedEmails()).length,
    after: async (since) => (await stack.receivedEmails()).slice(since),
  };
}

/** The one email to `to` that arrived after `since`; fails with what the functions did when none did. */
export async function receiveEmail(stack: Stack, mailbox: Mailbox, since: number, to: string): Promise<ReceivedEmail> {
  const arrived = (await mailbox.after(since)).filter((email) => email.to === to);
  const [email] = arrived;
  if (arrived.length !== 1 || !email) {
    const recent = (await stack.invocations()).slice(-3).map(describeInvocation);
    throw new Error(`expected one email to ${to}, got ${arrived.length}; last invocations: ${recent.join(' | ')}`);
  }
  return email;
}

function describeInvocation(record: InvocationRecord): string {
  return `${record.functionName} ${record.triggerSource} ${record.status} ${record.errorType ?? ''} ${record.errorMessage ?? ''}`;
}

/** A different code of the same shape: what a user who mistyped would send. */
export function wrongCode(code: string): string {
  return code.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10));
}

export async function signIn(stack: Stack, clientId: string, email: string, password = PASSWORD): Promise<string> {
  const auth = await stack.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );
  const token = auth.AuthenticationResult?.AccessToken;
  if (!token) throw new Error(`signing in ${email} returned no access token (challenge ${auth.ChallengeName})`);
  return token;
}

/** Signs up `email`, confirms with the code from the sign-up email, signs in; returns the access token and that email. */
export async function signUpConfirmAndSignIn(
  stack: Stack,
  mailbox: Mailbox,
  clientId: string,
  email: string,
  options: { attributes?: Record<string, string>; locale?: string; brand?: string } = {},
): Promise<{ accessToken: string; signUpEmail: ReceivedEmail }> {
  const locale = options.locale ?? 'en';
  const brand = options.brand ?? 'default';
  const since = await mailbox.count();
  await stack.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: email,
      Password: PASSWORD,
      UserAttributes: Object.entries({ email, ...options.attributes }).map(([Name, Value]) => ({ Name, Value })),
      ClientMetadata: { locale, brand },
    }),
  );
  const signUpEmail = await receiveEmail(stack, mailbox, since, email);
  await stack.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      Username: email,
      ConfirmationCode: readCode(signUpEmail, locale, brand),
    }),
  );
  return { accessToken: await signIn(stack, clientId, email), signUpEmail };
}

export async function userAttributes(stack: Stack, accessToken: string): Promise<Record<string, string>> {
  const user = await stack.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return Object.fromEntries((user.UserAttributes ?? []).map(({ Name, Value }) => [Name ?? '', Value ?? '']));
}

/** Resolves to the error's name; fails the test if the call succeeds. */
export async function cognitoErrorName(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    return error instanceof Error ? error.name : String(error);
  }
  throw new Error('the call succeeded');
}
