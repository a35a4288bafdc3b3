/**
 * Reading a received email as its recipient would: the code is the six
 * digits under the "verification code" label of the email's language, a
 * temporary password the line under its label. The labels come from the
 * same catalogs the functions render from (templates/), so the demo and the
 * end-to-end tests read any locale and brand without knowing the layout.
 */
import { join } from 'node:path';
import { type PackSource, readPackSource } from '../authoring/pack-source.js';
import { packageRoot } from '../authoring/package-root.js';

/** An email as its recipient sees it, whichever way it was delivered. */
export interface ReceivedEmail {
  to: string;
  /** The From (sender mode); cognito-local's own delivery has none. */
  from: string | null;
  subject: string;
  html: string;
  /** The body as a reader sees it (derived from the HTML). */
  text: string;
}

let templatesDir = join(packageRoot(), 'templates');
let source: PackSource | undefined;

/** Reads labels and brands from `dir` from now on (the command line's --templates); default: this repository's. */
export function readMessagesFrom(dir: string): void {
  templatesDir = dir;
  source = undefined;
}

function packSource(): PackSource {
  source ??= readPackSource(templatesDir);
  return source;
}

/** A catalog string as printed: the brand's override, else the locale's, else the source locale's; `{product}` filled. */
export function catalogText(key: string, locale: string, brandId: string): string {
  const pack = packSource();
  const brand = pack.brands.find((candidate) => candidate.id === brandId);
  if (!brand) throw new Error(`no brand "${brandId}" in ${templatesDir}/brands`);
  const brandMessages = new Map(pack.brandMessages).get(`${brandId}/${locale}`);
  const catalog = (tag: string) => pack.locales.find((candidate) => candidate.tag === tag)?.messages[key];
  const text = brandMessages?.[key] ?? catalog(locale) ?? catalog(pack.sourceLocale);
  if (text === undefined) throw new Error(`no catalog string "${key}"`);
  return text.replaceAll('{product}', brand.productName);
}

/** The From of a brand's emails: its own, else the senders' EMAIL_FROM. */
export function brandFrom(brandId: string, emailFrom: string): string {
  return packSource().brands.find((brand) => brand.id === brandId)?.email.from ?? emailFrom;
}

/** The From addresses of every brand that sets one (each must be a verified SES identity). */
export function brandFromAddresses(): string[] {
  return packSource().brands.flatMap((brand) => (brand.email.from ? [brand.email.from] : []));
}

/** The shipped locale tags. */
export function shippedLocales(): string[] {
  return packSource().locales.map((locale) => locale.tag);
}

/** The six-digit code printed after the "verification code" label of `locale`; throws when there is none. */
export function readCode(email: ReceivedEmail, locale: string, brandId: string): string {
  const label = catalogText('common.codeLabel', locale, brandId);
  const at = email.text.indexOf(label);
  if (at < 0) throw new Error(`the email has no "${label}" label:\n${email.text}`);
  const code = /\b(\d{6})\b/.exec(email.text.slice(at + label.length, at + label.length + 200))?.[1];
  if (!code) throw new Error(`no six-digit code after "${label}" in:\n${email.text}`);
  return code;
}

/** The value on the first non-empty line after the line holding only the label `labelKey`. */
export function readValueAfter(email: ReceivedEmail, labelKey: string, locale: string, brandId: string): string {
  const label = catalogText(labelKey, locale, brandId);
  const lines = email.text.split('\n').map((line) => line.trim());
  const index = lines.indexOf(label);
  const value = lines.slice(index + 1).find((line) => line !== '');
  if (index < 0 || !value) throw new Error(`no value after "${label}" in:\n${email.text}`);
  return value;
}

/** The folder's `default` brand, else its first: the stack's DEFAULT_BRAND and the demo's brand. */
export function defaultBrand(): string {
  const ids = packSource().brands.map((brand) => brand.id);
  const [first] = ids;
  if (first === undefined) throw new Error(`no brand in ${templatesDir}/brands`);
  return ids.includes('default') ? 'default' : first;
}
