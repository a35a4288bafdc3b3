/**
 * `build`: the checks first, and no bundle when any fails; then the
 * precompiled pack and the three Lambda bundles with the pack's files beside
 * them, each bundle's raw and zipped size against its budget, and the cost of
 * a locale and of a brand. `dist/pack.js` is the built pack for the library API.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { bundle, generatePack, type SizeReport, sizeReport } from '../authoring/build.js';
import { PACKAGE_NAME } from '../authoring/package-root.js';
import { checkFolder } from '../authoring/report.js';
import { type Command, type Io, type Parsed, stringOption } from './args.js';
import { templatesDir } from './templates.js';
import { UsageError } from './usage-error.js';

/** Where a project keeps what the command line makes for it (ignored by git). */
export const WORK_DIR = '.cognito-trigger-pack';

export interface BuildResult {
  outDir: string;
  sizes: SizeReport;
}

/** The sentence after a failing check report: no bundle is built. */
export const BUILD_REFUSED = 'Build refused: the templates fail the checks above; fix them and build again';

/** Checks, then builds; throws UsageError (after printing the report) when a check fails. */
export async function buildProject(parsed: Parsed, io: Io, outOption?: string): Promise<BuildResult> {
  const dir = templatesDir(parsed, io);
  const { text, ok } = checkFolder(dir, { strict: parsed.values.strict === true });
  if (!ok) {
    io.err(text);
    throw new UsageError(BUILD_REFUSED);
  }
  const outDir = resolve(io.cwd, outOption ?? 'dist');
  const generatedDir = join(io.cwd, WORK_DIR, 'generated');
  const source = generatePack(dir, generatedDir, PACKAGE_NAME);
  await bundle(outDir, generatedDir);
  copyFileSync(join(generatedDir, 'pack.js'), join(outDir, 'pack.js'));
  writeFileSync(join(outDir, 'pack.d.ts'), readFileSync(join(generatedDir, 'pack.d.ts')));
  return { outDir, sizes: sizeReport(outDir, source) };
}

export const buildCommand: Command = {
  summary: 'Run the checks and, when every one passes, build the three Lambda bundles and the pack.',
  usage: 'build [--out dist] [--strict]',
  options: { out: { type: 'string' }, strict: { type: 'boolean', default: false } },
  help: { out: 'where the bundles go (default: ./dist)', strict: 'refuse on warnings too (untranslated text, say)' },
  async run(parsed, io) {
    const { outDir, sizes } = await buildProject(parsed, io, stringOption(parsed, 'out'));
    io.out(`Checks passed. Built ${relative(io.cwd, outDir) || outDir}/:`);
    for (const line of sizes.lines) io.out(line);
    io.out('  pack.js                  the built templates, for the library API');
    for (const warning of sizes.warnings) io.err(`warning: ${warning}`);
    return 0;
  },
};
