/**
 * `npm run demo [-- --locale fr] [--brand northwind] [--mode sender|message]`:
 * the flow this pack exists for, in the terminal, against the local stack.
 * alice@example.com signs up, asks Cognito (cognito-local) for an email
 * verification code in the chosen locale, reads the email our function
 * produced, types the code in and ends up with email_verified=true.
 */
import { parseArgs } from 'node:util';
import { demo, done, step } from '../src/local-stack/demo.js';
import { shippedLocales } from '../src/local-stack/read-message.js';
import { type StackMode, startStack } from '../src/local-stack/start-stack.js';
import { printable } from '../src/operations/printable.js';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      locale: { type: 'string', default: 'en' },
      brand: { type: 'string', default: 'default' },
      mode: { type: 'string', default: 'sender' },
    },
  });
  const { locale, brand } = values;
  if (!shippedLocales().includes(locale)) {
    throw new Error(`--locale must be one of ${shippedLocales().join(', ')}, not "${locale}"`);
  }
  if (values.mode !== 'sender' && values.mode !== 'message') throw new Error('--mode must be sender or message');
  const mode: StackMode = values.mode;

  step(`Start the local stack (${mode} mode): moto (KMS, SES, SNS), the Lambda endpoint, cognito-local`);
  const stack = await startStack({ mode, logLevel: 'warn' });
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

main().catch((error: unknown) => {
  // The message may quote a function's error text or an event: shown, never interpreted by the terminal.
  console.error(`\ndemo failed: ${printable(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
