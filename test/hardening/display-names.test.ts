/**
 * Display-name phishing: a stranger signs up with a victim's address and a
 * `given_name` that carries a link, a host, an address or a phone number. With
 * the most permissive setting (GREET_BY_NAME=always, so every message shows a
 * name), no rendered message of either mode may contain a host, an address or a
 * long number that the templates did not put there themselves: the same
 * message rendered with no name is the reference.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readMessageConfig } from '../../src/runtime/config.js';
import { parseCustomMessageEvent, parseSenderEvent } from '../../src/runtime/event/cognito-event.js';
import { kindOfTriggerSource } from '../../src/runtime/event/message-kind.js';
import { createLogger } from '../../src/runtime/log.js';
import { composeCustomMessage } from '../../src/runtime/message-mode/custom-message.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';
import { prepareEmail } from '../../src/runtime/sender-mode/compose-message.js';
import { readSenderConfig } from '../../src/runtime/sender-mode/sender-config.js';
import { resolveTarget } from '../../src/runtime/target/resolve-target.js';
import { CUSTOM_MESSAGE_SOURCES, customMessageEvent, EMAIL_SENDER_SOURCES, senderEvent } from '../support/events.js';
import { phishingName, untrustedText } from './support/arbitraries.js';
import { figureBook, Tally } from './support/figures.js';
import { escapeHtml } from './support/oracles.js';
import { FUZZ_RUNS } from './support/sender-fuzz.js';

const book = figureBook('display-names');
afterAll(() => book.write());

const env = {
  GREET_BY_NAME: 'always',
  KMS_KEY_ARN: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  EMAIL_FROM: 'Acme <no-reply@example.com>',
};
const messageConfig = readMessageConfig(env, embeddedPack);
const senderConfig = readSenderConfig(env, embeddedPack, 'email');
const silent = createLogger({ minLevel: 'error', write: () => {} });
const LOCALES = [...embeddedPack.locales.keys()];
const BRANDS = [...embeddedPack.brands.keys()];
const SOURCES = EMAIL_SENDER_SOURCES.filter((source) => !source.endsWith('AccountTakeOverNotification'));

// After NFKC and with every look-alike dot made a dot: hosts, addresses, long numbers.
const LOOK_ALIKE_DOT = /[\u2024\u3002\uff0e\uff61\ufe52]|\s\.\s/gu;
const INVISIBLE = /[\p{Cf}]/gu;
const HOST = /[\p{L}\p{N}-]{2,}(?:\.[\p{L}\p{N}-]{2,})+/gu;
const ADDRESS_OR_NUMBER = /@|\d{7,}|\d{3}[ -]\d{3,}/gu;

/** Every host, `@` and long number a reader (or a mail client's linkifier) could see in `text`. */
function linkables(text: string): Set<string> {
  const folded = text.normalize('NFKC').replace(INVISIBLE, '').replace(LOOK_ALIKE_DOT, '.');
  return new Set([...(folded.match(HOST) ?? []), ...(folded.match(ADDRESS_OR_NUMBER) ?? [])]);
}

function added(rendered: string, reference: string): string[] {
  const known = linkables(reference);
  return [...linkables(rendered)].filter((item) => !known.has(item));
}

function messageMode(source: (typeof CUSTOM_MESSAGE_SOURCES)[number], locale: string, brand: string, name?: string) {
  const attributes: Record<string, string> = { sub: 'sub-1', email: 'alice@example.com' };
  if (name !== undefined) attributes.given_name = name;
  const event = customMessageEvent(source, { userAttributes: attributes, clientMetadata: { locale, brand } });
  const fields = composeCustomMessage(parseCustomMessageEvent(event), embeddedPack, messageConfig, silent);
  return `${fields.emailSubject}\n${fields.emailMessage}\n${fields.smsMessage}`;
}

function senderMode(source: (typeof SOURCES)[number], locale: string, brand: string, name?: string) {
  const attributes: Record<string, string> = { sub: 'sub-1', email: 'alice@example.com' };
  if (name !== undefined) attributes.given_name = name;
  const raw = senderEvent(source, 'AA==', { userAttributes: attributes, clientMetadata: { locale, brand } });
  const request = parseSenderEvent(raw, 'customEmailSenderRequestV1');
  const kind = kindOfTriggerSource('CustomEmailSender', source);
  if (!kind) throw new Error(`no kind for ${source}`);
  const target = resolveTarget(embeddedPack, senderConfig, request, kind);
  const email = prepareEmail(
    { pack: embeddedPack, config: senderConfig },
    request,
    target,
    '48213',
    'alice@example.com',
  );
  return `${email.subject}\n${email.html}\n${email.text}`;
}

describe('display names', () => {
  it('never put a host, an address or a phone number into a message, in either mode', () => {
    const tally = new Tally();
    let cases = 0;
    let held = 0;
    const failures: string[] = [];
    fc.assert(
      fc.property(
        fc.oneof({ weight: 3, arbitrary: phishingName }, { weight: 1, arbitrary: untrustedText }),
        fc.constantFrom(...CUSTOM_MESSAGE_SOURCES),
        fc.constantFrom(...SOURCES),
        fc.constantFrom(...LOCALES),
        fc.constantFrom(...BRANDS),
        (name, messageSource, senderSource, locale, brand) => {
          cases += 1;
          const problems = [
            ...added(messageMode(messageSource, locale, brand, name), messageMode(messageSource, locale, brand)),
            ...added(senderMode(senderSource, locale, brand, name), senderMode(senderSource, locale, brand)),
          ];
          tally.add(problems.length === 0 ? 'held' : 'added a linkable');
          if (problems.length === 0) held += 1;
          else failures.push(`${JSON.stringify(name)}: ${problems.join(', ')}`);
          return problems.length === 0;
        },
      ),
      { numRuns: Math.max(1_000, Math.floor(FUZZ_RUNS / 4)) },
    );
    book.add({
      group: 'fuzz',
      label: 'display names (GREET_BY_NAME=always)',
      cases,
      held,
      notes: [
        'URL-, host-, address- and phone-like names, full-width and Cyrillic letters, look-alike dots, in bait sentences; both modes, every source, locale and brand',
        tally.toString(),
      ],
    });
    expect(failures).toEqual([]);
  });

  it('keeps real names in every script', () => {
    for (const name of ['Zoë', 'María José', "O'Brien", 'J.R.', 'Jean-Luc', 'Marcel·lí', '李小龍', 'محمد', 'Ёлка']) {
      expect(messageMode('CustomMessage_ForgotPassword', 'en', 'default', name)).toContain(escapeHtml(name));
    }
  });
});
