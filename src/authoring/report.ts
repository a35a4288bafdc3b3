/** The text `npm run check` prints: a summary table, then every failure and warning with its reasons. */
import type { Channel } from '../runtime/event/message-kind.js';
import type { Gallery, PreviewEntry, PreviewMode } from './preview/gallery.js';

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

function describe(entry: PreviewEntry): string {
  return `${entry.mode} ${entry.channel} ${entry.triggerSource} ${entry.locale}/${entry.brand}`;
}

/** Every failing combination with the reasons of each failing check. */
export function failureList(gallery: Gallery): string[] {
  return gallery.entries
    .filter((entry) => entry.status === 'fail')
    .map((entry) =>
      [
        `FAIL ${describe(entry)}`,
        ...entry.checks
          .filter((check) => check.status === 'fail')
          .flatMap((check) => [`  ${check.title}:`, ...check.details.map((detail) => `    - ${detail}`)]),
      ].join('\n'),
    );
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

/** The whole report, and whether every combination passed. */
export function checkReport(gallery: Gallery): { text: string; ok: boolean } {
  const failures = failureList(gallery);
  const warnings = [...gallery.brandWarnings.map((warning) => `WARN ${warning}`), ...warningList(gallery)];
  const verdict =
    failures.length === 0
      ? `All ${gallery.entries.length} combinations pass (rendered and checked in ${Math.round(gallery.renderMs)} ms).`
      : `${failures.length} of ${gallery.entries.length} combinations fail. Run \`npm start\` to see them.`;
  const text = [
    summaryTable(gallery),
    '',
    ...failures,
    ...(failures.length > 0 ? [''] : []),
    ...warnings,
    ...(warnings.length > 0 ? [''] : []),
    verdict,
  ].join('\n');
  return { text, ok: failures.length === 0 };
}
