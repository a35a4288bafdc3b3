import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../../src/authoring/pack-source.js';
import { TemplateRenderError } from '../../../src/runtime/errors.js';
import { embeddedPack } from '../../../src/runtime/render/embedded-pack.js';
import {
  lazyPack,
  type PackIndex,
  type PackMessages,
  type TemplateSpec,
} from '../../../src/runtime/render/lazy-pack.js';
import { renderEmail, renderSms } from '../../../src/runtime/render/render.js';
import type { Brand } from '../../../src/runtime/target/brand.js';
import { PLACEHOLDER_VALUES } from '../../support/message-values.js';
import { BRANDS, LOCALES } from '../../support/template-set.js';

const spec = (source: string) => Handlebars.precompile(source, { strict: true }) as unknown as string;
/** A spec as the generated files hold it: an object, not its source text. */
const specObject = (source: string): TemplateSpec => new Function(`return ${spec(source)}`)() as TemplateSpec;

const acme = { id: 'acme', productName: 'Acme', clientIds: [] } as unknown as Brand;
const INDEX: PackIndex = {
  sourceLocale: 'en',
  locales: [
    { tag: 'en', name: 'English', dir: 'ltr' },
    { tag: 'fr', name: 'Français', dir: 'ltr' },
  ],
  brands: [acme],
  brandsWithMessages: ['acme'],
  templates: [['base/signUp.sms', specObject('base')]],
  fileTemplates: ['brands/acme/fr/signUp.sms'],
};
const MESSAGES: Record<string, PackMessages> = {
  'locales/en': { en: { greeting: 'Hello' } },
  'locales/fr': { fr: { greeting: 'Bonjour' } },
  'brands/acme': { 'acme/fr': { greeting: 'Salut' } },
};
const TEMPLATES: Record<string, Record<string, TemplateSpec>> = {
  'brands/acme': { 'brands/acme/fr/signUp.sms': specObject('acme fr') },
};

function counted(messages = MESSAGES, templates = TEMPLATES) {
  const reads: string[] = [];
  const read =
    <T>(files: Record<string, T>, kind: string) =>
    (name: string) => {
      reads.push(`${name} ${kind}`);
      const file = files[name];
      if (!file) throw new Error(`ENOENT: no such file, ${name}.${kind === 'messages' ? 'json' : 'templates.cjs'}`);
      return file;
    };
  const pack = lazyPack(INDEX, { messages: read(messages, 'messages'), templates: read(templates, 'templates') });
  return { pack, reads };
}

describe('lazyPack', () => {
  it('lists locales, brands and templates without reading a file', () => {
    const { pack, reads } = counted();
    expect([...pack.locales.keys()]).toEqual(['en', 'fr']);
    expect(pack.locales.has('fr')).toBe(true);
    expect(pack.locales.has('de')).toBe(false);
    expect(pack.brands.get('acme')).toBe(acme);
    expect([...pack.templates.keys()]).toEqual(['base/signUp.sms', 'brands/acme/fr/signUp.sms']);
    expect(pack.templates.get('base/signUp.sms')?.({})).toBe('base');
    expect(pack.templates.get('locales/fr/signUp.sms')).toBeUndefined();
    expect(pack.brandMessages.get('other/fr')).toBeUndefined();
    expect(reads).toEqual([]);
  });

  it('reads a locale or brand file on first use, and once', () => {
    const { pack, reads } = counted();
    expect(pack.locales.get('fr')).toEqual({
      tag: 'fr',
      name: 'Français',
      dir: 'ltr',
      messages: { greeting: 'Bonjour' },
    });
    expect(pack.locales.get('fr')).toBe(pack.locales.get('fr'));
    expect(pack.brandMessages.get('acme/fr')).toEqual({ greeting: 'Salut' });
    expect(pack.brandMessages.get('acme/en')).toBeUndefined();
    expect(pack.templates.get('brands/acme/fr/signUp.sms')?.({})).toBe('acme fr');
    expect(reads).toEqual(['locales/fr messages', 'brands/acme messages', 'brands/acme templates']);
  });

  it('lists every brand catalog by reading the brand files', () => {
    const { pack } = counted();
    expect([...pack.brandMessages.keys()]).toEqual(['acme/fr']);
    expect(pack.brandMessages.size).toBe(1);
  });

  it('fails the render that needs a file the deployment left out, naming the file and the fix', () => {
    const { pack } = counted({ 'locales/en': MESSAGES['locales/en'] as PackMessages });
    expect(pack.locales.get('en')?.messages.greeting).toBe('Hello');
    expect(() => pack.locales.get('fr')).toThrow(TemplateRenderError);
    expect(() => pack.locales.get('fr')).toThrow(
      /the template pack's file locales\/fr cannot be read \(ENOENT: no such file, locales\/fr\.json\); deploy each bundle with the pack-files folder/,
    );
  });

  it('fails clearly on a file that lacks what the index promised', () => {
    const { pack } = counted(MESSAGES, { 'brands/acme': {} });
    expect(() => pack.templates.get('brands/acme/fr/signUp.sms')).toThrow(
      new TemplateRenderError(
        "the template pack's file brands/acme lacks the template brands/acme/fr/signUp.sms; build again",
      ),
    );
  });
});

describe('the embedded pack (generated/pack-index.js and pack-files/)', () => {
  const fromDisk = loadPack('templates');

  it('renders every locale and brand of templates/ as the pack read from disk does', () => {
    for (const locale of LOCALES) {
      for (const id of BRANDS) {
        const brand = fromDisk.brands.get(id) as Brand;
        const target = { kind: 'signUp' as const, locale, brand };
        expect(renderEmail(embeddedPack, target, PLACEHOLDER_VALUES), `${locale} ${id}`).toEqual(
          renderEmail(fromDisk, target, PLACEHOLDER_VALUES),
        );
        expect(renderSms(embeddedPack, target, PLACEHOLDER_VALUES), `${locale} ${id}`).toEqual(
          renderSms(fromDisk, target, PLACEHOLDER_VALUES),
        );
      }
    }
  });

  it('holds the same catalogs, brands and templates', () => {
    expect([...embeddedPack.locales.keys()].sort()).toEqual([...fromDisk.locales.keys()].sort());
    for (const [tag, locale] of fromDisk.locales) expect(embeddedPack.locales.get(tag), tag).toEqual(locale);
    expect([...embeddedPack.brands.values()]).toEqual([...fromDisk.brands.values()]);
    expect(new Map(embeddedPack.brandMessages)).toEqual(new Map(fromDisk.brandMessages));
    expect([...embeddedPack.templates.keys()].sort()).toEqual([...fromDisk.templates.keys()].sort());
  });
});
