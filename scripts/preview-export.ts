/**
 * `npm run preview:export`: writes the gallery as static pages to
 * `out/preview/` (open index.html), for review in a pull request.
 * Usage: tsx scripts/preview-export.ts [templates dir] [output dir]
 */
import { resolve } from 'node:path';
import { loadPack } from '../src/authoring/pack-source.js';
import { ExportFolderError, exportGallery } from '../src/authoring/preview/export.js';
import { buildGallery } from '../src/authoring/preview/gallery.js';

const templatesDir = resolve(process.argv[2] ?? 'templates');
const outDir = resolve(process.argv[3] ?? 'out/preview');
try {
  const gallery = buildGallery(loadPack(templatesDir));
  const { pages } = exportGallery(gallery, outDir);
  const failing = gallery.entries.filter((entry) => entry.status === 'fail').length;
  console.log(
    `Wrote ${pages} pages (${gallery.entries.length} combinations, ${failing} failing) to ${outDir}/index.html`,
  );
} catch (error) {
  if (error instanceof ExportFolderError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(
    `The templates in ${templatesDir} could not be loaded:\n${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
