/**
 * `npm run preview:export`: the gallery as static files, for review in a pull
 * request. One page per picker choice (its email and SMS), `index.html` for
 * the first, `checks.json` with every combination's checks, and the brands'
 * logo files the emails load.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type Gallery, PREVIEW_MODES, type PreviewView, viewId } from './gallery.js';
import { CLIENT_SCRIPT, defaultView, type PageOptions, renderPage } from './page.js';

/** The list of files an export wrote, kept beside them: the next export removes exactly these. */
export const EXPORT_MANIFEST = '.cognito-trigger-pack-export.json';

/** The output folder holds files the export did not write, and no manifest says the folder is its own. */
export class ExportFolderError extends Error {
  override name = 'ExportFolderError';
}

/**
 * The files a previous export wrote into `outDir`. A folder with other files
 * and no manifest is refused: a mistyped path must lose nothing.
 */
function previousExport(outDir: string): string[] {
  if (!existsSync(outDir)) return [];
  const manifest = join(outDir, EXPORT_MANIFEST);
  if (!existsSync(manifest)) {
    if (readdirSync(outDir).length === 0) return [];
    throw new ExportFolderError(
      `${outDir} is not empty and was not written by preview:export; give an empty or new folder`,
    );
  }
  const listed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
  const files = Array.isArray(listed) ? listed : [];
  // Names only, never a path: a tampered manifest cannot reach outside the folder.
  return files.filter((file): file is string => typeof file === 'string' && file === basename(file) && file !== '..');
}

/** Writes the gallery into `outDir`, replacing what an earlier export wrote there; returns the page count. */
export function exportGallery(gallery: Gallery, outDir: string): { pages: number } {
  const previous = previousExport(outDir);
  mkdirSync(outDir, { recursive: true });
  for (const file of previous) rmSync(join(outDir, file), { force: true });
  const written: string[] = [];
  const write = (file: string, content: string | Buffer) => {
    writeFileSync(join(outDir, file), content);
    written.push(file);
  };
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
          write(`${viewId(view)}.html`, renderPage(gallery, view, options));
          pages += 1;
        }
      }
    }
  }
  write('index.html', renderPage(gallery, defaultView(gallery), options));
  write('preview.js', CLIENT_SCRIPT);
  // The emails load the brands' logo files from beside the page (PREVIEW_LOGO_BASE).
  for (const [name, file] of gallery.assets) write(name, readFileSync(file));
  const checks = gallery.entries.map(({ id, triggerSource, status, outcome, checks }) => ({
    id,
    triggerSource,
    status,
    outcome,
    checks,
  }));
  write('checks.json', `${JSON.stringify({ renderMs: gallery.renderMs, checks }, null, 2)}\n`);
  writeFileSync(join(outDir, EXPORT_MANIFEST), `${JSON.stringify(written, null, 2)}\n`);
  return { pages: pages + 1 };
}
