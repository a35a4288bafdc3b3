import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadPack } from '../src/pack-source.js';
import { exportGallery } from '../src/preview/export.js';
import { buildGallery } from '../src/preview/gallery.js';

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
  it('writes index.html, one page per picker choice, the script and the checks', () => {
    const gallery = buildGallery(loadPack('templates'));
    const dir = outDir();
    writeFileSync(join(dir, 'message.Gone.en.default.html'), 'from an earlier export');
    writeFileSync(join(dir, 'notes.txt'), 'not ours');
    const { pages } = exportGallery(gallery, dir);
    // 2 modes × 8 sources × locales × brands, and index.html.
    expect(pages).toBe(2 * 8 * gallery.locales.length * gallery.brands.length + 1);
    const files = readdirSync(dir);
    expect(files.filter((file) => file.endsWith('.html'))).toHaveLength(pages);
    expect(files).toContain('notes.txt');
    expect(files).not.toContain('message.Gone.en.default.html');
    const page = readFileSync(join(dir, 'sender.AdminCreateUser.ar.northwind.html'), 'utf8');
    expect(page).toContain('data-pattern="{mode}.{source}.{locale}.{brand}.html"');
    expect(page).toContain('data-live="false"');
    expect(page).toContain('href="message.SignUp.en.default.html#message.email.SignUp.en.default"');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain('<option value="en" selected>');
    const checks = JSON.parse(readFileSync(join(dir, 'checks.json'), 'utf8')) as { checks: unknown[] };
    expect(checks.checks).toHaveLength(gallery.entries.length);
    expect(existsSync(join(dir, 'preview.js'))).toBe(true);
  });

  it('runs as npm run preview:export', async () => {
    const dir = outDir();
    const { stdout } = await run('node_modules/.bin/tsx', ['scripts/export-preview.ts', 'templates', dir]);
    expect(stdout).toMatch(/^Wrote 225 pages \(406 combinations, 0 failing\) to .+\/index\.html$/m);
    expect(existsSync(join(dir, 'index.html'))).toBe(true);
  });
});
