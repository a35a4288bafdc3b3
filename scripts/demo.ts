/**
 * `npm run demo [-- --locale fr] [--brand northwind] [--mode sender|message]`:
 * the flow this pack exists for, in the terminal, against the local stack
 * (src/local-stack/demo.ts): sign up, read the email our function produced,
 * type the code in, end up with email_verified=true.
 */
import { parseArgs } from 'node:util';
import { runDemo } from '../src/local-stack/demo.js';
import { printable } from '../src/operations/printable.js';

const { values } = parseArgs({
  options: {
    locale: { type: 'string', default: 'en' },
    brand: { type: 'string', default: 'default' },
    mode: { type: 'string', default: 'sender' },
  },
});
runDemo({ mode: values.mode, locale: values.locale, brand: values.brand }).catch((error: unknown) => {
  // The message may quote a function's error text or an event: shown, never interpreted by the terminal.
  console.error(`\ndemo failed: ${printable(error instanceof Error ? error.message : String(error))}`);
  process.exit(1);
});
