/**
 * The construct's synth-time build (src/cdk/bundles.ts): a template that
 * fails the checks, or cannot be read, fails the synth naming the file; a
 * folder built once is not built again; each function's folder holds its
 * bundle alone.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildPackCode, packCode } from '../../src/cdk/bundles.js';
import { CognitoTriggerPack } from '../../src/cdk/index.js';
import { copyTemplates } from '../support/temp-templates.js';

const construct = (templates: string) =>
  new CognitoTriggerPack(new Stack(new App(), 'Auth'), 'Triggers', { mode: 'message', templates });

describe('the build at synth', () => {
  it('fails the synth on a template that fails the checks, naming the file and the combinations', () => {
    const dir = copyTemplates({ layered: true });
    writeFileSync(join(dir, 'brands/northwind/resendCode.sms.hbs'), '{{brand.productName}} {{code}} {{nope}}');
    expect(() => construct(dir)).toThrow(/the templates at .* fail the checks:\nFAIL .*resendCode\.sms\.hbs/);
    try {
      construct(dir);
    } catch (error) {
      const message = (error as Error).message;
      // The report's failures and verdict only: no summary table, no warnings.
      expect(message).toMatch(/breaks \d+ combinations?: /);
      expect(message).toMatch(/combinations fail\. Run `npm start` to see them\.$/);
      expect(message).not.toMatch(/^WARN|^locale {2}brand/m);
    }
  });

  it('fails the synth on a file that cannot be read, at its line and column', () => {
    const dir = copyTemplates({ layered: true });
    writeFileSync(join(dir, 'brands/northwind/brand.json'), '{ "id": ');
    expect(() => construct(dir)).toThrow(/the templates at .* cannot be read:\n.*brand\.json:1:\d+/);
  });

  it('builds a folder once: the same inputs reuse the build, a changed template makes a new one', () => {
    const dir = copyTemplates({ layered: true });
    const first = packCode(dir);
    const built = statSync(join(first.functions['custom-message'], 'index.js')).mtimeMs;
    const again = packCode(dir);
    expect(again.functions).toEqual(first.functions);
    expect(statSync(join(again.functions['custom-message'], 'index.js')).mtimeMs).toBe(built);
    // A brand template that keeps the checks passing: the base one behind a comment, which renders nothing.
    const changed = join(dir, 'brands/northwind/resendCode.sms.hbs');
    writeFileSync(
      changed,
      `{{!-- changed --}}${readFileSync(join('templates', 'base', 'resendCode.sms.hbs'), 'utf8')}`,
    );
    expect(packCode(dir).functions['custom-message']).not.toBe(first.functions['custom-message']);
  }, 60_000);

  it('puts each bundle in its own folder, as index.js beside its pack-files/, and the attachment handler alone', () => {
    const code = packCode('templates');
    for (const folder of Object.values(code.functions)) {
      expect(readdirSync(folder).sort(), folder).toEqual(['index.js', 'pack-files']);
    }
    expect(readdirSync(code.attachTriggers)).toEqual(['index.js']);
  });

  it('builds the pack, the three bundles and the attachment handler (what cdk-bundle-host runs)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ctp-cdk-build-'));
    try {
      await buildPackCode('templates', out, join('src', 'cdk', 'attach-triggers.ts'));
      for (const file of [
        'generated/pack.js',
        'dist/custom-message.js',
        'dist/custom-email-sender.js',
        'attach-triggers/index.js',
      ]) {
        expect(existsSync(join(out, file)), file).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
