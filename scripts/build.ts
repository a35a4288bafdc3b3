/**
 * `npm run build`: precompiles `templates/` into `generated/`, bundles the
 * handlers into `dist/` with the pack's files beside them, and prints each
 * bundle's size against its budget (src/authoring/budgets.ts).
 */
import { join } from 'node:path';
import { bundle, generatePack, sizeReport } from '../src/authoring/build.js';
import { packageRoot } from '../src/authoring/package-root.js';

async function main(): Promise<void> {
  const source = generatePack();
  const outDir = join(packageRoot(), 'dist');
  await bundle(outDir);
  const { lines, warnings } = sizeReport(outDir, source);
  console.log(['Built dist/:', ...lines].join('\n'));
  for (const warning of warnings) console.warn(`warning: ${warning}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
