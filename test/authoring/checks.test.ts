import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CheckName,
  catalogCheck,
  cognitoRulesCheck,
  directionCheck,
  placeholderCheck,
  renderCheck,
  rtlCheck,
  smsSizeCheck,
  splitViolations,
  webOtpCheck,
  worstStatus,
} from '../../src/authoring/checks.js';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery, type Gallery, type PreviewEntry } from '../../src/authoring/preview/gallery.js';
import { measureSms } from '../../src/runtime/check/sms-encoding.js';
import { copyTemplates } from '../support/temp-templates.js';

const AR = { tag: 'ar', name: 'العربية', dir: 'rtl' as const, messages: {} };
const EN = { tag: 'en', name: 'English', dir: 'ltr' as const, messages: {} };

/** Changes one catalog string (dotted key) in a copy of the templates; `undefined` deletes it. */
function setCatalogString(dir: string, file: string, key: string, value: string | undefined): void {
  const path = join(dir, file);
  const catalog = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const names = key.split('.');
  const last = names.pop() ?? '';
  let section = catalog;
  for (const name of names) {
    section[name] ??= {};
    section = section[name] as Record<string, unknown>;
  }
  if (value === undefined) delete section[last];
  else section[last] = value;
  writeFileSync(path, JSON.stringify(catalog, null, 2));
}

function check(entry: PreviewEntry | undefined, name: CheckName) {
  const found = entry?.checks.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} check on ${entry?.id}`);
  return found;
}

describe('check functions', () => {
  it('sorts missing and stray placeholders apart from length and character violations', () => {
    expect(
      splitViolations([
        'smsMessage is 150 characters; Cognito accepts 6–140',
        'smsMessage lacks the code placeholder',
        'emailMessage contains an unrendered placeholder "{name}"',
      ]),
    ).toEqual({
      rules: ['smsMessage is 150 characters; Cognito accepts 6–140'],
      placeholders: [
        'smsMessage lacks the code placeholder',
        'emailMessage contains an unrendered placeholder "{name}"',
      ],
    });
  });

  it('passes Cognito rules with what was measured, and fails with the validator reasons', () => {
    expect(cognitoRulesCheck([], ['smsMessage: 40 characters'])).toMatchObject({
      status: 'pass',
      details: ['smsMessage: 40 characters'],
    });
    expect(cognitoRulesCheck(['emailMessage has a disallowed character U+200B at 12'], [])).toMatchObject({
      status: 'fail',
      details: ['emailMessage has a disallowed character U+200B at 12'],
    });
  });

  it('lists the placeholders found, or says none is needed', () => {
    expect(placeholderCheck([], ['code placeholder "{####}"']).details).toEqual(['has the code placeholder "{####}"']);
    expect(placeholderCheck([], []).details).toEqual(['this message needs no placeholder']);
    expect(placeholderCheck(['smsMessage lacks the code placeholder'], ['x']).status).toBe('fail');
  });

  it('reports a render failure with its message', () => {
    expect(renderCheck([], 'template "signUp.sms" failed: "nope" not defined')).toMatchObject({
      status: 'fail',
      details: ['template "signUp.sms" failed: "nope" not defined'],
    });
  });

  it('fails an SMS that needs more segments than the brand allows, naming what forced UCS-2', () => {
    const size = measureSms(`Acme: {####} ist dein Code. ${'Ünïcödé '.repeat(6)}✓`);
    const result = smsSizeCheck(size, 1);
    expect(result.status).toBe('fail');
    expect(result.details[0]).toBe(`needs 2 segments of UCS-2 (${size.units} UTF-16 units); the brand allows 1`);
    expect(result.details[1]).toContain('"ï" (U+00EF)');
    expect(result.details[1]).toContain('"✓" (U+2713)');
  });

  it('passes a GSM-7 SMS within budget and says how it was measured', () => {
    const result = smsSizeCheck(measureSms('Acme: 123456 is your code.'), 1, 'measured as delivered');
    expect(result).toMatchObject({
      status: 'pass',
      details: ['GSM-7, 26 septets (one segment holds 160): 1 segment; the brand allows 1', 'measured as delivered'],
    });
  });

  it('shortens a long list of non-GSM characters', () => {
    const result = smsSizeCheck(measureSms('Kod: ąćęłńśźż ĄĆĘ 123456'), 1);
    expect(result.details[1]).toMatch(/and \d+ more$/);
  });

  it('checks lang and dir on the rendered <html>', () => {
    expect(directionCheck('<!DOCTYPE html><html lang="ar" dir="rtl"><body></body></html>', AR)).toMatchObject({
      status: 'pass',
      details: ['<html lang="ar" dir="rtl">'],
    });
    expect(directionCheck("<html lang='ar' dir='ltr'>", AR).details).toEqual([
      '<html dir="ltr"> but ar is "rtl" (meta.dir in its messages.json)',
    ]);
    expect(directionCheck('<html lang="en">', AR).details).toEqual([
      '<html lang="en"> but the locale is "ar"',
      '<html> has no dir attribute; ar is written right to left (dir="rtl")',
    ]);
    expect(directionCheck('<html dir=ltr>', EN).details).toEqual(['<html> has no lang attribute; expected lang="en"']);
    expect(directionCheck('<html lang="EN">', EN)).toMatchObject({
      status: 'pass',
      details: ['<html lang="EN" dir="ltr (default)">'],
    });
    expect(directionCheck('<p>no document</p>', EN).details).toEqual([
      'the email has no <html> element to carry lang="en"',
    ]);
  });

  it('does not mistake xml:lang for lang', () => {
    expect(directionCheck('<html xml:lang="en" dir="ltr">', EN).status).toBe('fail');
  });

  it('lists catalog keys a locale lacks, used or not, and notes brand wording kept in the source locale', () => {
    const dir = copyTemplates();
    setCatalogString(dir, 'locales/es/messages.json', 'signUp.intro', undefined);
    setCatalogString(dir, 'locales/es/messages.json', 'common.greetingNamed', undefined);
    rmSync(join(dir, 'brands/northwind/de/messages.json'));
    const pack = loadPack(dir);
    const email = { kind: 'signUp' as const, channel: 'email' as const, locale: 'es', brand: 'default' };
    expect(catalogCheck(pack, email, ['signUp.intro'])).toMatchObject({
      status: 'fail',
      details: [
        'es lacks "signUp.intro"; this message shows the en text instead',
        'es also lacks "common.greetingNamed", which other signUp messages use',
      ],
    });
    expect(catalogCheck(pack, { ...email, channel: 'sms' }, []).status).toBe('pass');
    expect(catalogCheck(pack, { ...email, locale: 'de', brand: 'northwind' }, [])).toMatchObject({
      status: 'warn',
      details: [expect.stringContaining('brand northwind rewords "signUp.heading" in en only')],
    });
    expect(catalogCheck(pack, { ...email, locale: 'en' }, []).status).toBe('pass');
  });

  it('takes the worst status', () => {
    const pass = cognitoRulesCheck([], []);
    const fail = cognitoRulesCheck(['x'], []);
    const warn = { ...pass, status: 'warn' as const };
    expect(worstStatus([])).toBe('pass');
    expect(worstStatus([pass, warn])).toBe('warn');
    expect(worstStatus([warn, fail, pass])).toBe('fail');
  });
});

describe('the gallery finds what Cognito would reject', () => {
  let gallery: Gallery;
  let layoutDir = '';
  const entry = (id: string) => gallery.entries.find((candidate) => candidate.id === id);

  beforeAll(() => {
    const dir = copyTemplates();
    // Each breakage targets its own locale or brand, so one render covers them all.
    setCatalogString(
      dir,
      'locales/en/messages.json',
      'signUp.sms',
      `{product}: {code} is your code. ${'Thanks! '.repeat(20)}`,
    );
    setCatalogString(dir, 'locales/de/messages.json', 'signUp.sms', '{product}: hier ist dein Code.');
    setCatalogString(dir, 'locales/fr/messages.json', 'signUp.intro', 'Merci\u200b pour votre inscription.');
    setCatalogString(dir, 'locales/es/messages.json', 'signUp.intro', undefined);
    // The sample pool signs in by address, so its SMS invitation reads the byPhone string.
    setCatalogString(
      dir,
      'locales/ja/messages.json',
      'adminCreateUser.byPhone.sms',
      '{product}: 仮パスワードは {code} です {accountNote}',
    );
    const layout = readFileSync(join(dir, 'base/layout.html.hbs'), 'utf8');
    writeFileSync(join(dir, 'locales/ar/layout.html.hbs'), layout.replace('dir="{{locale.dir}}"', 'dir="ltr"'));
    layoutDir = dir;
    writeFileSync(join(dir, 'brands/northwind/resendCode.sms.hbs'), '{{brand.productName}} {{code}} {{nope}}');
    gallery = buildGallery(loadPack(dir));
  });

  it('fails an over-long SMS on length and on segments', () => {
    const sms = entry('message.sms.SignUp.en.default');
    expect(check(sms, 'cognito')).toMatchObject({
      status: 'fail',
      details: [expect.stringMatching(/^smsMessage is \d+ characters; Cognito accepts 6–140$/)],
    });
    expect(check(sms, 'smsSize').status).toBe('fail');
    expect(check(sms, 'smsSize').details[0]).toMatch(/^needs 2 segments of GSM-7/);
    expect(sms?.outcome).toBe("CustomMessage returns null: Cognito sends the pool's default SMS instead");
    // The sender publishes through SNS, which takes it: only the segment budget is over.
    const sender = entry('sender.sms.SignUp.en.default');
    expect(sender?.outcome).toBe('CustomSMSSender sends this through SNS and logs a segment-budget warning');
    expect(check(sender, 'cognito').status).toBe('pass');
    expect(check(sender, 'smsSize').status).toBe('fail');
  });

  it('fails an SMS without the code placeholder, and only on placeholders', () => {
    const sms = entry('message.sms.SignUp.de.default');
    expect(check(sms, 'placeholders')).toMatchObject({
      status: 'fail',
      details: ['smsMessage lacks the code placeholder'],
    });
    expect(check(sms, 'cognito').status).toBe('pass');
    expect(check(entry('sender.sms.SignUp.de.default'), 'placeholders').details).toEqual(['smsMessage lacks the code']);
  });

  it('fails an invitation without the username', () => {
    expect(check(entry('message.sms.AdminCreateUser.ja.default'), 'placeholders').details).toEqual([
      'smsMessage lacks the username',
    ]);
  });

  it('fails a zero-width character and still shows the message', () => {
    const email = entry('message.email.SignUp.fr.default');
    expect(check(email, 'cognito').status).toBe('fail');
    expect(check(email, 'cognito').details[0]).toMatch(/^emailMessage has a disallowed character U\+200B at \d+$/);
    expect(email?.email?.html).toContain('Merci\u200b');
    const sent = entry('sender.email.SignUp.fr.northwind');
    expect(sent?.outcome).toContain('refuses to send');
    expect(check(sent, 'cognito').details).toEqual(expect.arrayContaining([expect.stringContaining('U+200B')]));
  });

  it('fails a missing translation and names the key', () => {
    const email = entry('message.email.SignUp.es.default');
    expect(check(email, 'catalog')).toMatchObject({
      status: 'fail',
      details: ['es lacks "signUp.intro"; this message shows the en text instead'],
    });
    expect(email?.email?.html).toContain('Thanks for signing up.');
    expect(check(entry('message.sms.SignUp.es.default'), 'catalog').status).toBe('pass');
  });

  it('fails a layout whose dir does not match the locale', () => {
    expect(check(entry('sender.email.Authentication.ar.default'), 'direction')).toMatchObject({
      status: 'fail',
      details: ['<html dir="ltr"> but ar is "rtl" (meta.dir in its messages.json)'],
    });
    // The file that served the layout, as read: this copy's own.
    expect(check(entry('sender.email.Authentication.ar.default'), 'render').details).toContain(
      join(layoutDir, 'locales/ar/layout.html.hbs'),
    );
  });

  it('shows a template that cannot render as a render failure, for that brand only', () => {
    const broken = entry('message.sms.ResendCode.en.northwind');
    expect(broken?.status).toBe('fail');
    expect(broken?.checks).toEqual([
      expect.objectContaining({ name: 'render', status: 'fail', details: [expect.stringContaining('nope')] }),
    ]);
    expect(broken?.sms).toBeNull();
    expect(entry('message.sms.ResendCode.en.default')?.status).toBe('pass');
  });
});

describe('rtlCheck', () => {
  it('fails an RTL SMS whose first letter is Latin, and passes one that starts in Arabic', () => {
    expect(rtlCheck('Acme: رمزك {####}', 'rtl', ['{####}'], false)).toMatchObject({
      status: 'fail',
      details: [expect.stringMatching(/^starts with left-to-right text, so phones lay it out left to right/)],
    });
    expect(rtlCheck('رمزك في Acme هو {####}', 'rtl', ['{####}'], false).status).toBe('pass');
  });

  it('skips what sits in an isolate when it finds the first letter', () => {
    expect(rtlCheck('\u2068Acme\u2069 رمزك', 'rtl', [], true).status).toBe('pass');
  });

  it('fails a URL, address or code that is neither isolated nor on its own line, where isolates are allowed', () => {
    const check = rtlCheck('رمزك 123456 عبر help@example.com [https://a.example]', 'rtl', ['123456'], true);
    expect(check.status).toBe('fail');
    expect(check.details).toEqual([
      '"help@example.com" is neither isolated (LRI or FSI … PDI) nor on its own line',
      '"https://a.example]" is neither isolated (LRI or FSI … PDI) nor on its own line',
      'the code is neither isolated (LRI or FSI … PDI) nor on its own line',
    ]);
    expect(rtlCheck('رمزك \u2066123456\u2069\nhttps://a.example', 'rtl', ['123456'], true).status).toBe('pass');
  });

  it('passes every left-to-right locale', () => {
    expect(rtlCheck('Acme: 123456', 'ltr', ['123456'], true).status).toBe('pass');
  });
});

describe('smsSizeCheck and the SMS rules title', () => {
  it('lists the characters that force UCS-2 in a Latin text, and says the script for one GSM-7 has no letters for', () => {
    expect(smsSizeCheck(measureSms('Código 123456'), 1).details[1]).toBe('UCS-2 because of "ó" (U+00F3)');
    expect(smsSizeCheck(measureSms('رمزك 123456'), 1).details[1]).toBe(
      'UCS-2: the text is in a script GSM-7 has no letters for',
    );
  });

  it('titles the rules of an SMS sent through SNS after SNS', () => {
    expect(cognitoRulesCheck([], [], 'SNS').title).toBe('SNS length and character rules');
    expect(cognitoRulesCheck([], []).title).toBe('Cognito length and character rules');
  });
});

describe('webOtpCheck', () => {
  it('passes a sender SMS whose last line is exactly "@domain #code"', () => {
    expect(webOtpCheck('Acme: 123456\n@app.example.com #123456', 'app.example.com', 'sender', '123456').status).toBe(
      'pass',
    );
  });

  it('fails a missing, altered or misplaced line, without writing the code', () => {
    for (const text of [
      'Acme: 123456',
      'Acme: 123456\n@app.example.com  #123456',
      'Acme: 123456 @app.example.com #123456',
    ]) {
      const check = webOtpCheck(text, 'app.example.com', 'sender', '123456');
      expect(check.status, text).toBe('fail');
      expect(check.details.join(' ')).not.toContain('123456');
    }
  });

  it('warns in message mode: Cognito sends one line, so only the senders can add it', () => {
    expect(webOtpCheck('Acme: {####}', 'app.example.com', 'message', '123456')).toMatchObject({
      status: 'warn',
      details: [
        expect.stringMatching(/as one line, so it cannot end with "@app\.example\.com #code"; only the senders/),
      ],
    });
  });
});

describe('smsSizeCheck with the GSM-7 transliteration on', () => {
  it('fails when letters without a GSM-7 form keep the SMS UCS-2', () => {
    const check = smsSizeCheck(measureSms('codigo 確認 123456'), 1, null, true);
    expect(check.status).toBe('fail');
    expect(check.details[0]).toMatch(
      /^sms\.gsm7Transliteration is on, but "確" \(U\+78BA\) "認" \(U\+8A8D\) have no GSM-7 form/,
    );
  });

  it('says the text was written in GSM-7', () => {
    expect(smsSizeCheck(measureSms('codigo 123456'), 1, null, true).details).toContain(
      "written in GSM-7 by the brand's sms.gsm7Transliteration",
    );
  });
});
