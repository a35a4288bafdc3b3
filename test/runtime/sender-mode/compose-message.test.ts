import { describe, expect, it } from 'vitest';
import { parseSenderEvent } from '../../../src/runtime/event/cognito-event.js';
import type { MessageKind } from '../../../src/runtime/event/message-kind.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import type { TemplatePack } from '../../../src/runtime/render/template-pack.js';
import { composeSenderSms, prepareSms } from '../../../src/runtime/sender-mode/compose-message.js';
import { readSenderConfig } from '../../../src/runtime/sender-mode/sender-config.js';
import { resolveTarget } from '../../../src/runtime/target/resolve-target.js';
import { senderEvent } from '../../support/events.js';
import { memoryLogger } from '../../support/memory-log.js';

const ENV = { KMS_KEY_ARN: 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-0000-0000-000000000000' };
const CODE = '480516';

/** The shipped pack with the default brand's SMS options changed. */
function packWith(sms: { webOtpDomain?: string | null; gsm7Transliteration?: boolean }): TemplatePack {
  const brands = new Map(
    [...embeddedPack.brands].map(([id, brand]) => [id, { ...brand, sms: { ...brand.sms, ...sms } }]),
  );
  return { ...embeddedPack, brands };
}

function sms(pack: TemplatePack, source: string, kind: MessageKind, locale: string, code = CODE) {
  const request = parseSenderEvent(senderEvent(source, 'x', {}), 'customSMSSenderRequestV1');
  const config = readSenderConfig(ENV, pack, 'sms');
  const target = { ...resolveTarget(pack, config, request, kind), locale };
  return { composed: composeSenderSms(pack, config, request, target, code, '+14155550123'), config, request, target };
}

describe('composeSenderSms: the WebOTP line', () => {
  const pack = packWith({ webOtpDomain: 'app.example.com' });

  it('ends a one-time code SMS with exactly "@<domain> #<code>" on its own last line', () => {
    const { composed } = sms(pack, 'CustomSMSSender_SignUp', 'signUp', 'en');
    expect(composed.outgoing.text).toBe(
      `Acme: ${CODE} is your code to confirm your account.\n@app.example.com #${CODE}`,
    );
    expect(composed.violations).toEqual([]);
  });

  it('keeps the line exact and left to right in an RTL SMS, whose text is isolated', () => {
    const { composed } = sms(pack, 'CustomSMSSender_Authentication', 'authentication', 'ar');
    const lines = composed.outgoing.text.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe(`@app.example.com #${CODE}`);
    expect(lines[0]).toContain(`\u2066${CODE}\u2069`);
    expect(composed.violations).toEqual([]);
  });

  it('adds no line to an invitation: a temporary password is not a one-time code', () => {
    const { composed } = sms(pack, 'CustomSMSSender_AdminCreateUser', 'adminCreateUser', 'en', 'Tq7#mZp2Rw9x');
    expect(composed.outgoing.text).not.toContain('\n');
  });

  it('adds no line for a brand without webOtpDomain', () => {
    expect(sms(embeddedPack, 'CustomSMSSender_SignUp', 'signUp', 'en').composed.outgoing.text).not.toContain('\n');
  });

  it('never writes the code into a log line or an error', () => {
    // A one-segment budget the WebOTP line overruns: the warning names the template's characters, never the code.
    const tight = packWith({ webOtpDomain: 'a-rather-long-subdomain.app.example.com' });
    // Portuguese is UCS-2 here (70 a segment), so the line makes it two segments.
    const { config, request, target } = sms(tight, 'CustomSMSSender_ForgotPassword', 'forgotPassword', 'pt-BR');
    const memory = memoryLogger();
    const out = prepareSms({ pack: tight, config }, request, target, CODE, '+14155550123', memory.log);
    expect(out.text.endsWith(`\n@a-rather-long-subdomain.app.example.com #${CODE}`)).toBe(true);
    expect(memory.lines.length).toBeGreaterThan(0);
    for (const line of memory.lines) expect(line).not.toContain(CODE);
  });
});

describe('composeSenderSms: GSM-7 transliteration', () => {
  it('writes a Latin-script SMS in GSM-7 for a brand that opts in, keeping the code as it is', () => {
    const pack = packWith({ gsm7Transliteration: true });
    const { composed } = sms(pack, 'CustomSMSSender_SignUp', 'signUp', 'es', 'Á9');
    expect(composed.outgoing.text).toBe('Acme: tu codigo para confirmar tu cuenta es Á9.');
    expect(sms(pack, 'CustomSMSSender_SignUp', 'signUp', 'es').composed.composed.size.encoding).toBe('GSM-7');
    expect(sms(embeddedPack, 'CustomSMSSender_SignUp', 'signUp', 'es').composed.composed.size.encoding).toBe('UCS-2');
  });

  it('leaves Arabic and Japanese alone', () => {
    const pack = packWith({ gsm7Transliteration: true });
    expect(sms(pack, 'CustomSMSSender_SignUp', 'signUp', 'ja').composed.outgoing.text).toBe(
      sms(embeddedPack, 'CustomSMSSender_SignUp', 'signUp', 'ja').composed.outgoing.text,
    );
  });
});

describe('composeSenderSms: isolates from outside', () => {
  it('refuses a username or code that carries a bidi isolate, naming only its label', () => {
    const request = parseSenderEvent(
      senderEvent('CustomSMSSender_AdminCreateUser', 'x', { userName: 'eve\u2067\u202eevil' }),
      'customSMSSenderRequestV1',
    );
    const config = readSenderConfig(ENV, embeddedPack, 'sms');
    const target = resolveTarget(embeddedPack, config, request, 'adminCreateUser');
    const composed = composeSenderSms(embeddedPack, config, request, target, 'Tq7\u2066mZp2', '+14155550123');
    expect(composed.violations).toContain('the code has a bidi isolate (U+2066–U+2069), which only the pack writes');
    expect(composed.violations).toContain(
      'the username has a bidi isolate (U+2066–U+2069), which only the pack writes',
    );
    expect(composed.violations.join(' ')).not.toContain('Tq7');
  });
});
