/**
 * `npm pack` / `npm publish` (prepack): compiles what the package runs
 * outside a Lambda into lib/: the command line (lib/cli.cjs), the library API
 * (lib/index.cjs with its types in lib/types/), the CDK construct (lib/cdk.cjs)
 * and its synth-time build host, and the two local-stack hosts
 * that the command line starts as child processes. Dependencies stay
 * external; the handlers and src/runtime ship as source, which the command
 * line bundles with the team's templates.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lib = join(root, 'lib');
rmSync(lib, { recursive: true, force: true });

build({
  absWorkingDir: root,
  entryPoints: {
    cli: 'src/cli/bin.ts',
    index: 'src/library/index.ts',
    cdk: 'src/cdk/index.ts',
    'cdk-bundle-host': 'src/cdk/cdk-bundle-host.ts',
    'function-host': 'src/local-stack/function-host.ts',
    'cognito-local-host': 'src/local-stack/cognito-local-host.ts',
  },
  outdir: lib,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  // CommonJS has no import.meta; the modules find the package and their sibling hosts through it.
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__importMetaUrl' },
  sourcemap: 'linked',
  logLevel: 'warning',
}).then(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.package.json'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
});
