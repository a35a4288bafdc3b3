/**
 * Reads `templates/` from disk. The build precompiles what this returns into
 * each handler bundle; the preview and the checks compile it on the fly, so
 * an edit shows without a restart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { MESSAGE_KINDS } from '../runtime/event/message-kind.js';
import {
  type CompiledTemplate,
  flattenCatalog,
  type LocaleInfo,
  type TemplatePack,
} from '../runtime/render/template-pack.js';
import type { Brand } from '../runtime/target/brand.js';
import { parseBrandFile } from './brand-schema.js';

export const SOURCE_LOCALE = 'en';

export interface TemplateSource {
  /** Path below `templates/` without `.hbs`, e.g. `brands/northwind/ar/signUp.sms`. */
  path: string;
  source: string;
}

export interface PackSource {
  sourceLocale: string;
  locales: LocaleInfo[];
  brands: Brand[];
  brandMessages: Array<[string, Record<string, string>]>;
  templates: TemplateSource[];
}

const TEMPLATE_NAME = new RegExp(
  `^(?:layout\\.html|_[a-zA-Z][\\w-]*\\.html|(?:${MESSAGE_KINDS.join('|')})\\.(?:html|subject|sms))$`,
);

/** Reads and validates every catalog, brand and template below `dir`. Throws with the file at fault. */
export function readPackSource(dir: string): PackSource {
  const locales: LocaleInfo[] = [];
  const templates: TemplateSource[] = readTemplates(join(dir, 'base'), 'base');
  for (const tag of subdirectories(join(dir, 'locales'))) {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    if (canonical !== tag)
      throw new Error(`templates/locales/${tag}: name the folder with the canonical tag "${canonical}"`);
    locales.push(readLocale(join(dir, 'locales', tag, 'messages.json'), tag));
    templates.push(...readTemplates(join(dir, 'locales', tag), `locales/${tag}`));
  }
  const localeTags = new Set(locales.map((locale) => locale.tag));
  if (!localeTags.has(SOURCE_LOCALE))
    throw new Error(`templates/locales/${SOURCE_LOCALE} is required: it holds every key`);

  const brands: Brand[] = [];
  const brandMessages: Array<[string, Record<string, string>]> = [];
  for (const id of subdirectories(join(dir, 'brands'))) {
    const brandDir = join(dir, 'brands', id);
    brands.push(parseBrandFile(id, readJson(join(brandDir, 'brand.json'))));
    templates.push(...readTemplates(brandDir, `brands/${id}`));
    for (const tag of subdirectories(brandDir)) {
      if (!localeTags.has(tag)) throw new Error(`templates/brands/${id}/${tag}: "${tag}" is not a shipped locale`);
      const catalogFile = join(brandDir, tag, 'messages.json');
      if (existsSync(catalogFile)) brandMessages.push([`${id}/${tag}`, flattenCatalog(readJson(catalogFile))]);
      templates.push(...readTemplates(join(brandDir, tag), `brands/${id}/${tag}`));
    }
  }
  return { sourceLocale: SOURCE_LOCALE, locales, brands, brandMessages, templates };
}

/** Handlebars options for one template: HTML templates escape, subject and SMS templates are plain text. */
export function compileOptionsFor(path: string): CompileOptions {
  return {
    noEscape: !path.endsWith('.html'),
    strict: true,
    knownHelpers: { t: true, concat: true },
    knownHelpersOnly: true,
  };
}

type CompileOptions = Parameters<typeof Handlebars.precompile>[1] & object;

/** Compiles a pack in this process (preview, checks, tests); the handlers use the build's precompiled one. */
export function compilePack(source: PackSource): TemplatePack {
  const templates = new Map<string, CompiledTemplate>();
  for (const { path, source: text } of source.templates) {
    templates.set(path, Handlebars.compile(text, compileOptionsFor(path)) as CompiledTemplate);
  }
  return {
    sourceLocale: source.sourceLocale,
    locales: new Map(source.locales.map((locale) => [locale.tag, locale])),
    brands: new Map(source.brands.map((brand) => [brand.id, brand])),
    brandMessages: new Map(source.brandMessages),
    templates,
  };
}

/** Reads and compiles `dir` in one step. */
export function loadPack(dir: string): TemplatePack {
  return compilePack(readPackSource(dir));
}

function readLocale(file: string, tag: string): LocaleInfo {
  const raw = readJson(file) as { meta?: { name?: unknown; dir?: unknown } };
  const { meta, ...rest } = raw;
  if (typeof meta?.name !== 'string' || (meta.dir !== 'ltr' && meta.dir !== 'rtl')) {
    throw new Error(`${file}: "meta" needs a "name" and a "dir" of "ltr" or "rtl"`);
  }
  return { tag, name: meta.name, dir: meta.dir, messages: flattenCatalog(rest) };
}

function readTemplates(dir: string, prefix: string): TemplateSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.hbs'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.hbs'.length);
      if (!TEMPLATE_NAME.test(name)) {
        throw new Error(
          `${join(dir, file)}: unknown template name; use layout.html, _partial.html or <kind>.html|subject|sms`,
        );
      }
      return { path: `${prefix}/${name}`, source: readFileSync(join(dir, file), 'utf8') };
    });
}

function subdirectories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory())
    .sort();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
}
