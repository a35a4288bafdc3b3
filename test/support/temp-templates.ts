import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A throw-away copy of `templates/` that a test may break; removed after the
 * test. It holds its own base (pack.json `"base": "own"`), so a key or file the
 * test removes is missing, not filled in from the package's templates; pass
 * `layered` to read it over the package's base as a user's folder is.
 */
export function copyTemplates(options: { layered?: boolean } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-templates-'));
  made.push(dir);
  cpSync('templates', dir, { recursive: true });
  if (!options.layered) writeFileSync(join(dir, 'pack.json'), '{ "base": "own" }\n');
  return dir;
}
