/**
 * `cdk-bundle-host <templates dir> <out dir> <attachment source>`: the
 * synth-time build (bundles.ts, buildPackCode), in a child process the
 * construct waits for, because esbuild's plugins (the Encryption SDK
 * stand-ins, the team's pack) run only in its asynchronous API and a CDK
 * construct is synchronous.
 */
import { buildPackCode } from './bundles.js';

const [templatesDir, outDir, attachSource] = process.argv.slice(2);
if (templatesDir === undefined || outDir === undefined || attachSource === undefined) {
  process.stderr.write('usage: cdk-bundle-host <templates dir> <out dir> <attachment source>\n');
  process.exitCode = 2;
} else {
  buildPackCode(templatesDir, outDir, attachSource).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
