import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack, readPackSource } from '../../src/authoring/pack-source.js';
import type { MessageValues } from '../../src/runtime/render/render.js';
import { renderEmail, renderSms } from '../../src/runtime/render/render.js';
import { copyTemplates } from '../support/temp-templates.js';

const VALUES: MessageValues = {
  code: '{####}',
  username: null,
  cognitoLink: null,
  verifyUrl: null,
  signInUrl: null,
  name: null,
  accountTakeOver: null,
};

function target(dir: string, brand: string, locale: string) {
  const pack = loadPack(dir);
  const found = pack.brands.get(brand);
  if (!found) throw new Error(brand);
  return { pack, target: { kind: 'signUp' as const, locale, brand: found } };
}

describe('template overrides', () => {
  it('overrides one template for a brand and keeps the rest', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/northwind/signUp.sms.hbs'), '{{brand.productName}} code {{code}} (custom)');
    const { pack, target: northwind } = target(dir, 'northwind', 'en');
    expect(renderSms(pack, northwind, VALUES).text).toBe('Northwind code {####} (custom)');
    expect(renderEmail(pack, northwind, VALUES).subject).toBe('Confirm your Northwind account');
    const acme = { ...northwind, brand: pack.brands.get('default') ?? northwind.brand };
    expect(renderSms(pack, acme, VALUES).text).toBe('Acme: {####} is your code to confirm your account.');
  });

  it('prefers brand+locale over brand over locale over base', () => {
    const dir = copyTemplates();
    mkdirSync(join(dir, 'brands/northwind/de'), { recursive: true });
    writeFileSync(join(dir, 'locales/de/signUp.sms.hbs'), 'locale {{code}}');
    writeFileSync(join(dir, 'brands/northwind/signUp.sms.hbs'), 'brand {{code}}');
    writeFileSync(join(dir, 'brands/northwind/de/signUp.sms.hbs'), 'brand-locale {{code}}');
    const { pack, target: t } = target(dir, 'northwind', 'de');
    expect(renderSms(pack, t, VALUES).text).toBe('brand-locale {####}');
    expect(renderSms(pack, { ...t, locale: 'fr' }, VALUES).text).toBe('brand {####}');
    expect(renderSms(pack, { ...t, brand: pack.brands.get('default') ?? t.brand }, VALUES).text).toBe('locale {####}');
  });

  it('overrides single catalog strings per brand and locale', () => {
    const { pack, target: t } = target('templates', 'northwind', 'en');
    expect(renderEmail(pack, t, VALUES).html).toContain('Welcome aboard, from all of us at Northwind');
  });

  it('escapes HTML templates and leaves subject and SMS as plain text', () => {
    const { pack, target: t } = target('templates', 'default', 'en');
    const email = renderEmail(pack, { ...t, kind: 'adminCreateUser' }, { ...VALUES, username: '{username}' });
    expect(email.subject).toBe("You're invited to Acme");
    expect(email.html).toContain('you&#x27;ll be asked');
  });
});

describe('readPackSource', () => {
  it('rejects an unknown template name', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'base/signup.html.hbs'), 'x');
    expect(() => readPackSource(dir)).toThrow(/signup\.html\.hbs: unknown template name/);
  });

  it('rejects a locale folder that is not a canonical tag', () => {
    const dir = copyTemplates();
    mkdirSync(join(dir, 'locales/pt-br'));
    expect(() => readPackSource(dir)).toThrow(/canonical tag "pt-BR"/);
  });

  it('rejects a catalog without meta, or with a non-string value', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'locales/de/messages.json'), '{"signUp": {"subject": "x"}}');
    expect(() => readPackSource(dir)).toThrow(/"meta" needs a "name"/);
    writeFileSync(
      join(dir, 'locales/de/messages.json'),
      '{"meta": {"name": "D", "dir": "ltr"}, "signUp": {"subject": 1}}',
    );
    expect(() => readPackSource(dir)).toThrow(
      `${join(dir, 'locales/de/messages.json')}:1:61: catalog entry "signUp.subject" must be a string or an object of strings`,
    );
  });

  it('rejects broken JSON with the file name', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/default/brand.json'), '{');
    expect(() => readPackSource(dir)).toThrow(/brands\/default\/brand\.json/);
  });

  it('names a brand field at its line and column, and every wrong field', () => {
    const dir = copyTemplates();
    const file = join(dir, 'brands/northwind/brand.json');
    const brand = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({ ...brand, prodcutName: 'x', colors: { ...brand.colors, text: 'red' } }, null, 2),
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = (needle: string) => {
      const line = lines.findIndex((text) => text.includes(needle));
      return `${line + 1}:${(lines[line] ?? '').indexOf(needle) + 1}`;
    };
    expect(() => readPackSource(dir)).toThrow(
      [
        `${file}:${at('"red"')}: colors.text: a colour is #rrggbb`,
        `${file}:${at('"x"')}: (root): Unrecognized key: "prodcutName"`,
      ].join('\n'),
    );
  });

  it('rejects a brand catalog outside a locale folder, which would be served to every locale', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'brands/northwind/messages.json'), '{}');
    expect(() => readPackSource(dir)).toThrow(
      `${join(dir, 'brands/northwind/messages.json')}: a brand catalog here is not read; it belongs in a locale folder, brands/northwind/<tag>/messages.json`,
    );
  });

  it('rejects brand catalogs for locales that are not shipped', () => {
    const dir = copyTemplates();
    mkdirSync(join(dir, 'brands/northwind/x-unshipped'));
    expect(() => readPackSource(dir)).toThrow(/"x-unshipped" is not a locale of this folder/);
  });

  it('fails the render on a typo in a template field (strict mode)', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'base/signUp.sms.hbs'), '{{brand.prodcutName}} {{code}}');
    const { pack, target: t } = target(dir, 'default', 'en');
    expect(() => renderSms(pack, t, VALUES)).toThrow(/prodcutName/);
  });

  it('fails the render on a catalog parameter the message does not provide', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'base/signUp.sms.hbs'), '{{t "common.greetingNamed"}} {{code}}');
    const { pack, target: t } = target(dir, 'default', 'en');
    expect(() => renderSms(pack, t, VALUES)).toThrow(/uses \{name\}, which this message does not provide/);
  });
});

describe('a folder layered over the package base', () => {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  /** A user's folder with one brand and the given files, read over this repository's templates. */
  function userFolder(files: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), 'ctp-layered-'));
    made.push(dir);
    const all = { 'brands/acme/brand.json': readFileSync('templates/brands/default/brand.json', 'utf8'), ...files };
    for (const [path, text] of Object.entries(all)) {
      // A path ending in / is an empty folder.
      mkdirSync(path.endsWith('/') ? join(dir, path) : dirname(join(dir, path)), { recursive: true });
      if (!path.endsWith('/')) writeFileSync(join(dir, path), text);
    }
    return dir;
  }
  const read = (dir: string) => readPackSource(dir, { base: 'templates' });
  const baseSms = readFileSync('templates/base/signUp.sms.hbs', 'utf8');

  it('serves the source locale and the base templates from the package, and only the brands of the folder', () => {
    const source = read(userFolder());
    expect(source.locales.map((locale) => locale.tag)).toEqual(['en']);
    expect(source.brands.map((brand) => brand.id)).toEqual(['acme']);
    expect(source.templates.find((t) => t.path === 'base/signUp.sms')?.source).toBe(baseSms);
  });

  it('serves a locale the folder names, with the package catalog under its own keys', () => {
    const dir = userFolder({ 'locales/fr/': '', 'locales/de/messages.json': '{"signUp": {"subject": "Ihr Code"}}' });
    const source = read(dir);
    const de = source.locales.find((locale) => locale.tag === 'de');
    const packageDe = readPackSource('templates').locales.find((locale) => locale.tag === 'de');
    expect(source.locales.map((locale) => locale.tag)).toEqual(['de', 'en', 'fr']);
    expect(de?.messages['signUp.subject']).toBe('Ihr Code');
    expect(de?.name).toBe(packageDe?.name);
    expect(Object.keys(de?.messages ?? {}).sort()).toEqual(Object.keys(packageDe?.messages ?? {}).sort());
  });

  it("lets the folder's base templates win over the package's", () => {
    const source = read(userFolder({ 'base/signUp.sms.hbs': 'Acme {{code}}' }));
    expect(source.templates.filter((t) => t.path === 'base/signUp.sms').map((t) => t.source)).toEqual([
      'Acme {{code}}',
    ]);
  });

  it('asks for a catalog for a locale the package does not ship', () => {
    expect(() => read(userFolder({ 'locales/it/': '' }))).toThrow(/locales\/it: add a messages\.json/);
    const source = read(userFolder({ 'locales/it/messages.json': '{"meta": {"name": "Italiano", "dir": "ltr"}}' }));
    expect(source.locales.find((locale) => locale.tag === 'it')?.name).toBe('Italiano');
  });

  it('stops layering when pack.json says the folder holds its own base', () => {
    expect(() => read(userFolder({ 'pack.json': '{"base": "own"}' }))).toThrow(
      /locales\/en\/messages\.json: the source locale's catalog is missing/,
    );
    expect(() => read(userFolder({ 'pack.json': '{"base": "mine"}' }))).toThrow(
      /"base" is "mine"; use "package" or "own"/,
    );
  });
});
