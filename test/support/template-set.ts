/**
 * The set of locales and brands under test is read from the templates folder,
 * so adding a locale or a brand adds test cases, never failures. The one place
 * that names the example set this repository ships is EXAMPLE_SET below.
 */
import { loadPack } from '../../src/authoring/pack-source.js';
import { listCombinations } from '../../src/authoring/preview/gallery.js';

const pack = loadPack('templates');

/** Every locale of `templates/`, the source locale first. */
export const LOCALES: readonly string[] = [
  pack.sourceLocale,
  ...[...pack.locales.keys()].filter((tag) => tag !== pack.sourceLocale),
];
/** Every brand of `templates/`. */
export const BRANDS: readonly string[] = [...pack.brands.keys()];
/** Every message the preview and `npm run check` render: mode × source × channel × locale × brand. */
export const COMBINATIONS = listCombinations(pack).length;
/** Combinations per locale and brand, in each column of `npm run check`'s table (message email, message sms, sender email, sender sms). */
export const PER_LOCALE_AND_BRAND = { messageEmail: 7, messageSms: 7, senderEmail: 8, senderSms: 7 } as const;

/**
 * The example set this repository ships, for the tests that are about it
 * (its bundle budget, its wording, its lack of warnings). A team's own set
 * may differ: those tests are skipped then, and say so.
 */
export const EXAMPLE_SET = {
  locales: ['ar', 'de', 'en', 'es', 'fr', 'ja', 'pt-BR'],
  brands: ['default', 'northwind'],
} as const;

const sameMembers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Whether `templates/` holds exactly the example set. */
export const IS_EXAMPLE_SET = sameMembers(LOCALES, EXAMPLE_SET.locales) && sameMembers(BRANDS, EXAMPLE_SET.brands);

/** "7/7"-style cells of the `all` row of `npm run check`'s table for a clean set. */
export function allRow(failing = 0): RegExp {
  const n = LOCALES.length * BRANDS.length;
  const cells = Object.values(PER_LOCALE_AND_BRAND).map((per) => `${per * n}\\/${per * n}`);
  return new RegExp(`^all +${cells.join(' +')} +${failing}$`, 'm');
}
