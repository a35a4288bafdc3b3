import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throw-away copy of `templates/` that a test may break; removed after the test. */
export function copyTemplates(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ctp-templates-'));
  made.push(dir);
  cpSync('templates', dir, { recursive: true });
  return dir;
}
