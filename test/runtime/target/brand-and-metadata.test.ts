import { describe, expect, it } from 'vitest';
import { parseBrandFile } from '../../../src/authoring/brand-schema.js';
import { readClientMetadata } from '../../../src/runtime/event/client-metadata.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import { resolveBrand } from '../../../src/runtime/target/brand.js';

describe('readClientMetadata', () => {
  it('reads locale, brand and linkOrigin and ignores every other key', () => {
    expect(
      readClientMetadata({ locale: 'fr', brand: 'northwind', linkOrigin: 'https://a.example', template: '../x' }),
    ).toEqual({
      locale: 'fr',
      brand: 'northwind',
      linkOrigin: 'https://a.example',
    });
  });

  it('treats missing, null and non-object metadata as empty', () => {
    const empty = { locale: undefined, brand: undefined, linkOrigin: undefined };
    for (const raw of [undefined, null, 'fr', 42, ['fr']]) expect(readClientMetadata(raw)).toEqual(empty);
  });

  it('drops values that are not short strings', () => {
    expect(readClientMetadata({ locale: 'x'.repeat(36), brand: { toString: () => 'northwind' } })).toEqual({
      locale: undefined,
      brand: undefined,
      linkOrigin: undefined,
    });
  });

  it('does not read inherited or prototype keys', () => {
    const hostile = JSON.parse('{"__proto__": {"locale": "fr"}, "constructor": {"brand": "x"}}');
    expect(readClientMetadata(hostile).locale).toBeUndefined();
    expect(readClientMetadata(Object.create({ locale: 'fr' })).locale).toBeUndefined();
  });
});

describe('resolveBrand', () => {
  const brands = embeddedPack.brands;
  const clients = new Map([
    ['web', ['northwind']],
    ['stale', ['deleted-brand']],
    ['portal', ['default', 'northwind']],
  ]);
  const pick = (requested: string | undefined, clientId: string | undefined, unmapped?: 'any' | 'default') =>
    resolveBrand(brands, { requested, clientId }, clients, 'default', unmapped).id;

  it('lets an unmapped app client request any configured brand, and nothing else', () => {
    expect(pick('northwind', undefined)).toBe('northwind');
    expect(pick('NorthWind', 'unmapped-client')).toBe('northwind');
    expect(pick('nope', undefined)).toBe('default');
  });

  it("never lets a mapped app client send as another tenant's brand", () => {
    expect(pick('default', 'web')).toBe('northwind');
    expect(pick(undefined, 'web')).toBe('northwind');
  });

  it('lets a client mapped to several brands choose among them, its first brand by default', () => {
    expect(pick('northwind', 'portal')).toBe('northwind');
    expect(pick(undefined, 'portal')).toBe('default');
  });

  it('ignores the request of an unmapped client when configured so', () => {
    expect(pick('northwind', undefined, 'default')).toBe('default');
    expect(pick('northwind', 'unmapped-client', 'default')).toBe('default');
  });

  it('uses the default when a mapping names a brand that no longer exists', () => {
    expect(pick(undefined, 'stale')).toBe('default');
  });

  it('throws when the default brand itself is missing', () => {
    expect(() => resolveBrand(brands, { requested: undefined, clientId: undefined }, clients, 'gone')).toThrow(/gone/);
  });
});

describe('parseBrandFile', () => {
  // brand.json as written: the logo file's keys are computed from the folder, never written.
  const valid = JSON.parse(
    JSON.stringify({ ...embeddedPack.brands.get('northwind'), id: undefined, logoFiles: undefined }),
  );

  it('accepts the shipped brand', () => {
    expect(parseBrandFile('northwind', valid).productName).toBe('Northwind');
  });

  it('rejects a typo in a key instead of ignoring it', () => {
    expect(() => parseBrandFile('northwind', { ...valid, prodcutName: 'x' })).toThrow(/prodcutName/);
  });

  it('names every invalid field', () => {
    const bad = { ...valid, colors: { ...valid.colors, primary: 'red' }, logoUrl: 'http://insecure.example/logo.png' };
    expect(() => parseBrandFile('northwind', bad)).toThrow(
      /colors\.primary[\s\S]*logoUrl|logoUrl[\s\S]*colors\.primary/,
    );
  });

  it('rejects an SMS sender id Amazon SNS would refuse', () => {
    expect(() => parseBrandFile('northwind', { ...valid, sms: { ...valid.sms, senderId: '12345' } })).toThrow(
      /sender id/,
    );
  });

  it('rejects an allowed origin with a path', () => {
    const links = { ...valid.links, allowedOrigins: ['https://app.example/path'] };
    expect(() => parseBrandFile('northwind', { ...valid, links })).toThrow(/origin/);
  });

  it('rejects a brand id that could be a path', () => {
    expect(() => parseBrandFile('../x', valid)).toThrow(/brand id/);
  });
});
