import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPack } from '../../src/authoring/pack-source.js';
import { buildGallery } from '../../src/authoring/preview/gallery.js';
import { checkReport, failureList, summaryTable, warningList } from '../../src/authoring/report.js';
import { allRow, BRANDS, COMBINATIONS, LOCALES, PER_LOCALE_AND_BRAND } from '../support/template-set.js';

const N = LOCALES.length * BRANDS.length;
const { messageEmail, messageSms, senderEmail, senderSms } = PER_LOCALE_AND_BRAND;

const execFileAsync = promisify(execFile);

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
    expect(stdout).toContain(
      [
        'FAIL message sms CustomMessage_SignUp de/default',
        '  Placeholders present:',
        '    - smsMessage lacks the code placeholder',
      ].join('\n'),
    );
    expect(stdout).toContain('FAIL sender sms CustomSMSSender_SignUp de/northwind');
    expect(stdout).toMatch(/^de +default +7\/7 +6\/7 +8\/8 +6\/7 +2$/m);
    // de's SMS for sign-up, in message and sender mode, for every brand.
    expect(stdout).toContain(
      `${2 * BRANDS.length} of ${COMBINATIONS} combinations fail. Run \`npm start\` to see them.`,
    );
  });

  it('fails, naming the file, when the templates cannot be loaded', async () => {
    const dir = copyTemplates();
    writeFileSync(join(dir, 'locales/fr/messages.json'), '{ "meta": ');
    const { code, stderr } = await check(dir);
    expect(code).toBe(1);
    expect(stderr).toContain('could not be loaded');
    expect(stderr).toContain('locales/fr/messages.json');
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

    expect(failureList(gallery)).toContain(
      [
        'FAIL message sms CustomMessage_Authentication fr/default',
        '  Cognito length and character rules:',
        '    - smsMessage has a disallowed character U+200B at 4',
      ].join('\n'),
    );
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
    expect(stdout).toContain(
      "WARN templates/brands/northwind/brand.json: links.allowedOrigins has https://staging.northwind.example, which looks like a non-production host; any caller of production could send codes in links to it. Move it to that stage's EXTRA_LINK_ORIGINS (northwind=https://staging.northwind.example).",
    );
    expect(stdout).toContain('links.allowedOrigins has https://app-dev.northwind.example');
    expect(stdout).not.toContain('links.allowedOrigins has https://app.northwind.example,');
  });
});
