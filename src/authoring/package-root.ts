/**
 * Where the pack itself is installed: this repository when it runs from
 * source, `node_modules/cognito-trigger-pack` in a user's project. The
 * command line finds the base templates, the handlers, the bundle stand-ins
 * and the base deployment file there, wherever its own code was bundled to.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'cognito-trigger-pack';

let found: string | undefined;

/** The folder of the pack's package.json, searched upward from this module. */
export function packageRoot(): string {
  if (found !== undefined) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME
    ) {
      found = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir)
      throw new Error(`${PACKAGE_NAME}: its package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** The templates the package ships: the base templates and every locale's catalog, under which a user's folder is layered. */
export function packageTemplates(): string {
  return join(packageRoot(), 'templates');
}
