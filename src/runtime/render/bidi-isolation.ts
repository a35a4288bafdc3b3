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

/**
 * Wraps every URL, address and given value in `text` in an isolate. One pass,
 * leftmost first and, among the runs that start there, the longest: a code
 * inside a URL's query stays inside the URL's isolate, and a username that
 * begins like an address (`a@b]c`) is isolated whole, not cut where the
 * address pattern ends.
 */
export function isolateForRtl(text: string, values: IsolatedValues = { ltr: [], either: [] }): string {
  const literal = (list: readonly string[]) =>
    [...new Set(list.filter((value) => value !== ''))].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const ltr = literal(values.ltr);
  const either = literal(values.either);
  const kinds: { source: string; opener: string }[] = [
    { source: URL_SOURCE, opener: LRI },
    { source: ADDRESS_SOURCE, opener: LRI },
    ...(either.length > 0 ? [{ source: either.join('|'), opener: FSI }] : []),
    ...(ltr.length > 0 ? [{ source: ltr.join('|'), opener: LRI }] : []),
  ];
  const anywhere = new RegExp(kinds.map((kind) => `(?:${kind.source})`).join('|'), 'gu');
  const here = kinds.map((kind) => ({ pattern: new RegExp(kind.source, 'yu'), opener: kind.opener }));
  let out = '';
  let from = 0;
  for (let found = anywhere.exec(text); found !== null; found = anywhere.exec(text)) {
    let best = { length: 0, opener: LRI };
    for (const kind of here) {
      kind.pattern.lastIndex = found.index;
      const match = kind.pattern.exec(text);
      if (match !== null && match[0].length > best.length) best = { length: match[0].length, opener: kind.opener };
    }
    const end = found.index + best.length;
    out += `${text.slice(from, found.index)}${best.opener}${text.slice(found.index, end)}${PDI}`;
    from = end;
    anywhere.lastIndex = end;
  }
  return out + text.slice(from);
}
