/**
 * Reads `templates/` from disk. The build precompiles what this returns into
 * each handler bundle; the preview and the checks compile it on the fly, so
 * an edit shows without a restart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { MESSAGE_KINDS } from '../runtime/event/message-kind.js';
import { isRecord } from '../runtime/json-object.js';
import {
  type CompiledTemplate,
  flattenCatalog,
  type LocaleInfo,
  type TemplatePack,
} from '../runtime/render/template-pack.js';
import type { Brand } from '../runtime/target/brand.js';
import { parseBrandFile } from './brand-schema.js';
import { packageTemplates } from './package-root.js';

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

/**
 * How a templates folder relates to the package's base: `package` (the
 * default) layers the folder over the templates the package ships, so an
 * upgrade brings new base wording and new trigger sources; `own` means the
 * folder holds its whole base (what `eject` writes). Set in `<folder>/pack.json`.
 */
export type BaseChoice = 'package' | 'own';

export const PACK_SETTINGS_FILE = 'pack.json';

export interface ReadOptions {
  /** The folder of the package's own templates; a folder layered over itself is read once. */
  base?: string;
}

/**
 * Reads and validates every catalog, brand and template of a templates
 * folder, layered over the package's base templates and catalogs unless the
 * folder's pack.json says `"base": "own"`. The folder's files win at every
 * level; its `locales/<tag>` folders say which locales it serves. Throws with
 * the file at fault.
 */
export function readPackSource(dir: string, options: ReadOptions = {}): PackSource {
  const baseDir = options.base ?? packageTemplates();
  const layered = baseChoice(dir) === 'package' && resolve(baseDir) !== resolve(dir);
  const layers = layered ? [baseDir, dir] : [dir];

  const templates = new Map<string, TemplateSource>();
  const add = (list: TemplateSource[]) => {
    for (const template of list) templates.set(template.path, template);
  };
  for (const layer of layers) add(readTemplates(join(layer, 'base'), 'base'));

  const tags = new Set([...subdirectories(join(dir, 'locales')), SOURCE_LOCALE]);
  const locales: LocaleInfo[] = [];
  for (const tag of [...tags].sort()) {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    if (canonical !== tag) {
      throw new Error(`${shown(join(dir, 'locales', tag))}: name the folder with the canonical tag "${canonical}"`);
    }
    const catalogs = layers
      .map((layer) => join(layer, 'locales', tag, 'messages.json'))
      .filter((file) => existsSync(file));
    if (catalogs.length === 0) {
      throw new Error(
        tag === SOURCE_LOCALE
          ? `${shown(join(dir, 'locales', tag, 'messages.json'))} is required: it holds every key`
          : `${shown(join(dir, 'locales', tag))}: add a messages.json; the package has no "${tag}" catalog to start from`,
      );
    }
    locales.push(mergeCatalogs(tag, catalogs));
    for (const layer of layers) add(readTemplates(join(layer, 'locales', tag), `locales/${tag}`));
  }

  const brands: Brand[] = [];
  const brandMessages: Array<[string, Record<string, string>]> = [];
  for (const id of subdirectories(join(dir, 'brands'))) {
    const brandDir = join(dir, 'brands', id);
    brands.push(parseBrandFile(id, readJson(join(brandDir, 'brand.json'))));
    add(readTemplates(brandDir, `brands/${id}`));
    for (const tag of subdirectories(brandDir)) {
      if (!tags.has(tag)) {
        throw new Error(`${shown(join(brandDir, tag))}: "${tag}" is not a locale of this folder (add locales/${tag})`);
      }
      const catalogFile = join(brandDir, tag, 'messages.json');
      if (existsSync(catalogFile)) brandMessages.push([`${id}/${tag}`, flattenCatalog(readJson(catalogFile))]);
      add(readTemplates(join(brandDir, tag), `brands/${id}/${tag}`));
    }
  }
  return { sourceLocale: SOURCE_LOCALE, locales, brands, brandMessages, templates: [...templates.values()] };
}

/** The folder's base choice, from its pack.json (absent: `package`). */
export function baseChoice(dir: string): BaseChoice {
  const file = join(dir, PACK_SETTINGS_FILE);
  if (!existsSync(file)) return 'package';
  const settings = readJson(file);
  const base = isRecord(settings) ? settings.base : undefined;
  if (base === undefined || base === 'package' || base === 'own') return base ?? 'package';
  throw new Error(`${shown(file)}: "base" is ${JSON.stringify(base)}; use "package" or "own"`);
}

/** One locale from its catalogs, later layers winning key by key (and for its name and direction). */
function mergeCatalogs(tag: string, files: string[]): LocaleInfo {
  const layers = files.map(readCatalog);
  const messages = Object.assign({}, ...layers.map((layer) => layer.messages)) as Record<string, string>;
  const meta = layers.findLast((layer) => layer.meta !== undefined)?.meta;
  if (!meta) throw new Error(`${shown(files[files.length - 1] as string)}: "meta" needs a "name" and a "dir" of "ltr" or "rtl"`);
  return { tag, name: meta.name, dir: meta.dir, messages };
}

/** A path as the person running the command typed it: relative to the working folder when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
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

interface Catalog {
  meta?: { name: string; dir: 'ltr' | 'rtl' };
  messages: Record<string, string>;
}

function readCatalog(file: string): Catalog {
  const raw = readJson(file);
  if (!isRecord(raw)) throw new Error(`${shown(file)}: a catalog is a JSON object of strings`);
  const { meta, ...rest } = raw;
  const messages = flattenCatalog(rest);
  if (meta === undefined) return { messages };
  if (!isRecord(meta) || typeof meta.name !== 'string' || (meta.dir !== 'ltr' && meta.dir !== 'rtl')) {
    throw new Error(`${shown(file)}: "meta" needs a "name" and a "dir" of "ltr" or "rtl"`);
  }
  return { meta: { name: meta.name, dir: meta.dir }, messages };
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
