import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPack } from '../../../src/authoring/pack-source.js';
import { EXPORT_MANIFEST, ExportFolderError, exportGallery } from '../../../src/authoring/preview/export.js';
import { buildGallery } from '../../../src/authoring/preview/gallery.js';
import { BRANDS, COMBINATIONS, LOCALES } from '../../support/template-set.js';

const run = promisify(execFile);
const outDirs: string[] = [];
afterEach(() => {
  for (const dir of outDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-preview-'));
  outDirs.push(dir);
  return dir;
}

describe('preview:export', () => {
  it('writes index.html, one page per picker choice, the script, the checks and its manifest', () => {
    const gallery = buildGallery(loadPack('templates'));
    const dir = outDir();
    const { pages } = exportGallery(gallery, dir);
    // 2 modes × 8 sources × locales × brands, and index.html.
    expect(pages).toBe(2 * 8 * gallery.locales.length * gallery.brands.length + 1);
    const files = readdirSync(dir);
    expect(files.filter((file) => file.endsWith('.html'))).toHaveLength(pages);
    const manifest = JSON.parse(readFileSync(join(dir, EXPORT_MANIFEST), 'utf8')) as string[];
    expect(manifest.sort()).toEqual(files.filter((file) => file !== EXPORT_MANIFEST).sort());
    const page = readFileSync(join(dir, 'sender.AdminCreateUser.ar.northwind.html'), 'utf8');
    expect(page).toContain('data-pattern="{mode}.{source}.{locale}.{brand}.html"');
    expect(page).toContain('data-live="false"');
    expect(page).toContain('href="message.SignUp.en.default.html#message.email.SignUp.en.default"');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<option value="en" selected>');
    const checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8')) as { checks: unknown[] };
    expect(checks.checks).toHaveLength(gallery.entries.length);
    expect(existsSync(join(dir, 'preview.js'))).toBe(true);
    // Each logo the pages' emails load sits beside them.
    expect(gallery.assets.size).toBe(4);
    for (const [name, file] of gallery.assets) {
      if (name.startsWith('northwind-')) expect(page).toContain(`./${name}`);
      expect(readFileSync(join(dir, name))).toEqual(readFileSync(file));
    }
  });

  it('refuses a folder that holds files it did not write, and deletes none of them', () => {
    const gallery = buildGallery(loadPack('templates'));
    const dir = outDir();
    writeFileSync(join(dir, 'notes.html'), 'not ours');
    expect(() => exportGallery(gallery, dir)).toThrow(ExportFolderError);
    expect(readdirSync(dir)).toEqual(['notes.html']);
  });

  it('over its own output, removes only what it wrote before, never a file added since', () => {
    const gallery = buildGallery(loadPack('templates'));
    const dir = outDir();
    exportGallery(gallery, dir);
    writeFileSync(join(dir, 'notes.html'), 'added by a person');
    // A page the next export no longer writes, listed as written by this one.
    writeFileSync(join(dir, 'message.Gone.en.default.html'), 'from an earlier export');
    const manifest = join(dir, EXPORT_MANIFEST);
    const listed = JSON.parse(readFileSync(manifest, 'utf8')) as string[];
    writeFileSync(manifest, JSON.stringify([...listed, 'message.Gone.en.default.html', '../outside.html']));
    exportGallery(gallery, dir);
    const files = readdirSync(dir);
    expect(files).toContain('notes.html');
    expect(files).not.toContain('message.Gone.en.default.html');
  });

  it('exits 1 with one sentence, no stack trace, on a foreign folder', async () => {
    const dir = outDir();
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    const failure = await run('node_modules/.bin/tsx', ['scripts/preview-export.ts', 'templates', dir]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr.trim()).toBe(
      `${dir} is not empty and was not written by preview:export; give an empty or new folder`,
    );
  });

  it('runs as npm run preview:export', async () => {
    const dir = outDir();
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/preview-export.ts', 'templates', dir]);
    const pages = 2 * 8 * LOCALES.length * BRANDS.length + 1;
    expect(stdout).toContain(`Wrote ${pages} pages (${COMBINATIONS} combinations, 0 failing) to ${dir}/index.html`);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
  });
});
