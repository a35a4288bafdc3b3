/**
 * The pack as a user gets it: `npm pack` makes the tarball (prepack builds
 * lib/), and a fresh project installs it offline, with `npm ci` on a
 * lockfile drawn from this repository's own: the same versions, each found
 * by its integrity in npm's cache, which this repository's install filled.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optional?: boolean;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

const repoLock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
const repoManifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

/** Packs this repository into `dir`; returns the tarball's path. */
export function packTarball(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const name = npm(['pack', '--pack-destination', dir], process.cwd()).trim().split('\n').pop() ?? '';
  return join(dir, name);
}

/** Where node would find `name` from the package at `from` (a lockfile path). */
function locate(name: string, from: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (repoLock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

/** The lockfile entries a project needs for `roots`, as this repository resolved them. */
function closure(roots: readonly string[]): Record<string, LockEntry> {
  const entries: Record<string, LockEntry> = {};
  const visit = (path: string) => {
    if (entries[path]) return;
    const { dev: _dev, devOptional, ...entry } = repoLock.packages[path] as LockEntry;
    entries[path] = devOptional ? { ...entry, optional: true } : entry;
    const required = { ...entry.dependencies, ...entry.optionalDependencies };
    for (const [peer, range] of Object.entries(entry.peerDependencies ?? {})) {
      if (!entry.peerDependenciesMeta?.[peer]?.optional) required[peer] = range;
    }
    for (const name of Object.keys(required)) {
      const found = locate(name, path);
      if (found) visit(found);
    }
  };
  for (const name of roots) {
    const found = locate(name, '');
    if (!found) throw new Error(`${name} is not in package-lock.json`);
    visit(found);
  }
  return entries;
}

/**
 * Makes (or updates) a project at `dir` that depends on the tarball and on
 * `extras` (devDependencies of this repository, osls say), and installs it
 * offline. Resolves to npm's output.
 */
export function installPacked(dir: string, tarball: string, extras: readonly string[] = []): void {
  mkdirSync(dir, { recursive: true });
  const tarballManifest = JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as { version: string; dependencies: Record<string, string> };
  const extraVersions = Object.fromEntries(
    extras.map((name) => [name, repoLock.packages[`node_modules/${name}`]?.version ?? '']),
  );
  const manifestPath = join(dir, 'package.json');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
  } catch {
    manifest = { name: 'my-app', private: true };
  }
  manifest.devDependencies = {
    ...(manifest.devDependencies as Record<string, string> | undefined),
    'cognito-trigger-pack': `file:${tarball}`,
    ...extraVersions,
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const lock = {
    name: manifest.name,
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: manifest.name, devDependencies: manifest.devDependencies },
      'node_modules/cognito-trigger-pack': {
        version: tarballManifest.version,
        resolved: `file:${tarball}`,
        integrity,
        dev: true,
        license: 'MIT',
        dependencies: tarballManifest.dependencies,
        bin: { 'cognito-trigger-pack': 'lib/cli.cjs', ctp: 'lib/cli.cjs' },
      },
      ...closure([...Object.keys(tarballManifest.dependencies), ...extras]),
    },
  };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  npm(['ci', '--offline'], dir);
}

export const PACKAGE_VERSION = repoManifest.version;
