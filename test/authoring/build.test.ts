import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ZIP_BYTES, SIZE_BUDGETS } from '../../src/authoring/budgets.js';
import { shippedFiles, sizeReport } from '../../src/authoring/build.js';
import { FUNCTIONS, PACK_FILES_DIR } from '../../src/authoring/functions.js';
import type { Brand } from '../../src/runtime/target/brand.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A built folder: each bundle of `bundleBytes` (incompressible, so its zip is about as large), and pack files. */
function built(bundleBytes: Partial<Record<(typeof FUNCTIONS)[number], number>>, packFiles: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-size-report-'));
  dirs.push(dir);
  for (const name of FUNCTIONS) writeFileSync(join(dir, `${name}.js`), randomBytes(bundleBytes[name] ?? 1_000));
  for (const [file, text] of Object.entries(packFiles)) {
    mkdirSync(join(dir, PACK_FILES_DIR, file, '..'), { recursive: true });
    writeFileSync(join(dir, PACK_FILES_DIR, file), text);
  }
  return dir;
}

const brands = [{ id: 'acme' }, { id: 'globex' }] as unknown as Brand[];
const PACK = {
  'locales/en.json': JSON.stringify({ en: { greeting: 'Hello' } }),
  'locales/fr.json': JSON.stringify({ fr: { greeting: 'Bonjour' } }),
  'brands/acme.json': JSON.stringify({ 'acme/fr': { greeting: 'Salut' } }),
  'brands/acme.templates.cjs': 'module.exports = {};\n',
};

describe('sizeReport', () => {
  it("prints each bundle's raw and zipped size against its budget, and what a locale and a brand cost", () => {
    const { lines, warnings } = sizeReport(built({}, PACK), { brands });
    expect(lines).toHaveLength(FUNCTIONS.length + 2);
    expect(lines[0]).toMatch(
      /^ {2}custom-message\.js +1\.0 KB raw +[\d.]+ KB zipped, [\d.]+ KB with pack-files\/ \(budget 100\.0 KB raw, 5\.00 MB zipped\)$/,
    );
    expect(lines.at(-2)).toMatch(/^ {2}per locale: [\d.]+ KB zipped in pack-files\/ \(2 locales\)/);
    expect(lines.at(-1)).toMatch(/^ {2}per brand: {2}[\d.]+ KB zipped in pack-files\/.*\(2 brands\)$/);
    expect(warnings).toEqual([]);
  });

  it('warns, naming the bundle, its size and the budget, when a bundle passes its budget', () => {
    const over = SIZE_BUDGETS['custom-message'].raw + 1_000;
    const { warnings } = sizeReport(built({ 'custom-message': over }, PACK), { brands });
    expect(warnings).toEqual([
      `custom-message.js is ${(over / 1_000).toFixed(1)} KB, past its budget of 100.0 KB (src/authoring/budgets.ts); every cold start loads it whole`,
    ]);
  });

  it('warns when what a function ships passes the zip budget', () => {
    const { warnings } = sizeReport(built({ 'custom-sms-sender': 400_000 }, PACK), { brands });
    expect(warnings).toEqual([]);
    expect(MAX_ZIP_BYTES).toBeGreaterThan(400_000);
    const big = sizeReport(built({ 'custom-sms-sender': MAX_ZIP_BYTES + 1_000 }, PACK), { brands });
    expect(big.warnings.some((warning) => warning.startsWith('custom-sms-sender.js is '))).toBe(true);
    expect(big.warnings).toContainEqual(
      expect.stringMatching(/^custom-sms-sender\.js with pack-files\/ zips to 5\.\d\d MB, past the budget of 5\.00 MB/),
    );
  });
});

describe('shippedFiles', () => {
  it("lists a function's bundle and every pack file beside it", () => {
    const out = built({}, PACK);
    expect(shippedFiles(out, 'custom-message')).toEqual([
      join(out, 'custom-message.js'),
      join(out, PACK_FILES_DIR, 'brands/acme.json'),
      join(out, PACK_FILES_DIR, 'brands/acme.templates.cjs'),
      join(out, PACK_FILES_DIR, 'locales/en.json'),
      join(out, PACK_FILES_DIR, 'locales/fr.json'),
    ]);
  });
});
