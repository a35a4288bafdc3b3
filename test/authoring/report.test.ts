import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery, listCombinations } from '../../src/authoring/preview/gallery.js';
import { SAMPLE_CODES } from '../../src/authoring/preview/samples.js';
import {
  checkFolder,
  checkReport,
  failureList,
  smsCostTable,
  summaryTable,
  warningList,
} from '../../src/authoring/report.js';
import { findTemplate } from '../../src/runtime/render/template-pack.js';
import { copyTemplates as copyOwnBase } from '../support/temp-templates.js';
import { allRow, BRANDS, COMBINATIONS, LOCALES, PER_LOCALE_AND_BRAND } from '../support/template-set.js';

const N = LOCALES.length * BRANDS.length;
const { messageEmail, messageSms, senderEmail, senderSms } = PER_LOCALE_AND_BRAND;

const execFileAsync = promisify(execFile);

/** `4` or `4–9`: how a block says a number that differs between combinations. */
function range(values: readonly number[]): string {
  const low = Math.min(...values);
  const high = Math.max(...values);
  return low === high ? String(low) : `${low}–${high}`;
}

/** A block's last line: every combination up to four, else the first three and how many more. */
function breaksLine(names: readonly string[]): string {
  const shown = names.length > 4 ? names.slice(0, 3) : names;
  const more = names.length > shown.length ? `, …(+${names.length - shown.length} more)` : '';
  return `  breaks ${names.length} combination${names.length === 1 ? '' : 's'}: ${shown.join(', ')}${more}`;
}

// The script takes a second or two to start, so the cases run side by side,
// each on its own copy (removed once all are done, not after each case).
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});
function copyTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-check-'));
  copies.push(dir);
  cpSync('templates', dir, { recursive: true });
  return dir;
}

/** Runs `npm run check`'s script on `dir` and returns its exit code and output. */
async function check(dir?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync('node_modules/.bin/tsx', [
      'src/cli/bin.ts',
      'check',
      ...(dir ? ['--templates', dir] : []),
    ]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe.concurrent('npm run check', () => {
  it('passes the shipped templates and prints the summary table', async () => {
    const { code, stdout } = await check();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^locale +brand +message email +message sms +sender email +sender sms +failing$/m);
    for (const locale of LOCALES) {
      for (const brand of BRANDS) {
        expect(stdout).toMatch(new RegExp(`^${locale} +${brand} +7\\/7 +7\\/7 +8\\/8 +7\\/7 +0$`, 'm'));
      }
    }
    expect(stdout).toMatch(allRow());
    expect(stdout).toMatch(
      new RegExp(`^All ${COMBINATIONS} combinations pass \\(rendered and checked in \\d+ ms\\)\\.$`, 'm'),
    );
  });

  it('fails a broken copy and lists each failure with its reason', async () => {
    const dir = copyTemplates();
    const file = join(dir, 'locales/de/messages.json');
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as { signUp: { sms: string } };
    catalog.signUp.sms = '{product}: hier ist dein Code.';
    writeFileSync(file, JSON.stringify(catalog));
    const { code, stdout } = await check(dir);
    expect(code).toBe(1);
    // One block for the one string, naming it, with every combination it breaks.
    const at = JSON.stringify(catalog).indexOf('"{product}: hier') + 1;
    expect(stdout).toContain(
      [
        `FAIL ${file}:1:${at} › signUp.sms`,
        '  - Placeholders present: smsMessage lacks the code placeholder',
        '  - Placeholders present: smsMessage lacks the code',
        `  breaks ${2 * BRANDS.length} combinations: `,
      ].join('\n'),
    );
    expect(stdout).toContain('sender/sms/SignUp/de/northwind');
    expect(stdout).toMatch(/^de +default +7\/7 +6\/7 +8\/8 +6\/7 +2$/m);
    // de's SMS for sign-up, in message and sender mode, for every brand.
    expect(stdout).toContain(
      `${2 * BRANDS.length} of ${COMBINATIONS} combinations fail. Run \`npm start\` to see them.`,
    );
  });

  it('fails, naming the file, line and column, when the templates cannot be read', async () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'locales/fr/messages.json'), '{ "meta": ');
    const { code, stdout } = await check(dir);
    expect(code).toBe(1);
    expect(stdout).toContain(
      [
        `FAIL ${join(dir, 'locales/fr/messages.json')}:1:11: the file ends where a value should be`,
        '',
        'The templates cannot be read, so nothing else was checked.',
      ].join('\n'),
    );
  });
});

describe('the check report', () => {
  it('counts passing combinations per locale, brand, mode and channel, and lists failures with reasons', () => {
    const dir = copyTemplates();
    const file = join(dir, 'locales/fr/messages.json');
    const catalog = JSON.parse(readFileSync(file, 'utf8')) as { authentication: { sms: string } };
    catalog.authentication.sms = '{product}\u200b: {code} est votre code.';
    writeFileSync(file, JSON.stringify(catalog));
    // The brand's French rewording removed: its en-only wording is a warning, not a failure.
    rmSync(join(dir, 'brands/northwind/fr/messages.json'));
    const gallery = buildGallery(loadPack(dir));

    const table = summaryTable(gallery).split('\n');
    expect(table[0]).toBe('locale  brand      message email  message sms  sender email  sender sms  failing');
    expect(table).toContain('fr      default    7/7            6/7          8/8           6/7         2');
    const cell = (passing: number, all: number) => `${passing}/${all}`;
    expect(table.at(-1)?.split(/ +/)).toEqual([
      'all',
      cell(messageEmail * N, messageEmail * N),
      cell(messageSms * N - BRANDS.length, messageSms * N),
      cell(senderEmail * N, senderEmail * N),
      cell(senderSms * N - BRANDS.length, senderSms * N),
      String(2 * BRANDS.length),
    ]);

    // One block for the one string: the offset of the character differs by product name, so it is a range.
    const at = JSON.stringify(catalog).indexOf('"{product}\u200b') + 1;
    const offsets = [...gallery.brands].map((brand) => brand.productName.length);
    expect(failureList(gallery)).toEqual([
      [
        `FAIL ${file}:1:${at} › authentication.sms`,
        `  - Cognito length and character rules: smsMessage has a disallowed character U+200B at ${range(offsets)}`,
        `  - SNS length and character rules: smsMessage has a disallowed character U+200B at ${range(offsets)}`,
        breaksLine(
          ['message', 'sender'].flatMap((mode) => BRANDS.map((brand) => `${mode}/sms/Authentication/fr/${brand}`)),
        ),
      ].join('\n'),
    ]);
    expect(warningList(gallery)).toContain(
      'WARN Translations complete: brand northwind rewords "signUp.heading" in en only; fr shows its generic text (add templates/brands/northwind/fr/messages.json) (2 combinations)',
    );
    const report = checkReport(gallery);
    expect(report.ok).toBe(false);
    expect(report.text.split('\n').at(-1)).toBe(
      `${2 * BRANDS.length} of ${COMBINATIONS} combinations fail. Run \`npm start\` to see them.`,
    );
  });

  it('warns, and still passes, when a brand file allow-lists a staging origin', async () => {
    const dir = copyTemplates();
    const file = join(dir, 'brands', 'northwind', 'brand.json');
    const brand = JSON.parse(readFileSync(file, 'utf8'));
    brand.links.allowedOrigins.push('https://staging.northwind.example', 'https://app-dev.northwind.example');
    writeFileSync(file, JSON.stringify(brand));
    const { code, stdout } = await check(dir);
    expect(code).toBe(0);
    const at = (index: number) => `1:${JSON.stringify(brand).indexOf(`"${brand.links.allowedOrigins.at(index)}"`) + 1}`;
    expect(stdout).toContain(
      `WARN ${file}:${at(-2)}: links.allowedOrigins has https://staging.northwind.example, which looks like a non-production host; any caller of production could send codes in links to it. Move it to that stage's EXTRA_LINK_ORIGINS (northwind=https://staging.northwind.example).`,
    );
    expect(stdout).toContain('links.allowedOrigins has https://app-dev.northwind.example');
    expect(stdout).not.toContain('links.allowedOrigins has https://app.northwind.example,');
  });
});

describe('five typical mistakes, each one block naming its file, line and column', () => {
  const SOURCE = LOCALES[0] ?? 'en';
  const OTHER = LOCALES.find((tag) => tag !== SOURCE);
  // A 250-character Latin SMS in a right-to-left locale also fails the RTL check; (3) is about the length alone.
  const LTR_OTHER = LOCALES.find((tag) => tag !== SOURCE && loadPack('templates').locales.get(tag)?.dir === 'ltr');
  const [BRAND = 'default'] = BRANDS;

  /** The report of a copy of the templates after `edit`, its folder named `templates` as a user's would be. */
  function reportAfter(edit: (dir: string) => void): { text: string; ok: boolean; blocks: string[]; dir: string } {
    const dir = copyOwnBase();
    edit(dir);
    const { text, ok } = checkFolder(dir);
    const shown = text.replaceAll(dir, 'templates');
    return { text: shown, ok, blocks: shown.split('\n').filter((line) => line.startsWith('FAIL ')), dir };
  }

  /** The block that starts with `FAIL <heading>`, up to the next line that is not indented. */
  function block(text: string, heading: string): string {
    const lines = text.split('\n');
    const start = lines.indexOf(`FAIL ${heading}`);
    if (start < 0) throw new Error(`no block "${heading}" in:\n${text}`);
    const end = lines.findIndex((line, index) => index > start && !line.startsWith('  '));
    return lines.slice(start, end < 0 ? undefined : end).join('\n');
  }

  /** Every combination (in the report's order) of `channel` and the sign-up source that `keep` picks. */
  function signUpCombinations(dir: string, channel: 'email' | 'sms', keep: (brand: string, locale: string) => boolean) {
    return listCombinations(loadPack(dir))
      .filter((combination) => combination.channel === channel && combination.source === 'SignUp')
      .filter((combination) => keep(combination.brand, combination.locale))
      .map((combination) => [combination.mode, channel, 'SignUp', combination.locale, combination.brand].join('/'));
  }

  /** Line and column (from 1) of the first `needle` in `text`. */
  function placeOf(text: string, needle: string): string {
    const before = text.slice(0, text.indexOf(needle));
    return `${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
  }

  const servedFromBase = (dir: string, name: string) => {
    const pack = loadPack(dir);
    return (brand: string, locale: string) => findTemplate(pack, name, brand, locale)?.path === `base/${name}`;
  };

  it('(1) a misspelt field in an SMS template names the fields that exist', () => {
    const report = reportAfter((dir) =>
      writeFileSync(join(dir, `brands/${BRAND}/signUp.sms.hbs`), '{{brand.productName}}: {{cod}} is your code'),
    );
    const heading = `templates/brands/${BRAND}/signUp.sms.hbs:1:26: {{cod}} is not a field; did you mean {{code}}? The fields are kind, locale (tag, name, dir, start), brand (id, productName, logoUrl, logoDarkUrl, logoWidth, logoHeight, colors, supportUrl, supportEmail), code, username, link, verifyUrl, signInUrl, name, ato (actionKey, time, ip, location, device, confirmUrl, denyUrl), signInWith, accountNote.`;
    expect(report.ok).toBe(false);
    expect(report.blocks).toEqual([`FAIL ${heading}`]);
    expect(block(report.text, heading)).toBe(
      [`FAIL ${heading}`, breaksLine(signUpCombinations(report.dir, 'sms', (brand) => brand === BRAND))].join('\n'),
    );
    expect(report.text).not.toMatch(/object Object|knownHelpersOnly|not defined in/);
  });

  it('(2) an email body without the code placeholder is one block for the file', () => {
    const report = reportAfter((dir) => {
      const body = join(dir, 'base/signUp.html.hbs');
      writeFileSync(body, readFileSync(body, 'utf8').replace('{{> code}}\n', ''));
    });
    expect(report.blocks).toEqual(['FAIL templates/base/signUp.html.hbs']);
    const served = servedFromBase(report.dir, 'signUp.html');
    expect(block(report.text, 'templates/base/signUp.html.hbs')).toBe(
      [
        'FAIL templates/base/signUp.html.hbs',
        '  - Placeholders present: emailMessage lacks the code placeholder',
        '  - Placeholders present: emailMessage lacks the link placeholder {##…##}',
        '  - Placeholders present: emailMessage lacks the code',
        '  - Placeholders present: text body lacks the code',
        breaksLine(signUpCombinations(report.dir, 'email', served)),
      ].join('\n'),
    );
  });

  it.skipIf(LTR_OTHER === undefined)('(3) a 250-character SMS names the catalog string it comes from', () => {
    const long = `{product}: {code} ${'is your code '.repeat(20)}`.slice(0, 250);
    let text = '';
    const report = reportAfter((dir) => {
      for (const brand of BRANDS) {
        const file = join(dir, 'brands', brand, 'brand.json');
        const json = JSON.parse(readFileSync(file, 'utf8'));
        writeFileSync(file, JSON.stringify({ ...json, sms: { ...json.sms, maxSegments: 1 } }, null, 2));
      }
      const file = join(dir, `locales/${LTR_OTHER}/messages.json`);
      const catalog = JSON.parse(readFileSync(file, 'utf8'));
      catalog.signUp.sms = long;
      text = JSON.stringify(catalog, null, 2);
      writeFileSync(file, text);
    });
    const pack = loadPack(report.dir);
    const fromLocale = (brand: string) => !pack.brandMessages.get(`${brand}/${LTR_OTHER}`)?.['signUp.sms'];
    const affected = BRANDS.filter(fromLocale);
    const lengths = affected.map(
      (brand) => long.length - '{product}{code}'.length + (pack.brands.get(brand)?.productName.length ?? 0) + 6,
    );
    const heading = `templates/locales/${LTR_OTHER}/messages.json:${placeOf(text, JSON.stringify(long))} › signUp.sms`;
    expect(long).toHaveLength(250);
    expect(report.blocks).toEqual([`FAIL ${heading}`]);
    expect(block(report.text, heading)).toBe(
      [
        `FAIL ${heading}`,
        `  - Cognito length and character rules: smsMessage is ${range(lengths)} characters; Cognito accepts 6–140`,
        `  - SMS encoding and segments: needs 2 segments of GSM-7 (${range(lengths)} septets); the brand allows 1`,
        `  - SMS encoding and segments: measured as delivered, with the code ${SAMPLE_CODES.code} in place of the placeholders`,
        breaksLine(signUpCombinations(report.dir, 'sms', (brand, locale) => locale === LTR_OTHER && fromLocale(brand))),
      ].join('\n'),
    );
  });

  it.skipIf(OTHER === undefined)('(4) a trailing comma in messages.json is named by line and column', () => {
    let text = '';
    const report = reportAfter((dir) => {
      const file = join(dir, `locales/${OTHER}/messages.json`);
      text = readFileSync(file, 'utf8').replace(/"(\s*)\}\s*\}\s*$/, '",$1}\n}\n');
      writeFileSync(file, text);
    });
    expect(report.ok).toBe(false);
    expect(report.text).toBe(
      [
        `FAIL templates/locales/${OTHER}/messages.json:${placeOf(text, ',\n  }\n}\n')}: a comma after the last entry; JSON allows none, remove it`,
        '',
        'The templates cannot be read, so nothing else was checked.',
      ].join('\n'),
    );
    expect(report.text).not.toMatch(/position \d/);
  });

  it('(5) an unknown helper lists the helpers that exist', () => {
    const report = reportAfter((dir) => writeFileSync(join(dir, 'base/signUp.sms.hbs'), '{{upper code}}'));
    const heading = `templates/base/signUp.sms.hbs:1:3: {{upper …}}: "upper" is not a helper. The helpers are t and concat (and Handlebars' lookup and log); the block helpers are #if, #unless, #each and #with.`;
    expect(report.blocks).toEqual([`FAIL ${heading}`]);
    const served = servedFromBase(report.dir, 'signUp.sms');
    expect(block(report.text, heading)).toBe(
      [`FAIL ${heading}`, breaksLine(signUpCombinations(report.dir, 'sms', served))].join('\n'),
    );
    expect(report.text).not.toMatch(/knownHelpersOnly/);
  });

  it('fails a field a branch hides, though this sample renders', () => {
    const report = reportAfter((dir) =>
      writeFileSync(join(dir, 'base/signUp.sms.hbs'), '{{t "signUp.sms"}}{{#if username}} {{usrname}}{{/if}}'),
    );
    expect(report.blocks).toEqual([
      expect.stringMatching(
        /^FAIL templates\/base\/signUp\.sms\.hbs:1:38: \{\{usrname\}\} is not a field; did you mean \{\{username\}\}\?/,
      ),
    ]);
  });
});

describe('the SMS cost per locale', () => {
  it('gives each shipped locale its encoding, its messages and their segments', () => {
    const table = smsCostTable(buildGallery(loadPack('templates')));
    const rows = table.split('\n').slice(2);
    expect(table.split('\n')[0]).toMatch(/^locale\s+encoding\s+messages\s+segments\s+fullest segment$/);
    expect(rows.find((row) => row.startsWith('ar '))).toMatch(/^ar\s+UCS-2\s+28\s+28\s+\d+\/70$/);
    expect(rows.find((row) => row.startsWith('en '))).toMatch(/^en\s+GSM-7\s+28\s+28\s+\d+\/160$/);
    expect(rows.find((row) => row.startsWith('es '))).toMatch(/^es\s+GSM-7 \d+, UCS-2 \d+\s+28\s+\d+\s+\d+\/(70|160)$/);
  });
});
