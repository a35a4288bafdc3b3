/**
 * Reads `templates/` from disk. The build precompiles what this returns into
 * each handler bundle; the preview and the checks compile it on the fly, so
 * an edit shows without a restart.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Handlebars from 'handlebars';
import { MESSAGE_KINDS } from '../runtime/event/message-kind.js';
import { isRecord } from '../runtime/json-object.js';
import type { CompiledTemplate, LocaleInfo, TemplatePack } from '../runtime/render/template-pack.js';
import type { Brand } from '../runtime/target/brand.js';
import { parseBrandFile } from './brand-schema.js';
import { type JsonFile, jsonPlace, readJsonFile } from './json-source.js';
import { packageTemplates } from './package-root.js';
import type { SourcePlace } from './source-position.js';
import { problemAt, problemIn, TemplateFileError } from './template-errors.js';

export const SOURCE_LOCALE = 'en';

export interface TemplateSource {
  /** Path below `templates/` without `.hbs`, e.g. `brands/northwind/ar/signUp.sms`. */
  path: string;
  source: string;
  /** The file it was read from: the folder's own, or the package's base under a layered folder. */
  file: string;
}

export interface PackSource {
  sourceLocale: string;
  locales: LocaleInfo[];
  brands: Brand[];
  brandMessages: Array<[string, Record<string, string>]>;
  templates: TemplateSource[];
  /** Where each catalog string was read (the layer that won), by `<tag>` or `<brand>/<tag>`, then by key. */
  stringPlaces: Map<string, Map<string, SourcePlace>>;
  /** The catalog file a missing string of `<tag>` or `<brand>/<tag>` belongs in: the last layer's. */
  catalogFiles: Map<string, string>;
  /** Each brand's brand.json as read, for checks that point into it. */
  brandFiles: Map<string, JsonFile>;
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
 * level; its `locales/<tag>` folders say which locales it serves. Throws
 * TemplateFileError naming the file at fault, and the line and column in it.
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
  const stringPlaces = new Map<string, Map<string, SourcePlace>>();
  const catalogFiles = new Map<string, string>();
  for (const tag of [...tags].sort()) {
    const canonical = Intl.getCanonicalLocales(tag)[0];
    if (canonical !== tag) {
      throw new TemplateFileError(
        problemIn(join(dir, 'locales', tag), `name the folder with the canonical tag "${canonical}"`),
      );
    }
    const catalogs = layers
      .map((layer) => join(layer, 'locales', tag, 'messages.json'))
      .filter((file) => existsSync(file));
    if (catalogs.length === 0) {
      throw new TemplateFileError(
        tag === SOURCE_LOCALE
          ? problemIn(
              join(dir, 'locales', tag, 'messages.json'),
              "the source locale's catalog is missing; it holds every key",
            )
          : problemIn(
              join(dir, 'locales', tag),
              `add a messages.json; the package has no "${tag}" catalog to start from`,
            ),
      );
    }
    const merged = mergeCatalogs(tag, catalogs);
    locales.push(merged.locale);
    stringPlaces.set(tag, merged.places);
    catalogFiles.set(tag, catalogs[catalogs.length - 1] as string);
    for (const layer of layers) add(readTemplates(join(layer, 'locales', tag), `locales/${tag}`));
  }

  const brands: Brand[] = [];
  const brandMessages: Array<[string, Record<string, string>]> = [];
  const brandFiles = new Map<string, JsonFile>();
  for (const id of subdirectories(join(dir, 'brands'))) {
    const brandDir = join(dir, 'brands', id);
    const brandFile = readJsonFile(join(brandDir, 'brand.json'));
    brands.push(parseBrandFile(id, brandFile.value, brandFile));
    brandFiles.set(id, brandFile);
    if (existsSync(join(brandDir, 'messages.json'))) {
      throw new TemplateFileError(
        problemIn(
          join(brandDir, 'messages.json'),
          `a brand catalog here is not read; it belongs in a locale folder, brands/${id}/<tag>/messages.json`,
        ),
      );
    }
    add(readTemplates(brandDir, `brands/${id}`));
    for (const tag of subdirectories(brandDir)) {
      if (!tags.has(tag)) {
        throw new TemplateFileError(
          problemIn(join(brandDir, tag), `"${tag}" is not a locale of this folder (add locales/${tag})`),
        );
      }
      const catalogFile = join(brandDir, tag, 'messages.json');
      if (existsSync(catalogFile)) {
        const catalog = catalogStrings(readJsonFile(catalogFile));
        brandMessages.push([`${id}/${tag}`, catalog.messages]);
        stringPlaces.set(`${id}/${tag}`, catalog.places);
        catalogFiles.set(`${id}/${tag}`, catalogFile);
      }
      add(readTemplates(join(brandDir, tag), `brands/${id}/${tag}`));
    }
  }
  return {
    sourceLocale: SOURCE_LOCALE,
    locales,
    brands,
    brandMessages,
    templates: [...templates.values()],
    stringPlaces,
    catalogFiles,
    brandFiles,
  };
}

/** The folder's base choice, from its pack.json (absent: `package`). */
export function baseChoice(dir: string): BaseChoice {
  const file = join(dir, PACK_SETTINGS_FILE);
  if (!existsSync(file)) return 'package';
  const settings = readJsonFile(file);
  const base = isRecord(settings.value) ? settings.value.base : undefined;
  if (base === undefined || base === 'package' || base === 'own') return base ?? 'package';
  throw new TemplateFileError(
    problemAt(jsonPlace(settings, 'base'), `"base" is ${JSON.stringify(base)}; use "package" or "own"`),
  );
}

const META_NEEDED = '"meta" needs a "name" and a "dir" of "ltr" or "rtl"';

/** One locale from its catalogs, later layers winning key by key (and for its name and direction). */
function mergeCatalogs(tag: string, files: string[]): { locale: LocaleInfo; places: Map<string, SourcePlace> } {
  const layers = files.map(readCatalog);
  const messages = Object.assign({}, ...layers.map((layer) => layer.messages)) as Record<string, string>;
  const places = new Map(layers.flatMap((layer) => [...layer.places]));
  const meta = layers.findLast((layer) => layer.meta !== undefined)?.meta;
  if (!meta) throw new TemplateFileError(problemIn(files[files.length - 1] as string, META_NEEDED));
  return { locale: { tag, name: meta.name, dir: meta.dir, messages }, places };
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

/** A pack compiled in this process, with the files it was read from, so the checks can point into them. */
export interface LoadedPack extends TemplatePack {
  readonly source: PackSource;
}

/** Compiles a pack in this process (preview, checks, tests); the handlers use the build's precompiled one. */
export function compilePack(source: PackSource): LoadedPack {
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
    source,
  };
}

/** The files a pack was read from, when it was loaded from disk in this process (not a bundle's embedded pack). */
export function packSourceOf(pack: TemplatePack): PackSource | undefined {
  return 'source' in pack ? (pack as LoadedPack).source : undefined;
}

/** Reads and compiles `dir` in one step. */
export function loadPack(dir: string): LoadedPack {
  return compilePack(readPackSource(dir));
}

interface Catalog {
  meta?: { name: string; dir: 'ltr' | 'rtl' };
  messages: Record<string, string>;
  places: Map<string, SourcePlace>;
}

function readCatalog(file: string): Catalog {
  const json = readJsonFile(file);
  if (!isRecord(json.value)) throw new TemplateFileError(problemIn(file, 'a catalog is a JSON object of strings'));
  const { meta } = json.value;
  const catalog = catalogStrings(json, ['meta']);
  if (meta === undefined) return catalog;
  if (!isRecord(meta) || typeof meta.name !== 'string' || (meta.dir !== 'ltr' && meta.dir !== 'rtl')) {
    throw new TemplateFileError(problemAt(jsonPlace(json, 'meta'), META_NEEDED));
  }
  return { ...catalog, meta: { name: meta.name, dir: meta.dir } };
}

/** A catalog's strings by dotted key, and where each one is; anything but strings at the leaves is named at its place. */
function catalogStrings(json: JsonFile, skip: readonly string[] = []): Catalog {
  const messages: Record<string, string> = {};
  const places = new Map<string, SourcePlace>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      messages[key] = value;
      places.set(key, jsonPlace(json, key));
    } else if (isRecord(value)) {
      for (const [name, child] of Object.entries(value)) {
        if (key !== '' || !skip.includes(name)) visit(child, key ? `${key}.${name}` : name);
      }
    } else {
      const message = `catalog entry "${key}" must be a string or an object of strings`;
      throw new TemplateFileError(problemAt(jsonPlace(json, key), message));
    }
  };
  visit(json.value, '');
  return { messages, places };
}

function readTemplates(dir: string, prefix: string): TemplateSource[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.hbs'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.hbs'.length);
      if (!TEMPLATE_NAME.test(name)) {
        throw new TemplateFileError(
          problemIn(
            join(dir, file),
            'unknown template name; use layout.html, _partial.html or <kind>.html|subject|sms',
          ),
        );
      }
      return { path: `${prefix}/${name}`, source: readFileSync(join(dir, file), 'utf8'), file: join(dir, file) };
    });
}

function subdirectories(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => statSync(join(dir, entry)).isDirectory())
    .sort();
}
