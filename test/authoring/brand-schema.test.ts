import { describe, expect, it } from 'vitest';
import { parseBrandFile } from '../../src/authoring/brand-schema.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';

describe('brand.json: the SMS options', () => {
  const valid = JSON.parse(
    JSON.stringify({ ...embeddedPack.brands.get('default'), id: undefined, logoFiles: undefined }),
  );
  const { webOtpDomain: _domain, gsm7Transliteration: _transliteration, ...older } = valid.sms;
  const withSms = (sms: Record<string, unknown>) => parseBrandFile('default', { ...valid, sms: { ...older, ...sms } });

  it('needs neither option: no WebOTP line, no transliteration', () => {
    expect(withSms({}).sms).toMatchObject({ webOtpDomain: null, gsm7Transliteration: false });
  });

  it('takes a lower-case host name as sms.webOtpDomain', () => {
    expect(withSms({ webOtpDomain: 'app.example.com' }).sms.webOtpDomain).toBe('app.example.com');
  });

  for (const domain of [
    'https://app.example.com',
    'app.example.com/verify',
    'App.Example.com',
    'localhost',
    '*.example.com',
    'app.example.com:443',
    'app..example.com',
    '-app.example.com',
  ]) {
    it(`refuses "${domain}" as sms.webOtpDomain`, () => {
      expect(() => withSms({ webOtpDomain: domain })).toThrow(
        /sms\.webOtpDomain: a WebOTP domain is a lower-case host name/,
      );
    });
  }

  it('takes sms.gsm7Transliteration as a boolean only', () => {
    expect(withSms({ gsm7Transliteration: true }).sms.gsm7Transliteration).toBe(true);
    expect(() => withSms({ gsm7Transliteration: 'yes' })).toThrow(/sms\.gsm7Transliteration/);
  });
});
