/**
 * The source's three areas and one direction (CONTRIBUTING.md, "Layout"):
 * the doors in handlers/ and everything in src/runtime/ import only
 * src/runtime/ (and the generated template pack's index), so the Lambda bundles
 * draw on that one folder. Authoring, the local stack and the operations
 * tools may import the runtime, never the reverse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SOURCE = /\.(ts|cjs|mjs|js)$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => SOURCE.test(path))
    .map((path) => join(dir, path));
}

/** Every module a file names: static and dynamic imports, re-exports and requires. */
function importsOf(text: string): string[] {
  const found = text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\n]+)\1/gm);
  return [...found].map((match) => match[2] as string);
}

/** The repository path a relative import of `file` names; null for a package. */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return normalize(relative('.', join(dirname(file), specifier)));
}

/** Every relative import of the files under `dirs` that leaves `allowed`. */
function crossings(dirs: string[], allowed: (path: string) => boolean): string[] {
  return dirs.flatMap((dir) =>
    filesUnder(dir).flatMap((file) =>
      importsOf(readFileSync(file, 'utf8'))
        .map((specifier) => target(file, specifier))
        .filter((path): path is string => path !== null && !allowed(path))
        .map((path) => `${file} imports ${path}`),
    ),
  );
}

// The generated pack's index (generated/pack-index.js) is what the bundles embed; generated/pack.js serves the library API.
const GENERATED = new Set(['generated/pack.js', 'generated/pack-index.js']);
const inRuntime = (path: string) => path.startsWith('src/runtime/') || GENERATED.has(path);

describe('import boundaries', () => {
  it('finds every import form it guards against', () => {
    const imports = importsOf(`import a from '../x.js';
import type { B } from "../y.js";
export { c } from '../z.js';
const d = await import('../w.js');
const e = require('../v.cjs');
import '../side-effect.js';`);
    expect(imports).toEqual(['../x.js', '../y.js', '../z.js', '../w.js', '../v.cjs', '../side-effect.js']);
  });

  it('the runtime imports only the runtime and the generated pack', () => {
    expect(crossings([join('src', 'runtime')], inRuntime)).toEqual([]);
  });

  it('the handlers import only the runtime', () => {
    expect(crossings(['handlers'], inRuntime)).toEqual([]);
  });

  it('sees the other areas import the runtime, so the two checks above are not vacuous', () => {
    // A renamed area or an empty folder would make "no crossing" trivially true.
    const areas = ['authoring', 'local-stack', 'operations'].map((area) => join('src', area));
    expect(crossings(areas, (path) => !inRuntime(path)).length).toBeGreaterThan(0);
    expect(filesUnder(join('src', 'runtime')).length).toBeGreaterThan(20);
  });
});
