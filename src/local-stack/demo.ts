/**
 * The flow behind `npm run demo` (scripts/demo.ts), on a started local stack:
 * alice@example.com signs up, asks Cognito (cognito-local) for an email
 * verification code in the chosen locale, reads the email our function
 * produced, types the code in and ends up with email_verified=true.
 */
import {
  ConfirmSignUpCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  InitiateAuthCommand,
  SignUpCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { printable } from '../operations/printable.js';
import { type ReceivedEmail, readCode, shippedLocales } from './read-message.js';
import { parseMode, StackUsageError } from './run-stack.js';
import { type Stack, startStack } from './start-stack.js';

const EMAIL = 'alice@example.com';
const PASSWORD = 'Demo-Passw0rd!';

// Subjects, bodies and codes come from the messages the stack delivered: shown, never interpreted by the terminal.
export const step = (text: string) => console.log(`\n▸ ${printable(text)}`);
export const done = (text: string) => console.log(`  ✓ ${printable(text)}`);

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  │ ${line}`)
    .join('\n');
}

async function newEmail(stack: Stack, since: number): Promise<ReceivedEmail> {
  const email = (await stack.receivedEmails()).slice(since).find((received) => received.to === EMAIL);
  if (!email) {
    const [last] = (await stack.invocations()).slice(-1);
    throw new Error(
      `no email reached ${EMAIL}; last invocation: ${last?.functionName} ${last?.status} ${last?.errorType ?? ''} ${last?.errorMessage ?? ''}`,
    );
  }
  return email;
}

/** The demo's flow on a started stack: sign up, confirm, sign in, verify the email with the code it received. */
export async function demo(stack: Stack, locale: string, brand: string): Promise<void> {
  const { clientId } = await stack.createPool('demo');
  const metadata = { locale, brand };

  step(`Sign up ${EMAIL}`);
  let since = (await stack.receivedEmails()).length;
  await stack.cognito.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: EMAIL,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: EMAIL }],
      ClientMetadata: metadata,
    }),
  );
  const signUpEmail = await newEmail(stack, since);
  done(`sign-up email received: "${signUpEmail.subject}"`);
  await stack.cognito.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      Username: EMAIL,
      ConfirmationCode: readCode(signUpEmail, locale, brand),
    }),
  );
  done('account confirmed with the code from that email');
  const auth = await stack.cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: EMAIL, PASSWORD },
    }),
  );
  const accessToken = auth.AuthenticationResult?.AccessToken;
  if (!accessToken) throw new Error('signing in returned no access token');
  done('signed in');

  step(`GetUserAttributeVerificationCode(email, ClientMetadata ${JSON.stringify(metadata)})`);
  since = (await stack.receivedEmails()).length;
  await stack.cognito.send(
    new GetUserAttributeVerificationCodeCommand({
      AccessToken: accessToken,
      AttributeName: 'email',
      ClientMetadata: metadata,
    }),
  );
  const [record] = (await stack.invocations()).slice(-1);
  done(
    `Cognito invoked ${record?.functionName} (${record?.triggerSource}): ${record?.status}, ${record?.durationMs} ms`,
  );
  const email = await newEmail(stack, since);

  step(
    stack.mode === 'sender' ? 'The email, as SES accepted it from the function' : 'The email, as Cognito delivered it',
  );
  console.log(
    indent(
      printable(
        [
          `From:    ${email.from ?? '(the pool’s sender)'}`,
          `To:      ${email.to}`,
          `Subject: ${email.subject}`,
          '',
          email.text,
        ].join('\n'),
        { multiline: true },
      ),
    ),
  );
  console.log('\n  Every message in every locale and brand, rendered: `npm start` serves the preview at');
  console.log('  http://127.0.0.1:<port> (the port is printed when it starts; PORT=… picks one).');

  const code = readCode(email, locale, brand);
  step(`VerifyUserAttribute(email, "${code}"): the code as read from the email`);
  await stack.cognito.send(
    new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }),
  );
  const user = await stack.cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  const verified = user.UserAttributes?.find((attribute) => attribute.Name === 'email_verified')?.Value;
  if (verified !== 'true') throw new Error(`email_verified is ${verified} after VerifyUserAttribute`);
  done(`email_verified=${verified}`);
}

export interface RunDemoOptions {
  mode: string | undefined;
  locale: string;
  brand: string;
  /** The built bundles (default: this repository's dist/). */
  distDir?: string;
}

/** Starts the stack, runs the demo's flow on it and stops it; throws on any step that fails. */
export async function runDemo(options: RunDemoOptions): Promise<void> {
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const { locale, brand } = options;
  if (!shippedLocales().includes(locale)) {
    throw new StackUsageError(`--locale must be one of ${shippedLocales().join(', ')}, not "${locale}"`);
  }
  const mode = parseMode(options.mode ?? 'sender');
  step(`Start the local stack (${mode} mode): moto (KMS, SES, SNS, DynamoDB), the Lambda endpoint, cognito-local`);
  const stack = await startStack({ mode, logLevel: 'warn', distDir: options.distDir });
  done(`ready after ${elapsed()}: cognito-local ${stack.endpoints.cognito}, functions ${stack.endpoints.lambda}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stack.stop().finally(() => process.exit(130));
    });
  }
  try {
    await demo(stack, locale, brand);
  } finally {
    await stack.stop();
  }
  console.log(`\nDone in ${elapsed()}; the stack is stopped.`);
}
