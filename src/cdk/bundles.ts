/**
 * The Lambda code of the construct, made at synth time on this machine (no
 * Docker): the templates folder read and checked as `cognito-trigger-pack
 * check` does, then built as `cognito-trigger-pack build` does, each bundle
 * in its own folder for `lambda.Code.fromAsset`, with the template pack's
 * files it reads on first use. A failing template
 * throws, so `cdk synth` fails naming it. Builds are cached by a hash of
 * everything that goes into them, so a synth with nothing changed builds
 * nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { bundle, generatePack } from '../authoring/build.js';
import { FUNCTIONS, type FunctionName, PACK_FILES_DIR } from '../authoring/functions.js';
import { loadPack } from '../authoring/pack-source.js';
import { PACKAGE_NAME, packageRoot, packageTemplates } from '../authoring/package-root.js';
import { buildGallery } from '../authoring/preview/gallery.js';
import { checkReport } from '../authoring/report.js';
import { hostProcess } from '../local-stack/processes.js';
import type { TemplatePack } from '../runtime/render/template-pack.js';

/** The attachment custom resource's source, in the package. */
const ATTACH_TRIGGERS_SOURCE = join('src', 'cdk', 'attach-triggers.ts');
/** What the pack's bundles are made of, besides the templates (in the package). */
const BUILD_INPUTS = ['handlers', join('src', 'runtime'), join('src', 'authoring'), join('src', 'cdk')];

export interface PackCode {
  /** The templates as the functions will embed them (for checking the props against). */
  pack: TemplatePack;
  /** Each function's folder: its bundle as `index.js` and the template pack's files (`pack-files/`). */
  functions: Record<FunctionName, string>;
  /** The attachment custom resource's folder (`index.js`). */
  attachTriggers: string;
}

/** Reads, checks and builds `templatesDir`, or reuses the build of identical inputs. */
export function packCode(templatesDir: string): PackCode {
  const dir = resolve(templatesDir);
  if (!existsSync(dir)) {
    throw new Error(
      `cognito-trigger-pack: there is no templates folder at ${dir} (prop templates); run npx cognito-trigger-pack init, or pass templates`,
    );
  }
  let pack: TemplatePack;
  try {
    pack = loadPack(dir);
  } catch (error) {
    throw new Error(`cognito-trigger-pack: the templates at ${dir} cannot be read:\n${(error as Error).message}`);
  }
  const host = hostProcess(import.meta.url, 'cdk-bundle-host');
  const built = join(cacheRoot(), inputHash(dir, host.script));
  if (!existsSync(join(built, 'attach-triggers', 'index.js'))) {
    const { text, ok } = checkReport(buildGallery(pack));
    if (!ok) throw new Error(`cognito-trigger-pack: the templates at ${dir} fail the checks:\n${failures(text)}`);
    buildInChild(dir, built, host);
  }
  return {
    pack,
    functions: Object.fromEntries(FUNCTIONS.map((name) => [name, join(built, name)])) as Record<FunctionName, string>,
    attachTriggers: join(built, 'attach-triggers'),
  };
}

/** The report's failure blocks and its verdict, without the summary table and warnings. */
function failures(text: string): string {
  const lines = text.split('\n');
  let inFailure = false;
  const kept = lines.filter((line) => {
    if (line.startsWith('FAIL ')) inFailure = true;
    else if (!line.startsWith('  ')) inFailure = false;
    return inFailure;
  });
  return [...kept, lines.at(-1) ?? ''].join('\n');
}

/**
 * The build itself, asynchronous (esbuild runs plugins only so): the
 * precompiled pack into `<out>/generated`, the three handler bundles into
 * `<out>/dist` (the same build as `cognito-trigger-pack build`), the
 * attachment custom resource into `<out>/attach-triggers/index.js`. The
 * construct runs it in cdk-bundle-host and waits.
 */
export async function buildPackCode(templatesDir: string, outDir: string, attachSource: string): Promise<void> {
  const generatedDir = join(outDir, 'generated');
  generatePack(templatesDir, generatedDir, PACKAGE_NAME);
  await bundle(join(outDir, 'dist'), generatedDir);
  await esbuild({
    absWorkingDir: packageRoot(),
    entryPoints: [attachSource],
    outfile: join(outDir, 'attach-triggers', 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // nodejs22.x ships the AWS SDK v3; the custom resource uses that one.
    external: ['@aws-sdk/*'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

/** Builds into a fresh folder beside `target` in cdk-bundle-host, then moves it there whole; a concurrent synth's finished copy wins. */
function buildInChild(templatesDir: string, target: string, host: { script: string; execArgv: string[] }): void {
  mkdirSync(join(target, '..'), { recursive: true });
  const work = mkdtempSync(`${target}.building-`);
  try {
    const source = join(packageRoot(), ATTACH_TRIGGERS_SOURCE);
    try {
      execFileSync(process.execPath, [...host.execArgv, host.script, templatesDir, work, source], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
    } catch (error) {
      const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
      throw new Error(`cognito-trigger-pack: building the Lambda bundles failed:\n${stderr}`);
    }
    const ready = join(work, 'ready');
    for (const name of FUNCTIONS) {
      mkdirSync(join(ready, name), { recursive: true });
      renameSync(join(work, 'dist', `${name}.js`), join(ready, name, 'index.js'));
      // Each bundle reads the template pack's files beside it on first use.
      cpSync(join(work, 'dist', PACK_FILES_DIR), join(ready, name, PACK_FILES_DIR), { recursive: true });
    }
    renameSync(join(work, 'attach-triggers'), join(ready, 'attach-triggers'));
    try {
      renameSync(ready, target);
    } catch (error) {
      if (!existsSync(join(target, 'attach-triggers', 'index.js'))) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `node_modules/.cache/cognito-trigger-pack/cdk` of the project synth runs in; a throw-away folder without one. */
function cacheRoot(): string {
  const modules = join(process.cwd(), 'node_modules');
  return existsSync(modules)
    ? join(modules, '.cache', 'cognito-trigger-pack', 'cdk')
    : mkdtempSync(join(tmpdir(), 'cognito-trigger-pack-cdk-'));
}

/**
 * A hash of every input of the build: the team's folder, the package's base
 * templates, handlers, runtime, build code and host, and the versions of
 * the dependencies the bundles are made with (esbuild among them).
 */
function inputHash(templatesDir: string, hostScript: string): string {
  const root = packageRoot();
  const hash = createHash('sha256');
  const add = (label: string, path: string) => {
    for (const file of filesUnder(path)) {
      hash.update(`${label}:${relative(path, file)}\0`);
      hash.update(readFileSync(file));
    }
  };
  add('templates', templatesDir);
  add('base', packageTemplates());
  for (const input of BUILD_INPUTS) add(input, join(root, input));
  add('host', hostScript);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version?: string;
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) hash.update(`${name}@${installedVersion(name)}\0`);
  hash.update(`cognito-trigger-pack@${manifest.version}\0`);
  return hash.digest('hex').slice(0, 32);
}

/** The version of a dependency as installed beside the package or inside it. */
function installedVersion(name: string): string {
  const root = packageRoot();
  for (const dir of [join(root, 'node_modules', name), join(dirname(root), name)]) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest))
      return String((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: unknown }).version);
  }
  return 'absent';
}

/** Every file under `path` (or `path` itself), sorted; nothing when it does not exist. */
function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .map((entry) => join(path, entry))
    .filter((file) => statSync(file).isFile())
    .sort();
}
