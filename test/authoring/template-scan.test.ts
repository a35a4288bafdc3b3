import { describe, expect, it } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { problemText } from '../../src/authoring/template-errors.js';
import { closest, scanTemplates } from '../../src/authoring/template-scan.js';
import { BRANDS, LOCALES } from '../support/template-set.js';

const pack = loadPack('templates');
const [BRAND = 'default'] = BRANDS;
const [SOURCE = 'en'] = LOCALES;
const FIELDS =
  'kind, locale (tag, name, dir, start), brand (id, productName, logoUrl, logoDarkUrl, logoWidth, logoHeight, colors, supportUrl, supportEmail), code, username, link, verifyUrl, signInUrl, name, ato (actionKey, time, ip, location, device, confirmUrl, denyUrl), signInWith, accountNote';
const HELPERS =
  "The helpers are t and concat (and Handlebars' lookup and log); the block helpers are #if, #unless, #each and #with.";

/** What the scan says of `base/<name>` written as `text`, for the sign-up message of the first brand in the source locale. */
function problems(text: string, name = 'signUp.sms'): string[] {
  const path = `base/${name}`;
  const source = {
    ...pack.source,
    templates: pack.source.templates.map((template) =>
      template.path === path ? { ...template, source: text } : template,
    ),
  };
  const channel = name.endsWith('.sms') ? 'sms' : 'email';
  return scanTemplates(source, pack)
    .problemsFor({ kind: 'signUp', channel, brand: BRAND, locale: SOURCE })
    .map(problemText)
    .map((problem) => problem.replace(`templates/${path}.hbs:`, ''));
}

describe('the template scan', () => {
  it('finds nothing in the shipped templates', () => {
    const scan = scanTemplates(pack.source, pack);
    for (const kind of ['signUp', 'accountTakeOver', 'adminCreateUser'] as const) {
      for (const locale of LOCALES) {
        for (const brand of BRANDS) {
          expect(scan.problemsFor({ kind, channel: 'email', brand, locale })).toEqual([]);
        }
      }
    }
  });

  it('names a field that does not exist, with the fields that do and the nearest one', () => {
    expect(problems('{{brand.productName}}: {{cod}}')).toEqual([
      `1:26: {{cod}} is not a field; did you mean {{code}}? The fields are ${FIELDS}.`,
    ]);
    expect(problems('{{brand.prodcutName}} {{code}}')).toEqual([
      '1:3: {{brand.prodcutName}}: brand has no field prodcutName; did you mean {{brand.productName}}? Its fields are id, productName, logoUrl, logoDarkUrl, logoWidth, logoHeight, colors, supportUrl, supportEmail.',
    ]);
    expect(problems('{{t "signUp.sms" name=nmae}}')).toEqual([
      `1:23: "nmae" is not a field; did you mean name? The fields are ${FIELDS}.`,
    ]);
    expect(problems('{{code.value}}')).toEqual(['1:3: {{code.value}}: code is a value, not a group of fields']);
  });

  it('follows #with and block parameters, and trusts what it cannot know (inside #each)', () => {
    expect(problems('{{#with brand}}{{productName}} {{code}}{{/with}}')).toEqual([
      '1:34: {{code}} is not a field. The fields are id, productName, logoUrl, logoDarkUrl, logoWidth, logoHeight, colors (primary, buttonText, text, background), supportUrl, supportEmail.',
    ]);
    expect(problems('{{#each brand.colors}}{{this}} {{anything}}{{/each}} {{code}}')).toEqual([]);
    expect(problems('{{#with brand as |b|}}{{b.id}}{{/with}} {{@root.code}} {{#if name}}{{name}}{{/if}}')).toEqual([]);
  });

  it('names a helper that does not exist, with the helpers that do', () => {
    expect(problems('{{upper code}}')).toEqual([`1:3: {{upper …}}: "upper" is not a helper. ${HELPERS}`]);
    expect(problems('{{#repeat code}}x{{/repeat}}')).toEqual([
      `1:4: {{#repeat …}}: "repeat" is not a helper. ${HELPERS}`,
    ]);
    expect(problems('{{#if}}x{{/if}} {{code}}')).toEqual(['1:4: {{#if}} needs a value, e.g. {{#if name}}']);
  });

  it('names a catalog key no catalog has, and a partial no level has', () => {
    expect(problems('{{t "signUp.smss"}}')).toEqual([
      '1:5: {{t "signUp.smss"}}: no catalog has "signUp.smss"; did you mean "signUp.sms"? The signUp strings are subject, preheader, heading, intro and sms.',
    ]);
    // A computed key is checked for the kind it is rendered for.
    expect(problems('{{t (concat kind ".outro")}}')).toEqual([
      '1:5: {{t (concat kind ".outro")}} (for signUp messages): no catalog has "signUp.outro"; did you mean "signUp.intro"? The signUp strings are subject, preheader, heading, intro and sms.',
    ]);
    expect(problems('{{> heading}}{{> cod}}', 'signUp.html')).toEqual([
      '1:18: {{> cod}}: no level has the partial _cod.html.hbs; did you mean {{> code}}? The partials are closing, code, greeting, heading and logo.',
    ]);
  });

  it('says what is wrong with the syntax at its line and column, without the parser', () => {
    expect(problems('{{code}}\n{{#if name}}{{name}}')).toEqual(['2:1: {{#if}} is never closed; add {{/if}}']);
    expect(problems('{{#if name}}{{name}}{{/unless}}')).toEqual([
      '1:4: {{#if}} is closed by {{/unless}}; close it with {{/if}}',
    ]);
    expect(problems('{{code}}\n  {{code}')).toEqual([
      '2:9: Handlebars cannot read what starts here: a {{…}} is not closed with }}, or holds a character it does not accept',
    ]);
    expect(problems('{{code}} {{}}')).toEqual([expect.stringMatching(/^1:12: expected .*, not }}$/)]);
  });

  it('suggests only near names', () => {
    expect(closest('cod', ['code', 'kind'])).toBe('code');
    expect(closest('Code', ['code'])).toBe('code');
    expect(closest('xyz', ['code', 'kind'])).toBeNull();
  });

  it('says which catalog strings a template uses, and where each is served from', () => {
    const scan = scanTemplates(pack.source, pack);
    const sms = scan.served({ kind: 'signUp', channel: 'sms', brand: BRAND, locale: SOURCE }, 'signUp.sms');
    expect(sms.templates.map((template) => template.path)).toEqual(['base/signUp.sms']);
    expect(sms.words).toEqual([]);
    expect(sms.strings).toEqual([
      {
        key: 'signUp.sms',
        text: pack.locales.get(SOURCE)?.messages['signUp.sms'],
        place: {
          file: `templates/locales/${SOURCE}/messages.json`,
          line: expect.any(Number),
          column: expect.any(Number),
        },
      },
    ]);
  });
});
