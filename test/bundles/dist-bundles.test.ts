/**
 * Runs the built bundles the way Lambda does: a copy of the file and the
 * pack's files beside it in an empty folder (so nothing can come from
 * node_modules), in a fresh process.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SIZE_BUDGETS } from '../../src/authoring/budgets.js';
import { FUNCTIONS, PACK_FILES_DIR } from '../../src/authoring/functions.js';
import { customMessageEvent } from '../support/events.js';
import { IS_EXAMPLE_SET, LOCALES } from '../support/template-set.js';

const isolated = mkdtempSync(join(tmpdir(), 'ctp-dist-'));
afterAll(() => rmSync(isolated, { recursive: true, force: true }));

function runIsolated(
  bundle: string,
  script: string,
  env: Record<string, string> = {},
  { packFiles = true } = {},
): string {
  const dir = mkdtempSync(join(isolated, 'function-'));
  copyFileSync(join('dist', bundle), join(dir, bundle));
  if (packFiles) cpSync(join('dist', PACK_FILES_DIR), join(dir, PACK_FILES_DIR), { recursive: true });
  return execFileSync(process.execPath, ['-e', script], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
  });
}

/** What the CustomMessage bundle answers for `event`, and the pack files the process read. */
function customMessage(event: unknown, options?: { packFiles?: boolean }) {
  const out = runIsolated(
    'custom-message.js',
    // Every file the process reads, so the test sees which of the pack's it touched.
    `const fs = require('node:fs'); const read = []; const readFileSync = fs.readFileSync;
    fs.readFileSync = (path, ...rest) => { read.push(String(path)); return readFileSync(path, ...rest); };
    require('./custom-message.js').handler(${JSON.stringify(event)}).then((r) => console.log('RESULT' + JSON.stringify({ response: r.response, read: [...read, ...Object.keys(require.cache)].filter((file) => file.includes('${PACK_FILES_DIR}')).map((file) => file.slice(file.indexOf('${PACK_FILES_DIR}'))) })))`,
    { LOG_LEVEL: 'error' },
    options,
  );
  return JSON.parse(out.slice(out.indexOf('RESULT') + 'RESULT'.length)) as {
    response: { emailMessage: string | null; emailSubject: string | null; smsMessage: string | null };
    read: string[];
  };
}

describe('dist/custom-message.js', () => {
  it('handles an event from its own folder with no node_modules', () => {
    const event = customMessageEvent('CustomMessage_UpdateUserAttribute', {
      clientMetadata: { locale: 'ar', brand: 'northwind' },
    });
    const { response } = customMessage(event);
    expect(response.emailMessage).toContain('<html lang="ar" dir="rtl">');
    expect(response.emailMessage).toContain('{####}');
    expect(response.smsMessage).toContain('{####}');
    expect(response.emailSubject).toContain('Northwind');
  });

  it("reads only the pack files of the message's locale, the source locale and its brand", () => {
    const event = customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'ar', brand: 'northwind' } });
    const { read } = customMessage(event);
    expect(read.sort()).toEqual([
      `${PACK_FILES_DIR}/brands/northwind.json`,
      `${PACK_FILES_DIR}/locales/ar.json`,
      `${PACK_FILES_DIR}/locales/en.json`,
    ]);
    // One file per locale ships, so a cold start reads 2 of them however many there are.
    expect(readdirSync(join('dist', PACK_FILES_DIR, 'locales')).length).toBe(LOCALES.length);
  });

  it("falls back to the pool's default message when the pack's files were not deployed", () => {
    const event = customMessageEvent('CustomMessage_SignUp', { clientMetadata: { locale: 'ar', brand: 'northwind' } });
    const { response } = customMessage(event, { packFiles: false });
    expect(response).toEqual({ emailMessage: null, emailSubject: null, smsMessage: null });
  });

  it('fails at cold start with a clear message on bad configuration', () => {
    expect(() =>
      runIsolated('custom-message.js', "require('./custom-message.js')", { DEFAULT_LOCALE: 'klingon' }),
    ).toThrow(/DEFAULT_LOCALE is "klingon"/);
  });

  it('loads no AWS SDK or crypto code', () => {
    const source = readFileSync('dist/custom-message.js', 'utf8');
    expect(source).not.toMatch(/@aws-sdk|@aws-crypto|require\("crypto"\)|node:crypto/);
    expect(source.length).toBeGreaterThan(10_000);
  });
});

describe('bundle contents and sizes', () => {
  const size = (name: string) => readFileSync(join('dist', name)).length;
  const inputsOf = (): Record<string, string[]> => {
    const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    return Object.fromEntries(
      Object.entries(meta.outputs)
        .filter(([output]) => output.endsWith('.js'))
        .map(([output, { inputs }]) => [output, Object.keys(inputs)]),
    );
  };

  it("draw on the project's src/runtime/ only, besides the handler, the generated pack and dependencies", () => {
    const bundles = inputsOf();
    expect(Object.keys(bundles).sort()).toEqual([
      'dist/custom-email-sender.js',
      'dist/custom-message.js',
      'dist/custom-sms-sender.js',
    ]);
    for (const [bundle, inputs] of Object.entries(bundles)) {
      const own = inputs.filter((input) => !/(^|\/)node_modules\//.test(input));
      const elsewhere = own.filter(
        (input) =>
          !input.startsWith('src/runtime/') && input !== 'generated/pack-index.js' && !input.startsWith('handlers/'),
      );
      expect(elsewhere, bundle).toEqual([]);
      expect(own, bundle).toContain(bundle.replace(/^dist\/(.*)\.js$/, 'handlers/$1.ts'));
    }
  });

  it('ship every file in src/runtime/ (the folder holds nothing else)', () => {
    const shipped = new Set(Object.values(inputsOf()).flat());
    const runtime = readdirSync('src/runtime', { recursive: true, encoding: 'utf8' })
      .filter((path) => /\.(ts|cjs)$/.test(path))
      .map((path) => `src/runtime/${path}`);
    expect(runtime.length).toBeGreaterThan(20);
    expect(runtime.filter((path) => !shipped.has(path))).toEqual([]);
  });

  // The budgets are the example set's: a team's larger set grows what ships by design.
  it.skipIf(!IS_EXAMPLE_SET)('keeps every bundle within its budget of src/authoring/budgets.ts (example set)', () => {
    for (const name of FUNCTIONS) expect(size(`${name}.js`), name).toBeLessThanOrEqual(SIZE_BUDGETS[name].raw);
  });

  it('keeps the catalogs out of the bundles, in the pack files', () => {
    // A string only northwind's French catalog holds (templates/brands/northwind/fr/messages.json).
    const heading = 'Bienvenue à bord';
    for (const name of FUNCTIONS) expect(readFileSync(join('dist', `${name}.js`), 'utf8'), name).not.toContain(heading);
    expect(readFileSync(join('dist', PACK_FILES_DIR, 'brands', 'northwind.json'), 'utf8')).toContain(heading);
  });

  // The senders talk to DynamoDB for idempotency and limits (docs/idempotency.md), never to the Encryption SDK's key stores.
  it('leaves out what the senders never use', () => {
    for (const bundle of ['custom-email-sender.js', 'custom-sms-sender.js']) {
      const source = readFileSync(join('dist', bundle), 'utf8');
      expect(source, bundle).not.toMatch(/BranchKeyStore|GetRoleCredentials|AssumeRoleWithWebIdentity/);
    }
    expect(readFileSync('dist/custom-sms-sender.js', 'utf8')).not.toContain('SendEmail');
    expect(readFileSync('dist/custom-email-sender.js', 'utf8')).not.toContain('PublishBatch');
  });

  it("decodes the message's public key with node:crypto, not the SDK's bn.js and asn1.js code", () => {
    const meta = JSON.parse(readFileSync('dist/meta.json', 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown> }>;
    };
    for (const bundle of ['dist/custom-email-sender.js', 'dist/custom-sms-sender.js']) {
      const inputs = Object.keys(meta.outputs[bundle]?.inputs ?? {});
      expect(inputs, bundle).toContain('src/runtime/bundle-stand-ins/ecc-decode.ts');
      expect(inputs, bundle).toContain('src/runtime/bundle-stand-ins/pem-helpers.ts');
      expect(inputs.filter((input) => /material-management\/.*\/(ecc_decode|pem_helpers)\.js$/.test(input))).toEqual(
        [],
      );
    }
  });
});
