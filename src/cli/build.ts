/**
 * `build`: the checks first, and no bundle when any fails; then the
 * precompiled pack and the three Lambda bundles, with each bundle's raw and
 * zipped size. `dist/pack.js` is the built pack for the library API.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { bundle, generatePack } from '../authoring/build.js';
import { FUNCTIONS } from '../authoring/functions.js';
import { PACKAGE_NAME } from '../authoring/package-root.js';
import { checkFolder } from '../authoring/report.js';
import { type Command, type Io, type Parsed, stringOption } from './args.js';
import { templatesDir } from './templates.js';
import { UsageError } from './usage-error.js';

/** Where a project keeps what the command line makes for it (ignored by git). */
export const WORK_DIR = '.cognito-trigger-pack';

export interface BuildResult {
  outDir: string;
  sizes: Array<{ name: string; raw: number; zipped: number }>;
}

/** Checks, then builds; throws UsageError (after printing the report) when a check fails. */
export async function buildProject(parsed: Parsed, io: Io, outOption?: string): Promise<BuildResult> {
  const dir = templatesDir(parsed, io);
  const { text, ok } = checkFolder(dir, { strict: parsed.values.strict === true });
  if (!ok) {
    io.err(text);
    throw new UsageError('Build refused: the templates fail the checks above; fix them and build again');
  }
  const outDir = resolve(io.cwd, outOption ?? 'dist');
  const generatedDir = join(io.cwd, WORK_DIR, 'generated');
  generatePack(dir, generatedDir, PACKAGE_NAME);
  await bundle(outDir, generatedDir);
  copyFileSync(join(generatedDir, 'pack.js'), join(outDir, 'pack.js'));
  writeFileSync(join(outDir, 'pack.d.ts'), readFileSync(join(generatedDir, 'pack.d.ts')));
  const sizes = FUNCTIONS.map((name) => {
    const code = readFileSync(join(outDir, `${name}.js`));
    return { name, raw: code.length, zipped: deflateRawSync(code, { level: 9 }).length };
  });
  return { outDir, sizes };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export const buildCommand: Command = {
  summary: 'Run the checks and, when every one passes, build the three Lambda bundles and the pack.',
  usage: 'build [--out dist] [--strict]',
  options: { out: { type: 'string' }, strict: { type: 'boolean', default: false } },
  help: { out: 'where the bundles go (default: ./dist)', strict: 'refuse on warnings too (untranslated text, say)' },
  async run(parsed, io) {
    const { outDir, sizes } = await buildProject(parsed, io, stringOption(parsed, 'out'));
    io.out(`Checks passed. Built ${relative(io.cwd, outDir) || outDir}/:`);
    for (const { name, raw, zipped } of sizes) {
      io.out(`  ${`${name}.js`.padEnd(24)} ${kb(raw).padStart(9)} raw ${kb(zipped).padStart(9)} zipped`);
    }
    io.out('  pack.js                  the built templates, for the library API');
    return 0;
  },
};
