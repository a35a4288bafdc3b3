import { describe, expect, it } from 'vitest';
import { handler } from '../../../handlers/custom-message.js';
import { loadPack } from '../../../src/authoring/pack-source.js';
import { checkEmail, checkSms } from '../../../src/runtime/check/cognito-rules.js';
import { measureSms } from '../../../src/runtime/check/sms-encoding.js';
import { readMessageConfig } from '../../../src/runtime/config.js';
import { parseCustomMessageEvent } from '../../../src/runtime/event/cognito-event.js';
import { composeCustomMessage } from '../../../src/runtime/message-mode/custom-message.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { CUSTOM_MESSAGE_SOURCES, customMessageEvent } from '../../support/events.js';
import { memoryLogger } from '../../support/memory-log.js';
import { BRANDS, LOCALES } from '../../support/template-set.js';

const config = readMessageConfig({}, embeddedPack);

function compose(event: ReturnType<typeof customMessageEvent>, pack = embeddedPack) {
  const memory = memoryLogger();
  const fields = composeCustomMessage(parseCustomMessageEvent(event), pack, config, memory.log);
  return { fields, ...memory };
}

describe('CustomMessage handler', () => {
  it('embeds every locale and brand of the templates folder', () => {
    expect([...embeddedPack.locales.keys()].sort()).toEqual([...LOCALES].sort());
    expect([...embeddedPack.brands.keys()].sort()).toEqual([...BRANDS].sort());
  });

  for (const source of CUSTOM_MESSAGE_SOURCES) {
    for (const locale of LOCALES) {
      for (const brand of BRANDS) {
        it(`renders ${source} in ${locale} for ${brand} within Cognito's rules`, async () => {
          const event = customMessageEvent(source, { clientMetadata: { locale, brand } });
          const result = await handler(event);
          const { emailSubject, emailMessage, smsMessage } = result.response;
          expect(emailSubject).toEqual(expect.any(String));
          expect(emailMessage).toEqual(expect.any(String));
          expect(smsMessage).toEqual(expect.any(String));
          const required = [{ label: 'code', value: '{####}' }];
          if (source === 'CustomMessage_AdminCreateUser') required.push({ label: 'username', value: '{username}' });
          const link = event.request.linkParameter !== null;
          expect(checkEmail(emailSubject as string, emailMessage as string, required, { cognitoLink: link })).toEqual(
            [],
          );
          expect(checkSms(smsMessage as string, required)).toEqual([]);
          const delivered = (smsMessage as string)
            .replace('{####}', '123456')
            .replace('{username}', 'alice@example.com');
          expect(measureSms(delivered).segments).toBe(1);
          const dir = locale === 'ar' ? 'rtl' : 'ltr';
          expect(emailMessage).toContain(`<html lang="${locale}" dir="${dir}">`);
          expect(emailSubject).toContain(embeddedPack.brands.get(brand)?.productName);
          expect(result.userName).toBe('alice');
        });
      }
    }
  }

  it('gives every source its own subject and SMS wording in every locale', () => {
    for (const locale of LOCALES) {
      const subjects = new Set<string | null>();
      const texts = new Set<string | null>();
      for (const source of CUSTOM_MESSAGE_SOURCES) {
        const { fields } = compose(customMessageEvent(source, { clientMetadata: { locale } }));
        subjects.add(fields.emailSubject);
        texts.add(fields.smsMessage);
      }
      expect(subjects.size, locale).toBe(CUSTOM_MESSAGE_SOURCES.length);
      expect(texts.size, locale).toBe(CUSTOM_MESSAGE_SOURCES.length);
    }
  });

  it('translates every catalog key in every shipped locale', () => {
    const source = embeddedPack.locales.get('en')?.messages ?? {};
    for (const locale of LOCALES) {
      const messages = embeddedPack.locales.get(locale)?.messages ?? {};
      expect(Object.keys(messages).sort(), locale).toEqual(Object.keys(source).sort());
    }
  });

  it('uses the placeholders exactly as Cognito sent them', () => {
    const event = customMessageEvent('CustomMessage_AdminCreateUser');
    event.request.codeParameter = '{####}';
    event.request.usernameParameter = '{username}';
    const { fields } = compose(event);
    expect(fields.emailMessage).toContain('>{username}<');
    expect(fields.emailMessage).toContain('>{####}<');
    expect(fields.smsMessage).toContain('{username}');
  });

  it('keeps the link placeholder markers and localizes the link text', () => {
    const { fields } = compose(customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'fr' } }));
    expect(fields.emailMessage).toMatch(/\{##[^#{}]+##\}/);
    expect(fields.emailMessage).not.toContain('{##Click Here##}');
  });

  it('puts the link placeholder only into messages that verify an address', () => {
    for (const source of ['CustomMessage_ForgotPassword', 'CustomMessage_Authentication'] as const) {
      const { fields } = compose(customMessageEvent(source, { linkParameter: '{##Click Here##}' }));
      expect(fields.emailMessage, source).toContain('{####}');
      expect(fields.emailMessage, source).not.toMatch(/\{##[^#]/);
    }
    const invitation = compose(
      customMessageEvent('CustomMessage_AdminCreateUser', { linkParameter: '{##Click Here##}' }),
    );
    expect(invitation.fields.emailMessage).toContain('{username}');
    expect(invitation.fields.emailMessage).not.toMatch(/\{##[^#]/);
    const update = compose(
      customMessageEvent('CustomMessage_UpdateUserAttribute', { linkParameter: '{##Click Here##}' }),
    );
    expect(update.fields.emailMessage).toMatch(/\{##[^#{}]+##\}/);
  });

  it('leaves the link out when Cognito sends no linkParameter', () => {
    const { fields } = compose(customMessageEvent('CustomMessage_SignUp', { linkParameter: null }));
    expect(fields.emailMessage).not.toMatch(/\{##[^#]/);
  });

  it('returns the whole event with only the response filled', async () => {
    const event = customMessageEvent('CustomMessage_ForgotPassword');
    const result = await handler(structuredClone(event));
    expect({ ...result, response: event.response }).toEqual(event);
  });

  it('keeps the branded email for a name with private-use, unassigned or noncharacter code points', () => {
    for (const name of ['Ann\ue000', 'Ann\ud7fc', 'Ann\u{10ffff}', 'Ann\ud800', '\u{2ee5e}']) {
      const event = customMessageEvent('CustomMessage_SignUp', {
        userAttributes: { email: 'a@example.com', given_name: name },
      });
      expect(compose(event).fields.emailMessage, JSON.stringify(name)).not.toBeNull();
    }
  });

  it('greets the user by a given_name that looks like a name, cleaned, on a password reset', () => {
    const event = customMessageEvent('CustomMessage_ForgotPassword', {
      userAttributes: { email: 'a@example.com', given_name: 'Zoë\u200d' },
    });
    expect(compose(event).fields.emailMessage).toContain('Hello Zoë,');
  });

  it('gives the neutral greeting for a name with markup, a link, an address or a placeholder', () => {
    for (const name of [
      '<b>Zoë</b>',
      'Zoë {####}',
      'ACCOUNT LOCKED! Restore now: https://evil.example/r',
      'evil.example',
      'bob@evil.example',
    ]) {
      const event = customMessageEvent('CustomMessage_ForgotPassword', {
        userAttributes: { email: 'a@example.com', given_name: name },
      });
      const html = compose(event).fields.emailMessage ?? '';
      expect(html, name).toContain('Hello,');
      expect(html.match(/\{####\}/g), name).toHaveLength(1);
      expect(html, name).not.toMatch(/evil|&lt;b&gt;/);
    }
  });

  it('greets by name on a sign-up only when GREET_BY_NAME=always', () => {
    const event = customMessageEvent('CustomMessage_SignUp', {
      userAttributes: { email: 'a@example.com', given_name: 'Zoë' },
    });
    expect(compose(event).fields.emailMessage).not.toContain('Zoë');
    const always = readMessageConfig({ GREET_BY_NAME: 'always' }, embeddedPack);
    const fields = composeCustomMessage(parseCustomMessageEvent(event), embeddedPack, always, memoryLogger().log);
    expect(fields.emailMessage).toContain('Hello Zoë,');
  });
});

describe('CustomMessage fallbacks', () => {
  it('leaves a channel null and logs why when a template breaks Cognito rules', () => {
    const pack = loadPack('templates');
    const broken = new Map(pack.templates);
    broken.set('base/signUp.sms', () => 'Your code is ready\u200b');
    const { fields, entries } = compose(customMessageEvent('CustomMessage_SignUp'), { ...pack, templates: broken });
    expect(fields.smsMessage).toBeNull();
    expect(fields.emailMessage).not.toBeNull();
    const error = entries().find((entry) => entry.level === 'error');
    expect(error).toMatchObject({ channel: 'sms' });
    expect(JSON.stringify(error)).toContain('lacks the code placeholder');
  });

  it('leaves the email null when a template throws, without throwing', () => {
    const pack = loadPack('templates');
    const broken = new Map(pack.templates);
    broken.set('base/layout.html', () => {
      throw new Error('boom');
    });
    const { fields, entries } = compose(customMessageEvent('CustomMessage_SignUp'), { ...pack, templates: broken });
    expect(fields).toMatchObject({ emailSubject: null, emailMessage: null });
    expect(fields.smsMessage).not.toBeNull();
    expect(entries().some((entry) => entry.level === 'error' && entry.channel === 'email')).toBe(true);
  });

  it('leaves every field null for an unknown trigger source', async () => {
    const event = customMessageEvent('CustomMessage_SignUp');
    (event as { triggerSource: string }).triggerSource = 'CustomMessage_SomethingNew';
    const result = await handler(event);
    expect(result.response).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('leaves every field null when the event has no codeParameter', () => {
    const event = customMessageEvent('CustomMessage_SignUp');
    (event.request as { codeParameter: unknown }).codeParameter = null;
    expect(compose(event).fields).toEqual({ smsMessage: null, emailMessage: null, emailSubject: null });
  });

  it('uses the source locale for a key a translation lacks, and says so', () => {
    const pack = loadPack('templates');
    const locales = new Map(pack.locales);
    const fr = locales.get('fr');
    if (!fr) throw new Error('fr missing');
    const { 'signUp.heading': _dropped, ...rest } = fr.messages;
    locales.set('fr', { ...fr, messages: rest });
    const { fields, entries } = compose(
      customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'fr' } }),
      {
        ...pack,
        locales,
      },
    );
    expect(fields.emailMessage).toContain('Welcome to Acme');
    expect(entries().find((entry) => entry.level === 'warn')).toMatchObject({ keys: ['signUp.heading'] });
  });

  it('throws InvalidEventError for an event that is not from Cognito', async () => {
    await expect(handler({} as never)).rejects.toThrow(/triggerSource/);
    await expect(handler(null as never)).rejects.toMatchObject({ name: 'InvalidEventError' });
  });
});

describe('CustomMessage locale and brand choice', () => {
  const subjectFor = (overrides: Parameters<typeof customMessageEvent>[1]) =>
    compose(customMessageEvent('CustomMessage_VerifyUserAttribute', overrides)).fields.emailSubject;

  it('prefers clientMetadata.locale over the locale attribute', () => {
    expect(subjectFor({ clientMetadata: { locale: 'de' }, userAttributes: { locale: 'fr' } })).toContain('E-Mail');
  });

  it("falls back to the user's locale attribute when metadata carries none", () => {
    expect(subjectFor({ clientMetadata: null, userAttributes: { locale: 'ja' } })).toMatch(/[\u3040-\u30ff]/);
  });

  it('falls back to the default locale for unknown or malformed tags', () => {
    const english = subjectFor({ clientMetadata: { locale: 'en' } });
    expect(subjectFor({ clientMetadata: { locale: '../../etc/passwd' } })).toBe(english);
    expect(subjectFor({ clientMetadata: { locale: 'xx-YY' } })).toBe(english);
  });

  it('picks a brand by clientMetadata.brand only when it is configured', () => {
    expect(subjectFor({ clientMetadata: { brand: 'NorthWind' } })).toContain('Northwind');
    expect(subjectFor({ clientMetadata: { brand: '__proto__' } })).toContain('Acme');
    expect(subjectFor({ clientMetadata: { brand: '../northwind' } })).toContain('Acme');
  });

  it('picks the brand mapped to the app client when metadata names none', () => {
    const mapped = readMessageConfig({ BRAND_BY_CLIENT_ID: 'mobile-app:northwind' }, embeddedPack);
    const event = customMessageEvent('CustomMessage_SignUp', { clientId: 'mobile-app' });
    const fields = composeCustomMessage(parseCustomMessageEvent(event), embeddedPack, mapped, memoryLogger().log);
    expect(fields.emailSubject).toContain('Northwind');
  });
});

describe('CustomMessage rendering cache', () => {
  it('answers a repeat shape from memory with an identical response', () => {
    const first = compose(customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'de' } }));
    const second = compose(customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'de' } }));
    expect(second.fields).toEqual(first.fields);
    expect(second.entries().at(-1)).toMatchObject({ cached: true, locale: 'de' });
  });

  it('keys on every input that shapes the message, so users never share a greeting', () => {
    const event = (name: string) =>
      customMessageEvent('CustomMessage_ForgotPassword', {
        userAttributes: { email: 'a@example.com', given_name: name },
      });
    expect(compose(event('Ana')).fields.emailMessage).toContain('Hello Ana,');
    expect(compose(event('Bo')).fields.emailMessage).toContain('Hello Bo,');
    expect(compose(event('Ana')).fields.emailMessage).not.toContain('Bo');
  });

  it('never caches a result that logged a warning, so the warning repeats', () => {
    const pack = loadPack('templates');
    const locales = new Map(pack.locales);
    const es = locales.get('es');
    if (!es) throw new Error('es missing');
    const { 'signUp.subject': _dropped, ...rest } = es.messages;
    locales.set('es', { ...es, messages: rest });
    const broken = { ...pack, locales };
    const event = customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'es' } });
    for (let i = 0; i < 2; i += 1) {
      expect(
        compose(event, broken)
          .entries()
          .some((entry) => entry.level === 'warn'),
      ).toBe(true);
    }
  });
});

describe('CustomMessage with hostile clientMetadata', () => {
  it('ignores every hostile value and still returns a valid response in the default locale and brand', async () => {
    const english = compose(customMessageEvent('CustomMessage_ForgotPassword')).fields;
    const hostile = JSON.parse(
      JSON.stringify({
        locale: '<script>alert(1)</script>',
        brand: 'x'.repeat(10_000),
        linkOrigin: 'javascript:alert(1)',
        template: '../../../../../etc/passwd',
      }).replace(
        '{',
        '{"__proto__":{"locale":"fr","brand":"northwind"},"constructor":{"prototype":{"brand":"northwind"}},',
      ),
    );
    for (const clientMetadata of [
      hostile,
      { locale: 'fr\u0000', brand: 'northwind\u202e' },
      { locale: '{{locale}}', brand: '{{#each}}' },
    ]) {
      const result = await handler(customMessageEvent('CustomMessage_ForgotPassword', { clientMetadata }));
      expect(result.response).toEqual(english);
    }
    expect(({} as Record<string, unknown>).locale).toBeUndefined();
  });
});

describe('CustomMessage: what an invitation names', () => {
  const byAddress = readMessageConfig({ SIGN_IN_ATTRIBUTES: 'email,phone_number' }, embeddedPack);
  const invite = (locale: string) => {
    const event = customMessageEvent('CustomMessage_AdminCreateUser', {
      clientMetadata: { locale },
      userAttributes: {
        sub: '7d3e5b1a-0000-4000-8000-000000000001',
        email: 'alice@example.com',
        phone_number: '+14155550123',
      },
    });
    event.userName = '7d3e5b1a-0000-4000-8000-000000000001';
    return composeCustomMessage(parseCustomMessageEvent(event), embeddedPack, byAddress, memoryLogger().log);
  };

  it('names the address the user types and still carries {username}, as Cognito requires', () => {
    const fields = invite('en');
    expect(fields.smsMessage).toBe(
      'Acme: sign in with your phone number +14155550123 and the temporary password {####} (account {username})',
    );
    expect(fields.emailMessage).toContain('>alice@example.com<');
    expect(fields.emailMessage).toContain('Email address');
    expect(fields.emailMessage).toContain('(account {username})');
  });

  it('keeps every locale within Cognito rules with {username} and the code', () => {
    const required = [
      { label: 'code', value: '{####}' },
      { label: 'username placeholder', value: '{username}' },
    ];
    for (const locale of LOCALES) {
      const fields = invite(locale);
      expect(checkSms(fields.smsMessage ?? '', required), locale).toEqual([]);
      expect(fields.smsMessage, locale).toContain('+14155550123');
      expect(checkEmail(fields.emailSubject ?? '', fields.emailMessage ?? '', required), locale).toEqual([]);
    }
  });

  it('names {username} in a pool with usernames', () => {
    expect(compose(customMessageEvent('CustomMessage_AdminCreateUser')).fields.smsMessage).toBe(
      'Acme: your username is {username} and your temporary password is {####}',
    );
  });
});
