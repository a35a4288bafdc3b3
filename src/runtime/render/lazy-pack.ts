/**
 * The pack as the bundles load it: an index in the bundle (the locale and
 * brand lists, every brand, the base templates) and one file per locale and
 * per brand beside it (`pack-files/`), read on the first invocation that
 * needs it and kept for the container's life. A cold start then costs the
 * same whatever the number of locales and brands: Lambda has the zip
 * unpacked on local disk before the function starts, so reading the one
 * locale and brand an invocation uses is cheaper than evaluating them all.
 */
import Handlebars from 'handlebars/runtime';
import { TemplateRenderError } from '../errors.js';
import type { Brand } from '../target/brand.js';
import type { CompiledTemplate, LocaleInfo, TemplatePack } from './template-pack.js';

/** A precompiled template, as `Handlebars.precompile` writes it. */
export type TemplateSpec = Parameters<typeof Handlebars.template>[0];

/** What the bundle holds; everything a cold start reads (the brands carry the app-client mapping). */
export interface PackIndex {
  sourceLocale: string;
  locales: ReadonlyArray<Omit<LocaleInfo, 'messages'>>;
  brands: readonly Brand[];
  /** The brands with catalog overrides, each in its brand's file (by `<brand>/<locale>`). */
  brandsWithMessages: readonly string[];
  /** The base templates, by path. */
  templates: ReadonlyArray<readonly [string, TemplateSpec]>;
  /** Paths of the locale and brand templates, each in its locale's or brand's file. */
  fileTemplates: readonly string[];
}

/** A locale's or a brand's catalogs: `locales/<tag>` holds its catalog by tag, `brands/<id>` its overrides by `<id>/<tag>`. */
export type PackMessages = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Reads the pack's files by name (`locales/fr`, `brands/northwind`); the generated index supplies them. */
export interface PackFiles {
  messages(name: string): PackMessages;
  /** The locale's or brand's own templates, by path; only asked for names the index lists a template of. */
  templates(name: string): Readonly<Record<string, TemplateSpec>>;
}

/** The file that holds a locale or brand template, or a brand catalog: `locales/<tag>` or `brands/<id>`. */
export function packFileOf(path: string): string {
  const [level, id] = path.split('/');
  return `${level}/${id}`;
}

/** A map whose keys are known up front and whose values are made on first `get`, once. */
class LazyMap<V> implements ReadonlyMap<string, V> {
  readonly #made = new Map<string, V>();
  readonly #keys: ReadonlySet<string>;
  readonly #make: (key: string) => V;

  constructor(keys: Iterable<string>, make: (key: string) => V) {
    this.#keys = new Set(keys);
    this.#make = make;
  }

  get size(): number {
    return this.#keys.size;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  get(key: string): V | undefined {
    if (!this.#keys.has(key)) return undefined;
    let value = this.#made.get(key);
    if (value === undefined) {
      value = this.#make(key);
      this.#made.set(key, value);
    }
    return value;
  }

  keys(): MapIterator<string> {
    return this.#keys.keys();
  }

  *values(): MapIterator<V> {
    for (const key of this.#keys) yield this.get(key) as V;
  }

  *entries(): MapIterator<[string, V]> {
    for (const key of this.#keys) yield [key, this.get(key) as V];
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * The brand catalog overrides by `<brand>/<locale>`, read from each brand's
 * file when that brand is first asked for: the index lists only the brands
 * that have any, so it grows with the brands and not with brands × locales.
 */
class BrandMessages implements ReadonlyMap<string, Readonly<Record<string, string>>> {
  readonly #brands: ReadonlySet<string>;
  readonly #read: (brand: string) => PackMessages;

  constructor(brands: Iterable<string>, read: (brand: string) => PackMessages) {
    this.#brands = new Set(brands);
    this.#read = read;
  }

  get(key: string): Readonly<Record<string, string>> | undefined {
    const brand = key.slice(0, key.indexOf('/'));
    return this.#brands.has(brand) && Object.hasOwn(this.#read(brand), key) ? this.#read(brand)[key] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every brand's file is read: for listing, not for rendering. */
  *entries(): MapIterator<[string, Readonly<Record<string, string>>]> {
    for (const brand of this.#brands) yield* Object.entries(this.#read(brand));
  }

  get size(): number {
    return [...this.entries()].length;
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<Readonly<Record<string, string>>> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, Readonly<Record<string, string>>]> {
    return this.entries();
  }

  forEach(
    callback: (
      value: Readonly<Record<string, string>>,
      key: string,
      map: ReadonlyMap<string, Readonly<Record<string, string>>>,
    ) => void,
    thisArg?: unknown,
  ): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/**
 * A TemplatePack over an index and its files. A file that cannot be read
 * (a deployment that left `pack-files/` out) fails the render that needs it
 * with TemplateRenderError, so CustomMessage falls back to the pool's default
 * message as for any template problem.
 */
export function lazyPack(index: PackIndex, read: PackFiles): TemplatePack {
  const cached = <T>(load: (name: string) => T) => {
    const found = new Map<string, T>();
    return (name: string): T => {
      let value = found.get(name);
      if (value === undefined) {
        try {
          value = load(name);
        } catch (error) {
          throw new TemplateRenderError(
            `the template pack's file ${name} cannot be read (${(error as Error).message}); deploy each bundle with the pack-files folder the build writes beside it`,
            { cause: error },
          );
        }
        found.set(name, value);
      }
      return value;
    };
  };
  const messagesOf = cached((name) => read.messages(name));
  const templatesOf = cached((name) => read.templates(name));
  const part = <T>(value: T | undefined, what: string, name: string): T => {
    if (value === undefined)
      throw new TemplateRenderError(`the template pack's file ${name} lacks ${what}; build again`);
    return value;
  };
  const wrapped = new Map<TemplateSpec, CompiledTemplate>();
  const compiled = (spec: TemplateSpec): CompiledTemplate => {
    let template = wrapped.get(spec);
    if (!template) {
      template = Handlebars.template(spec) as CompiledTemplate;
      wrapped.set(spec, template);
    }
    return template;
  };
  const base = new Map(index.templates.map(([path, spec]) => [path, compiled(spec)]));
  const metas = new Map(index.locales.map((locale) => [locale.tag, locale]));
  return {
    sourceLocale: index.sourceLocale,
    locales: new LazyMap(metas.keys(), (tag) => {
      const name = `locales/${tag}`;
      return {
        ...(metas.get(tag) as Omit<LocaleInfo, 'messages'>),
        messages: part(messagesOf(name)[tag], 'its catalog', name),
      };
    }),
    brands: new Map(index.brands.map((brand) => [brand.id, brand])),
    brandMessages: new BrandMessages(index.brandsWithMessages, (brand) => messagesOf(`brands/${brand}`)),
    templates: new LazyMap([...base.keys(), ...index.fileTemplates], (path) => {
      const ready = base.get(path);
      if (ready) return ready;
      const name = packFileOf(path);
      return compiled(part(templatesOf(name)[path], `the template ${path}`, name));
    }),
  };
}
