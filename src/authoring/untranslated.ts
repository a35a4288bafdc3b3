/**
 * Text a locale shows in the source locale's words. A string of a
 * non-source catalog that is the same as the source's reads as untranslated
 * (one made only of placeholders, product names, URLs or addresses is
 * exempt), and a brand-level template (not under a locale folder) with words
 * of its own shows those words to every locale. Both are warnings; `--strict`
 * makes them fail.
 */
import type { PackSource } from './pack-source.js';
import { type SourcePlace, shownPath } from './source-position.js';
import { listed, type TemplateScan, URL_OR_ADDRESS } from './template-scan.js';

/** How many keys or words one warning lists before "(+k more)". */
const LISTED = 8;

/** One warning per catalog file with untranslated strings, and one per brand-level template with words of its own. */
export function translationWarnings(source: PackSource, scan: TemplateScan): string[] {
  return [...untranslatedStrings(source), ...everyLocaleTemplates(source, scan)];
}

/** Whether `text` has words once placeholders, product names, URLs and addresses are taken out. */
export function hasWords(text: string, names: readonly string[]): boolean {
  let own = text.replace(URL_OR_ADDRESS, ' ').replace(/\{[^{}]*\}/g, ' ');
  for (const name of names) own = own.split(name).join(' ');
  return /\p{L}/u.test(own);
}

function untranslatedStrings(source: PackSource): string[] {
  const names = source.brands.map((brand) => brand.productName);
  const sourceTag = source.sourceLocale;
  const sourceMessages = source.locales.find((locale) => locale.tag === sourceTag)?.messages ?? {};
  const found = new Map<string, Array<{ key: string; place: SourcePlace | undefined }>>();
  const compare = (scope: string, messages: Readonly<Record<string, string>>, original: (key: string) => unknown) => {
    for (const [key, text] of Object.entries(messages)) {
      if (text !== original(key) || !hasWords(text, names)) continue;
      const place = source.stringPlaces.get(scope)?.get(key);
      const file = place?.file ?? scope;
      found.set(file, [...(found.get(file) ?? []), { key, place }]);
    }
  };
  for (const locale of source.locales) {
    if (locale.tag !== sourceTag) compare(locale.tag, locale.messages, (key) => sourceMessages[key]);
  }
  for (const [scope, messages] of source.brandMessages) {
    const [brand, tag] = scope.split('/');
    if (tag === sourceTag) continue;
    const brandSource = source.brandMessages.find(([other]) => other === `${brand}/${sourceTag}`)?.[1] ?? {};
    compare(scope, messages, (key) => brandSource[key] ?? sourceMessages[key]);
  }
  return [...found].map(([file, strings]) => {
    const keys = strings.map(({ key, place }) => (place ? `${key} (${place.line}:${place.column})` : key));
    const count = strings.length === 1 ? '1 string reads' : `${strings.length} strings read`;
    return `${shownPath(file)}: ${count} the same as in ${sourceTag}, untranslated: ${some(keys)}`;
  });
}

function everyLocaleTemplates(source: PackSource, scan: TemplateScan): string[] {
  if (source.locales.length < 2) return [];
  const tags = source.locales.map((locale) => locale.tag);
  return source.templates.flatMap((template) => {
    const [level, brand, file, ...deeper] = template.path.split('/');
    if (level !== 'brands' || file === undefined || deeper.length > 0) return [];
    const names = source.brands.filter((candidate) => candidate.id === brand).map((candidate) => candidate.productName);
    const words = [...new Set(scan.wordsOf(template.path).filter((word) => hasWords(word, names)))];
    if (words.length === 0) return [];
    return [
      `${shownPath(template.file)}: its own words (${some(words.map((word) => `"${word}"`))}) are served to every locale (${listed(tags)}); put them in a catalog string ({{t "…"}}) or move the file into brands/${brand}/<tag>/`,
    ];
  });
}

/** The first few of `items`, then how many more. */
function some(items: readonly string[]): string {
  const more = items.length > LISTED ? ` (+${items.length - LISTED} more)` : '';
  return `${items.slice(0, LISTED).join(', ')}${more}`;
}
