/** The text `npm run check` prints: a summary table, then every failure and warning with its reasons. */
import type { SmsSize } from '../runtime/check/sms-encoding.js';
import type { Channel } from '../runtime/event/message-kind.js';
import { type LoadedPack, loadPack } from './pack-source.js';
import { buildGallery, type Gallery, type PreviewEntry, type PreviewMode } from './preview/gallery.js';
import { problemText, TemplateFileError } from './template-errors.js';

const COLUMNS: ReadonlyArray<{ mode: PreviewMode; channel: Channel; label: string }> = [
  { mode: 'message', channel: 'email', label: 'message email' },
  { mode: 'message', channel: 'sms', label: 'message sms' },
  { mode: 'sender', channel: 'email', label: 'sender email' },
  { mode: 'sender', channel: 'sms', label: 'sender sms' },
];

function passed(entries: readonly PreviewEntry[]): string {
  return `${entries.filter((entry) => entry.status !== 'fail').length}/${entries.length}`;
}

/** Passing/total per locale and brand, one column per mode and channel, and a total row. */
export function summaryTable(gallery: Gallery): string {
  const header = ['locale', 'brand', ...COLUMNS.map((column) => column.label), 'failing'];
  const rows: string[][] = [];
  const row = (locale: string, brand: string, entries: readonly PreviewEntry[]) => [
    locale,
    brand,
    ...COLUMNS.map((column) =>
      passed(entries.filter((entry) => entry.mode === column.mode && entry.channel === column.channel)),
    ),
    String(entries.filter((entry) => entry.status === 'fail').length),
  ];
  for (const { tag } of gallery.locales) {
    for (const { id } of gallery.brands) {
      rows.push(
        row(
          tag,
          id,
          gallery.entries.filter((entry) => entry.locale === tag && entry.brand === id),
        ),
      );
    }
  }
  rows.push(row('all', '', gallery.entries));
  return alignedTable(header, rows);
}

/**
 * What the SMS cost per locale: GSM-7 or UCS-2 (a UCS-2 segment holds 70
 * characters, a GSM-7 one 160), how many messages, and their segments, as
 * delivered (message mode: with sample values in place of the placeholders).
 */
export function smsCostTable(gallery: Gallery): string {
  const header = ['locale', 'encoding', 'messages', 'segments', 'fullest segment'];
  const rows = gallery.locales.map(({ tag }) => {
    const sizes = gallery.entries.filter((entry) => entry.locale === tag && entry.sms).map((entry) => entry.sms?.size);
    const ucs2 = sizes.filter((size) => size?.encoding === 'UCS-2').length;
    const encoding =
      ucs2 === 0 ? 'GSM-7' : ucs2 === sizes.length ? 'UCS-2' : `GSM-7 ${sizes.length - ucs2}, UCS-2 ${ucs2}`;
    const segments = sizes.reduce((sum, size) => sum + (size?.segments ?? 0), 0);
    // The single-segment SMS closest to its limit, as units of the limit: how much room the wording has.
    const fill = (size: SmsSize) => size.units / (size.encoding === 'GSM-7' ? 160 : 70);
    const fullest = sizes
      .filter((size): size is SmsSize => size !== undefined && size.segments === 1)
      .sort((a, b) => fill(b) - fill(a))[0];
    const room = fullest ? `${fullest.units}/${fullest.encoding === 'GSM-7' ? 160 : 70}` : '';
    return [tag, encoding, String(sizes.length), String(segments), room];
  });
  return alignedTable(header, rows);
}

function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((cells) => (cells[index] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, index) => cell.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** How many combinations a block names before "(+k more)". */
const NAMED = 3;

/** `message/sms/SignUp/fr/default`. */
function combinationName(entry: PreviewEntry): string {
  return [entry.mode, entry.channel, entry.source, entry.locale, entry.brand].join('/');
}

interface FailureGroup {
  /** The cause: a problem at its file, line and column, or the string or file the reasons come from. */
  heading: string;
  reasons: string[];
  entries: Set<PreviewEntry>;
}

/**
 * Every failure, one block per cause: a mistake in one file is one block,
 * however many combinations it breaks. A detail that names its own place (a
 * template problem) is its own cause; the others group under the origin the
 * gallery gave them (the catalog string, the template file).
 */
export function failureList(gallery: Gallery): string[] {
  const groups = new Map<string, FailureGroup>();
  for (const entry of gallery.entries) {
    for (const check of entry.checks) {
      if (check.status !== 'fail') continue;
      for (const [index, detail] of check.details.entries()) {
        const heading = check.origins?.[index] ?? detail;
        const group = groups.get(heading) ?? { heading, reasons: [], entries: new Set() };
        groups.set(heading, group);
        if (heading !== detail) group.reasons.push(`${check.title}: ${detail}`);
        group.entries.add(entry);
      }
    }
  }
  return [...groups.values()].map(({ heading, reasons, entries }) => {
    const names = [...entries].map(combinationName);
    const shown = names.length > NAMED + 1 ? names.slice(0, NAMED) : names;
    const more = names.length > shown.length ? `, …(+${names.length - shown.length} more)` : '';
    const count = `${names.length} combination${names.length === 1 ? '' : 's'}`;
    return [
      `FAIL ${heading}`,
      ...mergeNumbers(reasons).map((reason) => `  - ${reason}`),
      `  breaks ${count}: ${shown.join(', ')}${more}`,
    ].join('\n');
  });
}

const NUMBER = /\d[\d,]*/g;
// Stands for a number in a reason's shape; no reason holds it.
const SLOT = '\u0000';

/**
 * Reasons that differ only in their numbers (a length per brand) said once,
 * each differing number as its range: `is 253–258 characters`.
 */
export function mergeNumbers(reasons: readonly string[]): string[] {
  const byShape = new Map<string, string[][]>();
  for (const reason of reasons) {
    const shape = reason.replace(NUMBER, SLOT);
    byShape.set(shape, [...(byShape.get(shape) ?? []), reason.match(NUMBER) ?? []]);
  }
  return [...byShape].map(([shape, all]) => {
    let index = 0;
    return shape.replace(new RegExp(SLOT, 'g'), () => {
      const written = all.map((numbers) => numbers[index] ?? '');
      index++;
      const value = (number: string) => Number(number.replace(/,/g, ''));
      const sorted = [...new Set(written)].sort((a, b) => value(a) - value(b));
      return sorted.length === 1 ? (sorted[0] ?? '') : `${sorted[0]}–${sorted.at(-1)}`;
    });
  });
}

/** Warnings, each reason once with how many combinations it concerns. */
export function warningList(gallery: Gallery): string[] {
  const counts = new Map<string, number>();
  for (const entry of gallery.entries) {
    for (const check of entry.checks) {
      if (check.status !== 'warn') continue;
      for (const detail of check.details)
        counts.set(`${check.title}: ${detail}`, (counts.get(`${check.title}: ${detail}`) ?? 0) + 1);
    }
  }
  return [...counts].map(([reason, count]) => `WARN ${reason} (${count} combination${count === 1 ? '' : 's'})`);
}

export interface ReportOptions {
  /** Every warning fails too (`--strict`): untranslated strings, words served to every locale, brand files. */
  strict?: boolean;
}

export interface CheckReport {
  text: string;
  /** Whether nothing failed: every combination passed and, under `strict`, nothing warned. */
  ok: boolean;
}

/** The whole report, and whether every combination passed (and, under `strict`, whether nothing warned). */
export function checkReport(gallery: Gallery, options: ReportOptions = {}): CheckReport {
  const warned = [
    ...[...gallery.translationWarnings, ...gallery.brandWarnings].map((warning) => `WARN ${warning}`),
    ...warningList(gallery),
  ];
  const failures = [...failureList(gallery), ...(options.strict ? warned.map((line) => `FAIL${line.slice(4)}`) : [])];
  const warnings = options.strict ? [] : warned;
  const failing = gallery.entries.filter((entry) => entry.status === 'fail').length;
  const ms = Math.round(gallery.renderMs);
  const verdict =
    failing > 0
      ? `${failing} of ${gallery.entries.length} combinations fail. Run \`npm start\` to see them.`
      : options.strict && warned.length > 0
        ? `All ${gallery.entries.length} combinations pass (rendered and checked in ${ms} ms), but --strict fails ${warned.length} warning${warned.length === 1 ? '' : 's'}.`
        : `All ${gallery.entries.length} combinations pass (rendered and checked in ${ms} ms).`;
  const text = [
    summaryTable(gallery),
    '',
    'SMS per locale (every SMS of both modes, as delivered):',
    smsCostTable(gallery),
    '',
    ...failures,
    ...(failures.length > 0 ? [''] : []),
    ...warnings,
    ...(warnings.length > 0 ? [''] : []),
    verdict,
  ].join('\n');
  return { text, ok: failures.length === 0 };
}

/**
 * `check` on a templates folder: the report, or, when a file cannot be read
 * (bad JSON, an invalid brand), one block naming it at its line and column.
 */
export function checkFolder(dir: string, options: ReportOptions = {}): CheckReport {
  let pack: LoadedPack;
  try {
    pack = loadPack(dir);
  } catch (error) {
    if (!(error instanceof TemplateFileError)) throw error;
    const lines = error.problems.map((problem) => `FAIL ${problemText(problem)}`);
    return { text: [...lines, '', 'The templates cannot be read, so nothing else was checked.'].join('\n'), ok: false };
  }
  return checkReport(buildGallery(pack), options);
}
