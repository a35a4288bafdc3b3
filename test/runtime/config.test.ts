import { describe, expect, it } from 'vitest';
import { listEnv, readMessageConfig, requiredEnv } from '../../src/runtime/config.js';
import { createLogger, maskEmail, maskPhone } from '../../src/runtime/log.js';
import { embeddedPack } from '../../src/runtime/render/embedded-pack.js';

describe('readMessageConfig', () => {
  it('defaults to en, the default brand and info logging', () => {
    expect(readMessageConfig({}, embeddedPack)).toMatchObject({
      defaultLocale: 'en',
      defaultBrand: 'default',
      logLevel: 'info',
    });
  });

  it('fails at cold start on a locale that is not shipped', () => {
    expect(() => readMessageConfig({ DEFAULT_LOCALE: 'xx' }, embeddedPack)).toThrow(
      /DEFAULT_LOCALE is "xx", which is not a shipped locale/,
    );
  });

  it('fails on an unknown default brand or a malformed client map', () => {
    expect(() => readMessageConfig({ DEFAULT_BRAND: 'nope' }, embeddedPack)).toThrow(
      /DEFAULT_BRAND names brand "nope"/,
    );
    expect(() => readMessageConfig({ BRAND_BY_CLIENT_ID: 'abc' }, embeddedPack)).toThrow(/clientId:brand/);
    expect(() => readMessageConfig({ BRAND_BY_CLIENT_ID: 'abc:nope' }, embeddedPack)).toThrow(/BRAND_BY_CLIENT_ID/);
    expect(() => readMessageConfig({ LOG_LEVEL: 'loud' }, embeddedPack)).toThrow(/LOG_LEVEL/);
  });

  it('maps app clients to brands, trimming whitespace', () => {
    const config = readMessageConfig(
      { BRAND_BY_CLIENT_ID: ' web : northwind , app:default ', DEFAULT_LOCALE: ' fr ' },
      embeddedPack,
    );
    expect([...config.clientBrands]).toEqual([
      ['web', ['northwind']],
      ['app', ['default']],
    ]);
    expect(config.defaultLocale).toBe('fr');
  });

  it('lets BRAND_BY_CLIENT_ID give one app client several brands, the first its own', () => {
    const config = readMessageConfig({ BRAND_BY_CLIENT_ID: 'portal:northwind,portal:default' }, embeddedPack);
    expect(config.clientBrands.get('portal')).toEqual(['northwind', 'default']);
  });

  it('defaults to safe greetings and any brand for unmapped clients, and names a bad choice', () => {
    expect(readMessageConfig({}, embeddedPack)).toMatchObject({
      greetByName: 'verified',
      unmappedClientBrandChoice: 'any',
    });
    expect(readMessageConfig({ GREET_BY_NAME: 'Always' }, embeddedPack).greetByName).toBe('always');
    expect(() => readMessageConfig({ GREET_BY_NAME: 'sometimes' }, embeddedPack)).toThrow(
      'Environment variable GREET_BY_NAME is "sometimes"; use verified, always, never',
    );
    expect(() => readMessageConfig({ UNMAPPED_CLIENT_BRAND_CHOICE: 'all' }, embeddedPack)).toThrow(
      'Environment variable UNMAPPED_CLIENT_BRAND_CHOICE is "all"; use any, default',
    );
  });

  it("reads a stage's extra link origins per brand, and refuses anything but a brand and an https origin", () => {
    const config = readMessageConfig(
      { EXTRA_LINK_ORIGINS: 'northwind=https://staging.northwind.example, northwind=https://pr-7.northwind.example' },
      embeddedPack,
    );
    expect(config.extraLinkOrigins.get('northwind')).toEqual([
      'https://staging.northwind.example',
      'https://pr-7.northwind.example',
    ]);
    for (const bad of [
      'https://staging.northwind.example',
      'northwind=http://x.example',
      'northwind=https://x.example/p',
    ]) {
      expect(() => readMessageConfig({ EXTRA_LINK_ORIGINS: bad }, embeddedPack)).toThrow(/EXTRA_LINK_ORIGINS has/);
    }
    expect(() => readMessageConfig({ EXTRA_LINK_ORIGINS: 'nope=https://x.example' }, embeddedPack)).toThrow(
      /EXTRA_LINK_ORIGINS names brand "nope"/,
    );
  });

  it('names a missing required variable', () => {
    expect(() => requiredEnv({ X: '  ' }, 'X')).toThrow('Environment variable X is required');
    expect(listEnv({ L: 'a, ,b' }, 'L')).toEqual(['a', 'b']);
  });
});

describe('logging', () => {
  it('masks emails and phone numbers', () => {
    expect(maskEmail('alice@example.com')).toBe('a***@e***.com');
    expect(maskEmail('broken')).toBe('***');
    expect(maskEmail(undefined)).toBeNull();
    expect(maskPhone('+14155550123')).toBe('+*******0123');
    expect(maskPhone('123')).toBe('***');
  });

  it('writes one JSON object per line at or above the level, with child fields', () => {
    const lines: string[] = [];
    const log = createLogger({ minLevel: 'warn', write: (line) => lines.push(line) }).child({ requestId: 'r1' });
    log.info('hidden');
    log.warn('shown', { channel: 'sms' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      message: 'shown',
      requestId: 'r1',
      channel: 'sms',
    });
  });

  it('never throws when the writer does, so a lost log stream cannot fail a delivered message', () => {
    const log = createLogger({
      write: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => log.info('sent', { outcome: 'sent' })).not.toThrow();
    expect(() => log.child({ requestId: 'r' }).error('failed')).not.toThrow();
  });
});
