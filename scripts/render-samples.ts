/**
 * Renders every CustomMessage source × locale × brand from `templates/` into
 * `out/samples/` and prints where they are.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseCustomMessageEvent } from '../src/cognito-event.js';
import { readMessageConfig } from '../src/config.js';
import { composeCustomMessage } from '../src/custom-message.js';
import { createLogger } from '../src/log.js';
import { triggerSourcesOf } from '../src/message-kind.js';
import { loadPack } from '../src/pack-source.js';

const pack = loadPack('templates');
const config = readMessageConfig(process.env, pack);
const log = createLogger({ minLevel: 'warn' });
const out = resolve('out/samples');
rmSync(out, { recursive: true, force: true });
let count = 0;
for (const triggerSource of triggerSourcesOf('CustomMessage')) {
  for (const locale of pack.locales.keys()) {
    for (const brand of pack.brands.keys()) {
      const request = parseCustomMessageEvent({
        triggerSource,
        userPoolId: 'us-east-1_Sample',
        userName: 'alice',
        request: {
          userAttributes: { email: 'alice@example.com' },
          codeParameter: '{####}',
          usernameParameter: triggerSource.endsWith('AdminCreateUser') ? '{username}' : null,
          clientMetadata: { locale, brand },
        },
      });
      const fields = composeCustomMessage(request, pack, config, log);
      const dir = join(out, brand, locale);
      mkdirSync(dir, { recursive: true });
      const name = triggerSource.replace('CustomMessage_', '');
      writeFileSync(join(dir, `${name}.html`), fields.emailMessage ?? '(Cognito default message)');
      writeFileSync(join(dir, `${name}.txt`), `Subject: ${fields.emailSubject}\nSMS: ${fields.smsMessage}\n`);
      count += 1;
    }
  }
}
console.log(`Rendered ${count} messages into ${out}`);
