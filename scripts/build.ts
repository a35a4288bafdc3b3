/**
 * `npm run build`: the checks first (as the command line's `build` runs
 * them), and no bundle when any fails; then precompiles `templates/` into
 * `generated/`, bundles the handlers into `dist/` with the pack's files
 * beside them, and prints each bundle's size against its budget
 * (src/authoring/budgets.ts).
 */
import { join } from 'node:path';
import { bundle, generatePack, sizeReport } from '../src/authoring/build.js';
import { packageRoot } from '../src/authoring/package-root.js';
import { checkFolder } from '../src/authoring/report.js';
import { BUILD_REFUSED } from '../src/cli/build.js';

async function main(): Promise<void> {
  const root = packageRoot();
  const { text, ok } = checkFolder(join(root, 'templates'));
  if (!ok) {
    console.error(`${text}\nerror: ${BUILD_REFUSED}`);
    process.exitCode = 1;
    return;
  }
  const source = generatePack();
  const outDir = join(root, 'dist');
  await bundle(outDir);
  const { lines, warnings } = sizeReport(outDir, source);
  console.log(['Checks passed. Built dist/:', ...lines].join('\n'));
  for (const warning of warnings) console.warn(`warning: ${warning}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
