/**
 * `npm run check`: renders every combination (mode × trigger source × channel
 * × locale × brand) and runs the preview's checks. Prints a summary table and
 * every failure; exits 1 when anything fails or the templates cannot be loaded.
 * Usage: tsx scripts/check.ts [templates dir]
 */
import { resolve } from 'node:path';
import { loadPack } from '../src/authoring/pack-source.js';
import { buildGallery } from '../src/authoring/preview/gallery.js';
import { checkReport } from '../src/authoring/report.js';

const templatesDir = resolve(process.argv[2] ?? 'templates');
try {
  const { text, ok } = checkReport(buildGallery(loadPack(templatesDir)));
  console.log(`Checking ${templatesDir}\n`);
  console.log(text);
  process.exitCode = ok ? 0 : 1;
} catch (error) {
  console.error(
    `The templates in ${templatesDir} could not be loaded:\n${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
