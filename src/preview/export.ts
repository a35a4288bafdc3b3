/**
 * `npm run preview:export`: the gallery as static files, for review in a pull
 * request. One page per picker choice (its email and SMS), `index.html` for
 * the first, and `checks.json` with every combination's checks.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Gallery, PREVIEW_MODES, type PreviewView, viewId } from './gallery.js';
import { CLIENT_SCRIPT, defaultView, type PageOptions, renderPage } from './page.js';

const WRITTEN = /^(?:.+\.html|preview\.js|checks\.json)$/;

/** Writes the gallery into `outDir`, replacing what an earlier export wrote there; returns the page count. */
export function exportGallery(gallery: Gallery, outDir: string): { pages: number } {
  mkdirSync(outDir, { recursive: true });
  // Only files an export writes are removed, so a mistyped directory loses nothing else.
  for (const file of readdirSync(outDir)) if (WRITTEN.test(file)) rmSync(join(outDir, file));
  const options: PageOptions = {
    href: (view) => `${viewId(view)}.html`,
    pickerPattern: '{mode}.{source}.{locale}.{brand}.html',
    live: false,
    version: 0,
    error: null,
    stale: false,
  };
  let pages = 0;
  for (const mode of PREVIEW_MODES) {
    for (const source of gallery.sources) {
      for (const { tag: locale } of gallery.locales) {
        for (const { id: brand } of gallery.brands) {
          const view: PreviewView = { mode, source, locale, brand };
          writeFileSync(join(outDir, `${viewId(view)}.html`), renderPage(gallery, view, options));
          pages += 1;
        }
      }
    }
  }
  writeFileSync(join(outDir, 'index.html'), renderPage(gallery, defaultView(gallery), options));
  writeFileSync(join(outDir, 'preview.js'), CLIENT_SCRIPT);
  const checks = gallery.entries.map(({ id, triggerSource, status, outcome, checks }) => ({
    id,
    triggerSource,
    status,
    outcome,
    checks,
  }));
  writeFileSync(join(outDir, 'checks.json'), `${JSON.stringify({ renderMs: gallery.renderMs, checks }, null, 2)}\n`);
  return { pages: pages + 1 };
}
