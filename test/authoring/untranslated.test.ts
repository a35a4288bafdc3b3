import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery } from '../../src/authoring/preview/gallery.js';
import { checkReport } from '../../src/authoring/report.js';
import { hasWords } from '../../src/authoring/untranslated.js';
import { copyTemplates } from '../support/temp-templates.js';
import { BRANDS, IS_EXAMPLE_SET, LOCALES } from '../support/template-set.js';

const SOURCE = LOCALES[0] ?? 'en';
const OTHER = LOCALES.find((tag) => tag !== SOURCE);
const [BRAND = 'default'] = BRANDS;

type Catalog = Record<string, Record<string, string>>;
const readCatalog = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Catalog;

/** Line and column (from 1) of the first `needle` in `text`. */
function placeOf(text: string, needle: string): string {
  const before = text.slice(0, text.indexOf(needle));
  return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
}

describe('untranslated text', () => {
  it('exempts strings made only of placeholders, product names, URLs and addresses', () => {
    const names = ['Northwind'];
    expect(hasWords('{product}: {code}', names)).toBe(false);
    expect(hasWords('Northwind · https://status.northwind.example/now · help@northwind.example', names)).toBe(false);
    expect(hasWords('Help centre', names)).toBe(true);
    expect(hasWords('{product} Support', names)).toBe(true);
  });

  it.skipIf(OTHER === undefined)(
    'warns of catalog strings that read the same as the source, per file, and fails under --strict',
    () => {
      const dir = copyTemplates();
      const sourceFile = join(dir, `locales/${SOURCE}/messages.json`);
      const otherFile = join(dir, `locales/${OTHER}/messages.json`);
      const source = readCatalog(sourceFile);
      const other = readCatalog(otherFile);
      const productName = loadPack(dir).brands.get(BRAND)?.productName ?? '';
      // Copied as it is: untranslated. The same placeholders, names and links: nothing to translate.
      other.signUp = { ...other.signUp, subject: source.signUp?.subject ?? '' };
      for (const catalog of [source, other]) {
        catalog.common = {
          ...catalog.common,
          helpLink: '{product}',
          footer: `${productName} · https://status.example.com`,
        };
      }
      writeFileSync(sourceFile, JSON.stringify(source, null, 2));
      const otherText = JSON.stringify(other, null, 2);
      writeFileSync(otherFile, otherText);
      // A brand's rewording copied into the other locale as it is.
      mkdirSync(join(dir, `brands/${BRAND}/${OTHER}`), { recursive: true });
      const brandFile = join(dir, `brands/${BRAND}/${OTHER}/messages.json`);
      const brandText = JSON.stringify({ signUp: { intro: source.signUp?.intro } }, null, 2);
      writeFileSync(brandFile, brandText);

      const gallery = buildGallery(loadPack(dir));
      const subject = JSON.stringify(source.signUp?.subject);
      expect(gallery.translationWarnings).toEqual([
        `${otherFile}: 1 string reads the same as in ${SOURCE}, untranslated: signUp.subject (${placeOf(otherText, subject)})`,
        `${brandFile}: 1 string reads the same as in ${SOURCE}, untranslated: signUp.intro (${placeOf(brandText, JSON.stringify(source.signUp?.intro))})`,
      ]);
      const warned = checkReport(gallery);
      expect(warned.ok).toBe(true);
      expect(warned.text).toContain(`\nWARN ${gallery.translationWarnings[0]}\n`);

      const strict = checkReport(gallery, { strict: true });
      expect(strict.ok).toBe(false);
      expect(strict.text).toContain(`\nFAIL ${gallery.translationWarnings[0]}\n`);
      expect(strict.text.split('\n').at(-1)).toMatch(
        /^All \d+ combinations pass \(rendered and checked in \d+ ms\), but --strict fails 2 warnings\.$/,
      );
    },
  );

  it.skipIf(OTHER === undefined)('warns of a brand-level template whose own words every locale gets', () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, `brands/${BRAND}/signUp.sms.hbs`), '{{brand.productName}}: {{code}} is your code');
    // Only placeholders and the brand's name: nothing to translate.
    writeFileSync(join(dir, `brands/${BRAND}/resendCode.sms.hbs`), '{{brand.productName}}: {{t "resendCode.sms"}}');
    // Under a locale folder, the words are that locale's.
    mkdirSync(join(dir, `brands/${BRAND}/${OTHER}`), { recursive: true });
    writeFileSync(join(dir, `brands/${BRAND}/${OTHER}/forgotPassword.sms.hbs`), '{{code}} reset code');
    const gallery = buildGallery(loadPack(dir));
    expect(gallery.translationWarnings).toEqual([
      `${join(dir, `brands/${BRAND}/signUp.sms.hbs`)}: its own words ("is", "your", "code") are served to every locale (${[
        ...LOCALES,
      ]
        .sort()
        .join(', ')
        .replace(
          /, ([^,]*)$/,
          ' and $1',
        )}); put them in a catalog string ({{t "…"}}) or move the file into brands/${BRAND}/<tag>/`,
    ]);
    // A warning, failing only under --strict (the Latin words also fail the right-to-left check in RTL locales).
    const warning = gallery.translationWarnings[0] ?? '';
    expect(checkReport(gallery).text).toContain(`WARN ${warning}`);
    expect(checkReport(gallery, { strict: true }).text).toContain(`FAIL ${warning}`);
  });

  // A team's own set may fairly start with untranslated strings: a warning, not a test failure.
  it.skipIf(!IS_EXAMPLE_SET)('finds nothing in the example set', () => {
    expect(buildGallery(loadPack('templates')).translationWarnings).toEqual([]);
  });
});
