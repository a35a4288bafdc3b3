/**
 * `eject`: the folder takes over the whole base. The package's base
 * templates the folder does not override are copied in, each served
 * locale's catalog is written whole (the package's wording with the folder's
 * own keys on top), and pack.json says `"base": "own"`, so upgrades no longer
 * change any message. Nothing the folder already has is lost.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { baseChoice, PACK_SETTINGS_FILE } from '../authoring/pack-source.js';
import { packageTemplates } from '../authoring/package-root.js';
import { isRecord } from '../runtime/json-object.js';
import type { Command } from './args.js';
import { templatesDir } from './templates.js';
import { UsageError } from './usage-error.js';

export function ejectFolder(dir: string, base = packageTemplates()): string[] {
  if (baseChoice(dir) === 'own')
    throw new UsageError(`${PACK_SETTINGS_FILE} already says "base": "own"; nothing to eject`);
  const written: string[] = [];
  mkdirSync(join(dir, 'base'), { recursive: true });
  for (const file of readdirSync(join(base, 'base')).filter((name) => name.endsWith('.hbs'))) {
    if (existsSync(join(dir, 'base', file))) continue;
    cpSync(join(base, 'base', file), join(dir, 'base', file));
    written.push(join('base', file));
  }
  const tags = new Set(['en', ...(existsSync(join(dir, 'locales')) ? readdirSync(join(dir, 'locales')) : [])]);
  for (const tag of tags) {
    const packageCatalog = join(base, 'locales', tag, 'messages.json');
    if (!existsSync(packageCatalog)) continue;
    const own = join(dir, 'locales', tag, 'messages.json');
    const merged = deepMerge(readJson(packageCatalog), existsSync(own) ? readJson(own) : {});
    mkdirSync(join(dir, 'locales', tag), { recursive: true });
    writeFileSync(own, `${JSON.stringify(merged, null, 2)}\n`);
    written.push(join('locales', tag, 'messages.json'));
  }
  writeFileSync(join(dir, PACK_SETTINGS_FILE), '{ "base": "own" }\n');
  written.push(PACK_SETTINGS_FILE);
  return written;
}

function deepMerge(under: unknown, over: unknown): unknown {
  if (!isRecord(under) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = key in under ? deepMerge(under[key], value) : value;
  return out;
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export const ejectCommand: Command = {
  summary: "Copy the package's base templates and catalogs into the folder and stop layering over the package.",
  usage: 'eject',
  options: {},
  help: {},
  run(parsed, io) {
    const dir = templatesDir(parsed, io);
    const written = ejectFolder(dir);
    for (const path of written) io.out(`  wrote ${join(relative(io.cwd, dir) || '.', path)}`);
    io.out('The folder now holds its whole base (pack.json "base": "own"); upgrades no longer change its messages.');
    return 0;
  },
};
