/**
 * Unicode bidirectional isolation for the sender's plain text (the email's
 * text part and the SMS). In a right-to-left paragraph a URL, an address or a
 * code is a left-to-right run, and without isolation the brackets and the
 * full stop around it join that run: `[https://…]` shows as `]https://…[`.
 * LRI … PDI (U+2066, U+2069) makes each one a single neutral unit, so the
 * text around it keeps the paragraph's direction (Unicode Standard Annex #9,
 * "Explicit Directional Isolates"). FSI (U+2068) wraps a value that may be in
 * either direction (a username). CustomMessage responses cannot carry these
 * characters (Cognito refuses Cf): there the wording does the work.
 */

export const LRI = '\u2066';
export const FSI = '\u2068';
export const PDI = '\u2069';

// A URL up to the next space or bracket, without the sentence's closing punctuation.
// Arabic script's comma, semicolon, question mark and full stop end a sentence as the Latin ones do.
const URL_SOURCE = String.raw`https?:\/\/[^\s<>\[\]()\u2066-\u2069]*[^\s<>\[\]().,;:!?'"\u060c\u061b\u061f\u06d4\u2066-\u2069]`;
// An address up to the last letter or digit of its domain.
const ADDRESS_SOURCE = String.raw`[^\s<>\[\]()@\u2066-\u2069]+@[^\s<>\[\]()@\u2066-\u2069]*[\p{L}\p{N}]`;

/** What to isolate besides URLs and addresses: the code, and a username whose direction is unknown. */
export interface IsolatedValues {
  /** Left-to-right values: a code or temporary password. */
  ltr: readonly string[];
  /** Values of either direction: a username. */
  either: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A run to isolate: where it starts and ends in the text, and whether its direction is unknown. */
interface Run {
  start: number;
  end: number;
  either: boolean;
}

// Built once: matchAll works on a copy, so the shared patterns keep no state between calls.
const URL_PATTERN = new RegExp(URL_SOURCE, 'gu');
const ADDRESS_PATTERN = new RegExp(ADDRESS_SOURCE, 'gu');

function runsOf(text: string, pattern: RegExp, either: boolean): Run[] {
  return [...text.matchAll(pattern)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    either,
  }));
}

/**
 * Wraps every URL, address and given value in `text` in an isolate. Each
 * kind is found on its own, and runs that overlap become one isolate, so no
 * isolate ever cuts a value in two: a code inside a URL's query stays inside
 * the URL's isolate, and a username that begins like an address (`a@b]c`) or
 * ends where one starts is isolated whole. An isolate that a username shapes
 * is FSI (its direction is unknown); one a URL, address or code spans is LRI.
 */
export function isolateForRtl(text: string, values: IsolatedValues = { ltr: [], either: [] }): string {
  const literal = (list: readonly string[]) =>
    [...new Set(list.filter((value) => value !== ''))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const ltr = literal(values.ltr);
  const either = literal(values.either);
  const runs = [
    ...runsOf(text, URL_PATTERN, false),
    ...runsOf(text, ADDRESS_PATTERN, false),
    ...(either.length > 0 ? runsOf(text, new RegExp(either.join('|'), 'gu'), true) : []),
    ...(ltr.length > 0 ? runsOf(text, new RegExp(ltr.join('|'), 'gu'), false) : []),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number; pieces: Run[] }[] = [];
  for (const run of runs) {
    const last = merged.at(-1);
    if (last !== undefined && run.start < last.end) {
      last.end = Math.max(last.end, run.end);
      last.pieces.push(run);
    } else {
      merged.push({ start: run.start, end: run.end, pieces: [run] });
    }
  }
  let out = '';
  let from = 0;
  for (const { start, end, pieces } of merged) {
    // Left to right when one URL, address or code spans the whole isolate; FSI when a username shapes it.
    const ltrWhole = pieces.some((piece) => !piece.either && piece.start === start && piece.end === end);
    const opener = !ltrWhole && pieces.some((piece) => piece.either) ? FSI : LRI;
    out += `${text.slice(from, start)}${opener}${text.slice(start, end)}${PDI}`;
    from = end;
  }
  return out + text.slice(from);
}
