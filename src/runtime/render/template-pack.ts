/**
 * A template pack: every locale catalog, brand and compiled template the
 * renderer can use. Handlers get the one embedded in their bundle
 * (precompiled at build time); the preview and the checks load one from
 * `templates/` on disk. Both have this shape, so one renderer serves all.
 */
import type { RuntimeOptions } from 'handlebars';
import type { Brand } from '../target/brand.js';

export type CompiledTemplate = (context: unknown, options?: RuntimeOptions) => string;

export interface LocaleInfo {
  tag: string;
  name: string;
  dir: 'ltr' | 'rtl';
  /** Flattened catalog: `signUp.subject` → text. */
  messages: Readonly<Record<string, string>>;
}

export interface TemplatePack {
  /** The locale every other catalog is translated from; it holds every key. */
  sourceLocale: string;
  locales: ReadonlyMap<string, LocaleInfo>;
  brands: ReadonlyMap<string, Brand>;
  /** Per-brand catalog overrides, keyed `<brand>/<locale>`. */
  brandMessages: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Keyed by path below `templates/` without `.hbs`: `base/signUp.html`, `brands/northwind/ar/signUp.sms`. */
  templates: ReadonlyMap<string, CompiledTemplate>;
}

/**
 * The override chain for one template: brand+locale, brand, locale, base.
 * The first that exists wins, so an override replaces one file and keeps the rest.
 */
export function templateCandidates(name: string, brand: string, locale: string): string[] {
  return [`brands/${brand}/${locale}/${name}`, `brands/${brand}/${name}`, `locales/${locale}/${name}`, `base/${name}`];
}

/** A template and the pack path (`brands/acme/signUp.html`, …) that served it. */
export interface FoundTemplate {
  path: string;
  template: CompiledTemplate;
}

/** Resolves a template through the override chain, or undefined when no level has it. */
export function findTemplate(
  pack: TemplatePack,
  name: string,
  brand: string,
  locale: string,
): FoundTemplate | undefined {
  for (const path of templateCandidates(name, brand, locale)) {
    const template = pack.templates.get(path);
    if (template) return { path, template };
  }
  return undefined;
}

/** Names of the partials (`_code.html` → `code`) any level of the pack defines. */
export function partialNames(pack: TemplatePack): string[] {
  const names = new Set<string>();
  for (const path of pack.templates.keys()) {
    const file = path.slice(path.lastIndexOf('/') + 1);
    if (file.startsWith('_') && file.endsWith('.html')) names.add(file.slice(1, -'.html'.length));
  }
  return [...names];
}

/** Turns a nested catalog object into dotted keys; rejects anything but strings at the leaves. */
export function flattenCatalog(value: unknown, prefix = '', into: Record<string, string> = {}): Record<string, string> {
  if (typeof value === 'string') {
    into[prefix] = value;
    return into;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`catalog entry "${prefix}" must be a string or an object of strings`);
  }
  for (const [key, child] of Object.entries(value)) flattenCatalog(child, prefix ? `${prefix}.${key}` : key, into);
  return into;
}
